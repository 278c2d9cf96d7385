// Feeds the latency statistics from the local store: one CodeSpanSample per stored span with a code
// location. A trace is read once it has been quiet for a moment, so its self times see its children; spans
// that arrive after that are read later, each span once, with the self time the whole trace gives them then.

import { SharedCodeLocations } from '../codeMapping/sharedCodeLocations';
import { NO_CODE_LOCATION } from '../codeMapping/spanCodeLocation';
import type { Disposable } from '../events/listeners';
import type { CodeSpanSample } from '../stats/codeSpanSample';
import type { LocalTraceStore } from './localTraceStore';
import { StoredSelfTimes, TraceRowRanges } from './storedSelfTimes';

export const DEFAULT_SETTLE_MILLIS = 1500;

/** Time spent reading between yields to the event loop, so replaying a full store never blocks for long. */
const CHUNK_MILLIS = 10;

export interface CodeSampleFeedOptions {
  /** How long a trace must go without new spans before it is read; default 1500 ms. */
  readonly settleMillis?: number;
  onSamples(samples: readonly CodeSpanSample[]): void;
  /** The store was cleared: drop every sample received so far. */
  onReset(): void;
}

/** What the feed reads of the store. */
export type CodeSampleSource = Pick<LocalTraceStore, 'onDidChange' | 'traceIds' | 'forEachRowRange'>;

export class CodeSampleFeed {
  private readonly settleMillis: number;
  /** Rows of each trace already turned into samples (or looked at and found without a code location). */
  private readonly consumed = new Map<string, number>();
  /** Traces with rows not read yet, with when they last gained spans; least recently changed first. */
  private readonly pending = new Map<string, number>();
  /** Traces stored before start(), read in chunks. */
  private replay: string[] = [];
  private replayNext = 0;
  private subscription: Disposable | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private immediate: ReturnType<typeof setImmediate> | undefined;
  private disposed = false;
  private readonly ranges = new TraceRowRanges();
  private readonly selfTimes = new StoredSelfTimes();
  private readonly locations = new SharedCodeLocations();

  constructor(
    private readonly store: CodeSampleSource,
    private readonly options: CodeSampleFeedOptions,
  ) {
    const settle = options.settleMillis ?? DEFAULT_SETTLE_MILLIS;
    this.settleMillis = Number.isFinite(settle) && settle >= 0 ? settle : DEFAULT_SETTLE_MILLIS;
  }

  /** Emits the samples of every stored trace, in chunks, then those of new spans as their traces settle. */
  start(): void {
    if (this.disposed || this.subscription !== undefined) return;
    this.subscription = this.store.onDidChange((change) => {
      if (change.cleared) this.reset();
      const now = performance.now();
      for (const traceId of change.traceIds) {
        this.pending.delete(traceId);
        this.pending.set(traceId, now);
      }
      for (const traceId of change.evictedTraceIds) {
        this.pending.delete(traceId);
        this.consumed.delete(traceId);
      }
      this.schedule();
    });
    this.replay = this.store.traceIds();
    this.replayNext = 0;
    this.schedule();
  }

  /** Reads everything pending now, settled or not (for tests and shutdown). */
  flush(): void {
    if (this.disposed) return;
    this.cancelScheduled();
    const samples: CodeSpanSample[] = [];
    while (this.replayNext < this.replay.length) this.read(this.replay[this.replayNext++], samples);
    this.replay = [];
    this.replayNext = 0;
    for (const traceId of this.pending.keys()) this.read(traceId, samples);
    this.pending.clear();
    if (samples.length > 0) this.options.onSamples(samples);
  }

  dispose(): void {
    this.disposed = true;
    this.subscription?.dispose();
    this.subscription = undefined;
    this.cancelScheduled();
    this.consumed.clear();
    this.pending.clear();
    this.replay = [];
  }

  private reset(): void {
    this.consumed.clear();
    this.pending.clear();
    this.replay = [];
    this.replayNext = 0;
    this.cancelScheduled();
    this.options.onReset();
  }

