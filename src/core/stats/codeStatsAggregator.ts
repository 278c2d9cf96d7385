// Latency statistics per code location and service over a sliding time window, kept up to date one span at
// a time. The window is cut into BUCKET_COUNT buckets by span start time, each with its own sketch bins, so
// old data ages out a bucket at a time and the buckets still in the window merge on snapshot.

import type { SpanCodeLocation } from '../codeMapping/spanCodeLocation';
import type { CodeSpanSample } from './codeSpanSample';
import type { CodeStatsProvenance, CodeStatsRow, CodeStatsSnapshot, GenAiTotals, SlowSpanRef } from './codeStats';
import { latestOf, MAX_SLOWEST, mergeGenAiTotals, slowestOf, summarizeSketches } from './codeStats';
import { WindowedSketch } from './windowedSketch';
import { formatWindow } from './windowSetting';

/** Buckets per window: the window's old edge is exact to 1/BUCKET_COUNT of it. */
export const BUCKET_COUNT = 12;
/** One more slot than buckets: the oldest bucket is partly outside the window and still counts. */
const SLOTS = BUCKET_COUNT + 1;

export interface CodeStatsAggregatorOptions {
  readonly windowMillis: number;
  /** Unix ms; injectable for tests. */
  readonly now?: () => number;
}

interface GenAiAccumulator {
  readonly models: Set<string>;
  inputTokens: number;
  inputCalls: number;
  outputTokens: number;
  outputCalls: number;
}

/** Everything but the sketches that one time slot holds for one location and service. */
class SlotData {
  errors = 0;
  /** Slowest first, at most MAX_SLOWEST. */
  readonly slowest: CodeSpanSample[] = [];
  /** What a span must exceed to join `slowest`; kept here so the common case reads no sample. */
  private slowestFloorNano = Number.NEGATIVE_INFINITY;
  latestError: CodeSpanSample | undefined;
  genAi: GenAiAccumulator | undefined;

  constructor(readonly epoch: number) {}

  add(sample: CodeSpanSample): void {
    const durationNano = sample.durationNano;
    if (sample.isError) {
      this.errors++;
      if (this.latestError === undefined || sample.startUnixMillis >= this.latestError.startUnixMillis) this.latestError = sample;
    }
    if (durationNano > this.slowestFloorNano) {
      const slowest = this.slowest;
      let i = slowest.length < MAX_SLOWEST ? slowest.length : slowest.length - 1;
      while (i > 0 && slowest[i - 1].durationNano < durationNano) {
        slowest[i] = slowest[i - 1];
        i--;
      }
      slowest[i] = sample;
      if (slowest.length === MAX_SLOWEST) this.slowestFloorNano = slowest[MAX_SLOWEST - 1].durationNano;
    }
    const usage = sample.genAi;
    if (usage !== undefined) {
      const genAi = (this.genAi ??= { models: new Set(), inputTokens: 0, inputCalls: 0, outputTokens: 0, outputCalls: 0 });
      if (usage.model !== undefined) genAi.models.add(usage.model);
      if (usage.inputTokens !== undefined) {
        genAi.inputTokens += usage.inputTokens;
        genAi.inputCalls++;
      }
      if (usage.outputTokens !== undefined) {
        genAi.outputTokens += usage.outputTokens;
        genAi.outputCalls++;
      }
    }
  }
}

class Entry {
  readonly slots: (SlotData | undefined)[] = new Array<SlotData | undefined>(SLOTS).fill(undefined);
  readonly duration = new WindowedSketch(SLOTS);
  readonly self = new WindowedSketch(SLOTS);
  /** Dropped from the index after ageing out; cached lookups must then start over. */
  removed = false;
  /** The last location object this entry was found by: seen again, it is worth caching. */
  lastLocation: SpanCodeLocation;

  constructor(
    readonly location: SpanCodeLocation,
    readonly serviceName: string,
    /** The index map that holds this entry under its service name. */
    readonly home: Map<string, Entry>,
  ) {
    this.lastLocation = location;
  }

