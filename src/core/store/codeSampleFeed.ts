// Feeds the latency statistics from the local store: one CodeSpanSample per stored span with a code
// location. A trace is read once it has been quiet for a moment, so its self times see its children; spans
// that arrive after that are read later, each span once, with the self time the whole trace gives them then.

import { NO_CODE_LOCATION } from '../codeMapping/spanCodeLocation';
import type { SpanCodeLocation } from '../codeMapping/spanCodeLocation';
import type { Disposable } from '../events/listeners';
import type { GenAiUsage } from '../genai/genAiUsage';
import { selfTimesNano } from '../model/selfTime';
import type { CodeSpanSample } from '../stats/codeSpanSample';
import type { LocalTraceStore } from './localTraceStore';

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
export type CodeSampleSource = Pick<LocalTraceStore, 'onDidChange' | 'traceIds' | 'traceRowCount' | 'forEachRow'>;

interface PendingSample {
  readonly row: number;
  readonly location: SpanCodeLocation;
  readonly serviceName: string;
  readonly spanName: string;
  readonly spanId: string;
  readonly startUnixMillis: number;
  readonly isError: boolean;
  readonly genAi: GenAiUsage | undefined;
}

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
    const rowCount = this.store.traceRowCount(traceId);
    let from = this.consumed.get(traceId) ?? 0;
    if (from > rowCount) from = 0;
    if (rowCount === 0 || from === rowCount) return;
    this.consumed.set(traceId, rowCount);

    const spanIds = new Array<string>(rowCount);
    const parentIds = new Array<string | undefined>(rowCount);
    const starts = new Array<bigint>(rowCount);
    const durations = new Float64Array(rowCount);
    const found: PendingSample[] = [];
    let index = 0;
    this.store.forEachRow(traceId, 0, (rows, row) => {
      if (index >= rowCount) return;
      const spanId = rows.spanId(row);
      const start = rows.startTimeUnixNano(row);
      spanIds[index] = spanId;
      parentIds[index] = rows.parentSpanId(row);
      starts[index] = start;
      durations[index] = rows.durationNano(row);
      if (index >= from) {
        const location = rows.codeLocation(row);
        if (location !== NO_CODE_LOCATION) {
          found.push({
            row: index,
            location,
            serviceName: rows.service(row),
            spanName: rows.name(row),
            spanId,
            startUnixMillis: Number(start / 1_000_000n),
            isError: rows.status(row) === 'error',
            genAi: rows.genAiUsage(row),
          });
        }
      }
      index++;
    });
    if (found.length === 0) return;

    const selfTimes = selfTimesOf(spanIds, parentIds, starts, durations, index);
    for (const sample of found) {
      samples.push({
        location: sample.location,
        serviceName: sample.serviceName,
        spanName: sample.spanName,
        traceId,
        spanId: sample.spanId,
        startUnixMillis: sample.startUnixMillis,
        durationNano: durations[sample.row],
        selfTimeNano: selfTimes[sample.row],
        isError: sample.isError,
        genAi: sample.genAi,
      });
    }
  }
}

/** Self time of the first `count` rows; offsets from the trace's earliest start keep float64 exact. */
function selfTimesOf(spanIds: readonly string[], parentIds: readonly (string | undefined)[], starts: readonly bigint[], durations: Float64Array, count: number): Float64Array {
  const rowOf = new Map<string, number>();
  let minStart = starts[0];
  for (let i = 0; i < count; i++) {
    rowOf.set(spanIds[i], i);
    if (starts[i] < minStart) minStart = starts[i];
  }
  const parentIndex = new Int32Array(count);
  const startNano = new Float64Array(count);
  const endNano = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const parent = parentIds[i];
    parentIndex[i] = parent === undefined ? -1 : (rowOf.get(parent) ?? -1);
    startNano[i] = Number(starts[i] - minStart);
    endNano[i] = startNano[i] + durations[i];
  }
  return selfTimesNano(parentIndex, startNano, endNano);
}