  /** One chunk of about CHUNK_MILLIS: replayed traces first, then settled ones. */
  private pump(): void {
    this.timer = undefined;
    this.immediate = undefined;
    if (this.disposed) return;
    const samples: CodeSpanSample[] = [];
    const started = performance.now();
    const deadline = started + CHUNK_MILLIS;
    while (this.replayNext < this.replay.length) {
      this.read(this.replay[this.replayNext++], samples);
      if (performance.now() >= deadline) break;
    }
    if (this.replayNext >= this.replay.length) {
      this.replay = [];
      this.replayNext = 0;
    }
    const settledBefore = started - this.settleMillis;
    for (const [traceId, changedAt] of this.pending) {
      if (changedAt > settledBefore || performance.now() >= deadline) break;
      this.pending.delete(traceId);
      this.read(traceId, samples);
    }
    this.schedule();
    if (samples.length > 0) this.options.onSamples(samples);
  }

  /** An immediate while there is work due, else one timer for the least recently changed trace. */
  private schedule(): void {
    if (this.disposed || this.subscription === undefined || this.immediate !== undefined) return;
    const first = this.pending.values().next();
    const dueInMillis = first.done === true ? undefined : first.value + this.settleMillis - performance.now();
    if (this.replayNext < this.replay.length || (dueInMillis !== undefined && dueInMillis <= 0)) {
      if (this.timer !== undefined) clearTimeout(this.timer);
      this.timer = undefined;
      this.immediate = setImmediate(() => this.pump());
      return;
    }
    if (dueInMillis === undefined || this.timer !== undefined) return;
    this.timer = setTimeout(() => this.pump(), Math.ceil(dueInMillis));
    this.timer.unref();
  }

  private cancelScheduled(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
  }

  /** Adds the samples of the trace's unread rows, their self time computed over all of the trace's rows. */
  private read(traceId: string, samples: CodeSpanSample[]): void {
    const ranges = this.ranges;
    try {
      // The ranges count the trace's rows as traceRowCount does: one lookup of the trace instead of two.
      this.store.forEachRowRange(traceId, ranges.add);
      const rowCount = ranges.rowCount;
      let from = this.consumed.get(traceId) ?? 0;
      if (from > rowCount) from = 0;
      if (rowCount === 0 || from === rowCount) return;
      this.consumed.set(traceId, rowCount);
      if (hasCodeLocation(ranges, from, rowCount)) this.addSamples(traceId, from, rowCount, samples);
    } finally {
      ranges.clear();
    }
  }

  /** The samples of rows `from`..`rowCount` of the ranges just read. */
  private addSamples(traceId: string, from: number, rowCount: number, samples: CodeSpanSample[]): void {
    const ranges = this.ranges;
    const locations = this.locations;
    const times = this.selfTimes.compute(ranges, rowCount, from);
    let index = 0;
    for (let r = 0; r < ranges.length && index < rowCount; r++) {
      const record = ranges.record(r);
      const end = ranges.endRows[r];
      for (let row = ranges.firstRows[r]; row < end && index < rowCount; row++, index++) {
        if (index < from) continue;
        const location = record.sharedCodeLocation(row, locations);
        if (location === NO_CODE_LOCATION) continue;
        samples.push({
          location,
          serviceName: record.service(row),
          spanName: record.name(row),
          traceId,
          spanId: record.spanId(row),
          startUnixMillis: record.startUnixMillis(row),
          durationNano: times.durationNano[index],
          selfTimeNano: times.selfTimeNano[index],
          isError: record.status(row) === 'error',
          genAi: record.genAiUsage(row),
        });
      }
    }
  }
}

/** Whether any of rows `from`..`count` of the ranges names its code. */
function hasCodeLocation(ranges: TraceRowRanges, from: number, count: number): boolean {
  let index = 0;
  for (let r = 0; r < ranges.length && index < count; r++) {
    const record = ranges.record(r);
    const end = ranges.endRows[r];
    for (let row = ranges.firstRows[r]; row < end && index < count; row++, index++) {
      if (index >= from && record.hasCodeLocation(row)) return true;
    }
  }
  return false;
}