  add(sample: CodeSpanSample, epoch: number): void {
    const slot = epoch % SLOTS;
    let data = this.slots[slot];
    if (data === undefined || data.epoch < epoch) {
      if (data !== undefined) {
        this.duration.clearSlot(slot);
        this.self.clearSlot(slot);
      }
      data = new SlotData(epoch);
      this.slots[slot] = data;
    } else if (data.epoch > epoch) {
      return; // the clock went back past this slot's newer data
    }
    data.add(sample);
    const durationNano = sample.durationNano;
    const selfTimeNano = sample.selfTimeNano;
    const key = this.duration.add(slot, durationNano);
    // Leaves, most spans, spend all their time in themselves: one logarithm for both.
    if (selfTimeNano === durationNano) this.self.addKeyed(slot, selfTimeNano, key);
    else this.self.add(slot, selfTimeNano);
  }
}

/** Entries of one location object: most locations run in one service, so that one is checked first. */
interface LocationEntries {
  service: string;
  entry: Entry;
  others: Map<string, Entry> | undefined;
}

export class CodeStatsAggregator {
  private windowMillis: number;
  private bucketMillis: number;
  private readonly now: () => number;
  private readonly entries = new Set<Entry>();
  private index: LocationIndex = new Map();
  /** Skips the index when samples share location objects (store rows, one trace's spans). */
  private byLocation = new WeakMap<SpanCodeLocation, LocationEntries>();
  private changes = 0;
  private seenOldestEpoch = Number.NaN;

  constructor(options: CodeStatsAggregatorOptions) {
    this.windowMillis = checkedWindow(options.windowMillis);
    this.bucketMillis = this.windowMillis / BUCKET_COUNT;
    this.now = options.now ?? Date.now;
  }

  /** Bumps on every change, and when the window has moved past a bucket of held data. */
  get version(): number {
    const oldest = this.oldestEpoch(this.now());
    if (oldest !== this.seenOldestEpoch) {
      if (this.entries.size > 0 && !Number.isNaN(this.seenOldestEpoch)) this.changes++;
      this.seenOldestEpoch = oldest;
    }
    return this.changes;
  }

  get window(): number {
    return this.windowMillis;
  }

  /** Spans that started before the window are ignored; ones from the future (clock skew) count as now. */
  add(sample: CodeSpanSample): void {
    const now = this.now();
    const start = sample.startUnixMillis;
    if (!(start >= now - this.windowMillis)) return;
    const current = Math.floor(now / this.bucketMillis);
    const epoch = Math.min(current, Math.floor(start / this.bucketMillis));
    this.entryOf(sample.location, sample.serviceName).add(sample, epoch);
    this.changes++;
  }

  clear(): void {
    this.entries.clear();
    this.index = new Map();
    this.byLocation = new WeakMap();
    this.changes++;
  }

  /** Bucket boundaries depend on the window, so changing it drops what was collected: feed the samples again. */
  setWindow(windowMillis: number): void {
    const checked = checkedWindow(windowMillis);
    if (checked === this.windowMillis) return;
    this.windowMillis = checked;
    this.bucketMillis = checked / BUCKET_COUNT;
    this.seenOldestEpoch = Number.NaN;
    this.clear();
  }

  snapshot(provenance?: CodeStatsProvenance): CodeStatsSnapshot {
    const now = this.now();
    const oldest = this.oldestEpoch(now);
    const rows: CodeStatsRow[] = [];
    for (const entry of this.entries) {
      const live: number[] = [];
      entry.slots.forEach((data, slot) => {
        if (data !== undefined && data.epoch >= oldest) live.push(slot);
      });
      if (live.length === 0) {
        entry.removed = true;
        entry.home.delete(entry.serviceName);
        this.entries.delete(entry);
        continue;
      }
      rows.push(rowOf(entry, live));
    }
    return {
      rows,
      provenance: provenance ?? { kind: 'local', label: formatWindow(this.windowMillis), windowMillis: this.windowMillis },
      computedAtUnixMillis: now,
    };
  }

