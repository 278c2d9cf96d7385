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
  /** The durations of `slowest`, so that placing a span compares numbers here instead of reading old samples. */
  readonly slowestNano = new Array<number>(MAX_SLOWEST).fill(Number.NEGATIVE_INFINITY);
  /** What a span must exceed to join `slowest`; kept here so the common case reads no sample. */
  private slowestFloorNano = Number.NEGATIVE_INFINITY;
  latestError: CodeSpanSample | undefined;
  private latestErrorStartMillis = Number.NEGATIVE_INFINITY;
  genAi: GenAiAccumulator | undefined;

  constructor(readonly epoch: number) {}

  add(sample: CodeSpanSample): void {
    const durationNano = sample.durationNano;
    if (sample.isError) {
      this.errors++;
      const start = sample.startUnixMillis;
      if (this.latestError === undefined || start >= this.latestErrorStartMillis) {
        this.latestError = sample;
        this.latestErrorStartMillis = start;
      }
    }
    if (durationNano > this.slowestFloorNano) {
      const { slowest, slowestNano } = this;
      let i = slowest.length < MAX_SLOWEST ? slowest.length : slowest.length - 1;
      while (i > 0 && slowestNano[i - 1] < durationNano) {
        slowest[i] = slowest[i - 1];
        slowestNano[i] = slowestNano[i - 1];
        i--;
      }
      slowest[i] = sample;
      slowestNano[i] = durationNano;
      if (slowest.length === MAX_SLOWEST) this.slowestFloorNano = slowestNano[MAX_SLOWEST - 1];
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

/** Pending values an entry holds at first; it doubles up to MAX_PENDING while its location stays busy. */
const FIRST_PENDING = 8;
const MAX_PENDING = 512;
/** Bin keys of the durations being flushed, for the self times equal to them. */
const flushKeys = new Int32Array(MAX_PENDING);
/** Per slot of a row, the next of its slowest spans not yet counted (slowestFloorNano). */
const slotCursors = new Int32Array(SLOTS);

class Entry {
  readonly slots: (SlotData | undefined)[] = new Array<SlotData | undefined>(SLOTS).fill(undefined);
  readonly duration = new WindowedSketch(SLOTS);
  readonly self = new WindowedSketch(SLOTS);
  /** Dropped from the index after ageing out; cached lookups must then start over. */
  removed = false;
  /** The last location object this entry was found by: seen again, it is worth caching. */
  lastLocation: SpanCodeLocation;
  /**
   * Values of one slot not yet in the sketches. Counting them in bulk keeps each flush within one slot's
   * bins, instead of every span touching a different location's bins somewhere in a large working set.
   */
  /** The slot data that the last span went to, and its epoch: the next span most likely goes there too. */
  private open: SlotData | undefined;
  private openEpoch = -1;
  private pendingSlot = 0;
  private pendingCount = 0;
  private pendingDuration = new Float64Array(FIRST_PENDING);
  private pendingSelf = new Float64Array(FIRST_PENDING);

  constructor(
    readonly location: SpanCodeLocation,
    readonly serviceName: string,
    /** The index map that holds this entry under its service name. */
    readonly home: Map<string, Entry>,
  ) {
    this.lastLocation = location;
  }

  add(sample: CodeSpanSample, epoch: number): void {
    let data = this.open;
    let count = this.pendingCount;
    if (epoch !== this.openEpoch || data === undefined) {
      data = this.openSlot(epoch);
      if (data === undefined) return; // the clock went back past this slot's newer data
      count = 0;
    } else if (count === this.pendingDuration.length) {
      if (count < MAX_PENDING) this.growPending();
      else {
        this.flush();
        count = 0;
      }
    }
    data.add(sample);
    this.pendingDuration[count] = sample.durationNano;
    this.pendingSelf[count] = sample.selfTimeNano;
    this.pendingCount = count + 1;
  }

  /** The slot data for spans of `epoch`, emptied first if it held older data; undefined if it holds newer. */
  private openSlot(epoch: number): SlotData | undefined {
    const slot = epoch % SLOTS;
    let data = this.slots[slot];
    if (data !== undefined && data.epoch > epoch) return undefined;
    // Pending values may belong to a slot about to be cleared.
    this.flush();
    if (data === undefined || data.epoch < epoch) {
      if (data !== undefined) {
        this.duration.clearSlot(slot);
        this.self.clearSlot(slot);
      }
      data = new SlotData(epoch);
      this.slots[slot] = data;
    }
    this.open = data;
    this.openEpoch = epoch;
    this.pendingSlot = slot;
    return data;
  }

  /** Counts the pending values into the sketches; every read of them must come after. */
  flush(): void {
    const count = this.pendingCount;
    if (count === 0) return;
    this.pendingCount = 0;
    this.duration.addValues(this.pendingSlot, this.pendingDuration, count, flushKeys);
    // Leaves, most spans, spend all their time in themselves: one logarithm for both.
    this.self.addValues(this.pendingSlot, this.pendingSelf, count, flushKeys, this.pendingDuration);
  }

  private growPending(): void {
    const size = this.pendingDuration.length * 2;
    const duration = new Float64Array(size);
    const self = new Float64Array(size);
    duration.set(this.pendingDuration);
    self.set(this.pendingSelf);
    this.pendingDuration = duration;
    this.pendingSelf = self;
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
  /** The entry last found for each function name: spans with fresh location objects mostly find it here. */
  private recent = new Map<string, Entry>();
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
    this.recent = new Map();
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
        const functionName = entry.location.functionName ?? '';
        if (this.recent.get(functionName) === entry) this.recent.delete(functionName);
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
    const functionName = location.functionName ?? '';
    let entry = this.recent.get(functionName);
    if (entry === undefined || entry.removed || entry.serviceName !== serviceName || !sameKey(entry.location, location)) {
      entry = this.indexed(location, serviceName);
      this.recent.set(functionName, entry);
    }
    if (entry.lastLocation !== location) {
      // Fresh objects (one per span) would only fill the cache: wait until one comes back.
      entry.lastLocation = location;
      return entry;
    }
    if (cached === undefined) this.byLocation.set(location, { service: serviceName, entry, others: undefined });
    else if (cached.service === serviceName) cached.entry = entry;
    else (cached.others ??= new Map()).set(serviceName, entry);
    return entry;
  }

  private indexed(location: SpanCodeLocation, serviceName: string): Entry {
    const home = servicesOf(this.index, location);
    let entry = home.get(serviceName);
    if (entry === undefined) {
      entry = new Entry(location, serviceName, home);
      home.set(serviceName, entry);
      this.entries.add(entry);
    }
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

/** Whether two locations are one in the index. */
function sameKey(a: SpanCodeLocation, b: SpanCodeLocation): boolean {
  return (
    a.functionName === b.functionName &&
    a.filePath === b.filePath &&
    a.lineNumber === b.lineNumber &&
    a.columnNumber === b.columnNumber &&
    (a.stackTrace === undefined) === (b.stackTrace === undefined)
  );
}

function rowOf(entry: Entry, live: readonly number[]): CodeStatsRow {
  entry.flush();
  const data = live.map((slot) => entry.slots[slot] as SlotData);
  let errors = 0;
  const genAiParts: GenAiTotals[] = [];
  for (const slot of data) {
    errors += slot.errors;
    if (slot.genAi !== undefined) genAiParts.push({ ...slot.genAi, models: [...slot.genAi.models] });
  }
  const duration = entry.duration.sketchOf(live);
  const self = entry.self.sketchOf(live);
  const slowest = slowestOf([slowestCandidates(data).map(refOf)]);
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

/** The spans of the slots' slowest lists that can be among the MAX_SLOWEST slowest of all (ties included). */
function slowestCandidates(data: readonly SlotData[]): CodeSpanSample[] {
  const candidates: CodeSpanSample[] = [];
  let total = 0;
  for (const slot of data) total += slot.slowest.length;
  const floorNano = total <= MAX_SLOWEST ? Number.NEGATIVE_INFINITY : slowestFloorNano(data);
  for (const slot of data) {
    for (let i = 0; i < slot.slowest.length; i++) if (slot.slowestNano[i] >= floorNano) candidates.push(slot.slowest[i]);
  }
  return candidates;
}

/** The MAX_SLOWEST-th largest duration of the slots' slowest lists (each sorted, slowest first), merged without sorting. */
function slowestFloorNano(data: readonly SlotData[]): number {
  const next = slotCursors;
  next.fill(0, 0, data.length);
  let floorNano = Number.NEGATIVE_INFINITY;
  for (let taken = 0; taken < MAX_SLOWEST; taken++) {
    let best = -1;
    for (let s = 0; s < data.length; s++) {
      if (next[s] < data[s].slowest.length && (best === -1 || data[s].slowestNano[next[s]] > data[best].slowestNano[next[best]])) best = s;
    }
    floorNano = data[best].slowestNano[next[best]++];
  }
  return floorNano;
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