  private oldestEpoch(now: number): number {
    return Math.floor((now - this.windowMillis) / this.bucketMillis);
  }

  private entryOf(location: SpanCodeLocation, serviceName: string): Entry {
    const cached = this.byLocation.get(location);
    if (cached !== undefined) {
      const entry = cached.service === serviceName ? cached.entry : cached.others?.get(serviceName);
      if (entry !== undefined && !entry.removed) return entry;
    }
    const home = servicesOf(this.index, location);
    let entry = home.get(serviceName);
    if (entry === undefined) {
      entry = new Entry(location, serviceName, home);
      home.set(serviceName, entry);
      this.entries.add(entry);
    } else if (entry.lastLocation !== location) {
      // Fresh objects (one per span) would only fill the cache: wait until one comes back.
      entry.lastLocation = location;
      return entry;
    }
    if (cached === undefined) this.byLocation.set(location, { service: serviceName, entry, others: undefined });
    else if (cached.service === serviceName) cached.entry = entry;
    else (cached.others ??= new Map()).set(serviceName, entry);
    return entry;
  }
}

/**
 * Entries by function name, file, line, column and stack trace presence, then service: nested maps, so a
 * lookup hashes strings the samples already hold instead of building a key string per span.
 */
type LocationIndex = Map<string, Map<string, Map<number, Map<number, Map<string, Entry>[]>>>>;

function servicesOf(index: LocationIndex, location: SpanCodeLocation): Map<string, Entry> {
  const functionName = location.functionName ?? '';
  let byFile = index.get(functionName);
  if (byFile === undefined) index.set(functionName, (byFile = new Map()));
  const filePath = location.filePath ?? '';
  let byLine = byFile.get(filePath);
  if (byLine === undefined) byFile.set(filePath, (byLine = new Map()));
  const line = location.lineNumber ?? -1;
  let byColumn = byLine.get(line);
  if (byColumn === undefined) byLine.set(line, (byColumn = new Map()));
  const column = location.columnNumber ?? -1;
  let byStack = byColumn.get(column);
  if (byStack === undefined) byColumn.set(column, (byStack = [new Map(), new Map()]));
  return byStack[location.stackTrace === undefined ? 0 : 1];
}

function rowOf(entry: Entry, live: readonly number[]): CodeStatsRow {
  const data = live.map((slot) => entry.slots[slot] as SlotData);
  let errors = 0;
  const genAiParts: GenAiTotals[] = [];
  for (const slot of data) {
    errors += slot.errors;
    if (slot.genAi !== undefined) genAiParts.push({ ...slot.genAi, models: [...slot.genAi.models] });
  }
  const duration = entry.duration.sketchOf(live);
  const self = entry.self.sketchOf(live);
  const slowest = slowestOf(data.map((slot) => slot.slowest.map(refOf)));
  const latest = latestOf(data.map((slot) => slot.latestError));
  const latestError = latest === undefined ? undefined : refOf(latest);
  const genAi = mergeGenAiTotals(genAiParts);
  const summary = summarizeSketches({ errors, duration, self, slowest, latestError, genAi });
  return {
    location: entry.location,
    serviceName: entry.serviceName,
    summary,
    sketches: { duration, self },
    ...(genAi === undefined ? {} : { genAiTotals: genAi }),
  };
}

/** A plain copy, so a snapshot holds no samples (and through them, their traces' strings). */
function refOf(ref: SlowSpanRef): SlowSpanRef {
  return {
    traceId: ref.traceId,
    spanId: ref.spanId,
    spanName: ref.spanName,
    serviceName: ref.serviceName,
    durationNano: ref.durationNano,
    startUnixMillis: ref.startUnixMillis,
  };
}

function checkedWindow(windowMillis: number): number {
  if (!Number.isFinite(windowMillis) || windowMillis <= 0) throw new RangeError(`The statistics window must be a positive number of milliseconds, not ${windowMillis}`);
  return windowMillis;
}
