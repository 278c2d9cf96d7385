// The local trace store: what the embedded receiver takes in, searchable like a remote backend. Records (one
// per received request) are indexed by trace, service, span name and code location; the store is bounded by
// span count and bytes and evicts the oldest traces first. With a directory it keeps an append-only log
// that is replayed on open, so traces survive a window reload or a crash.

import { BackendError } from '../backends/backendError';
import { requireTraceId } from '../backends/traceIdArgument';
import type {
  BackendCapabilities,
  FetchedTrace,
  GetTraceOptions,
  MetricsQueryResult,
  Operation,
  RequestOptions,
  TagName,
  TagValue,
  TraceBackend,
  TraceQuery,
  TraceSearchResult,
} from '../backends/traceBackend';
import { BACKEND_LABELS } from '../backends/traceBackend';
import { resolveAttributes, resolveDurations, resolveLimit, resolveSearchWindow } from '../backends/traceQueryParts';
import type { Disposable } from '../events/listeners';
import { Listeners } from '../events/listeners';
import { formatBytes } from '../otlp/payloadCompression';
import { NANOS_PER_MILLI } from '../model/time';
import type { DecodeJob, DecodeResult, StoredBody } from '../otlpWorker/otlpJobs';
import { InProcessOtlpProcessor, ProcessorFailedError } from '../otlpWorker/otlpProcessor';
import type { FramedRecord } from './recordFrame';
import { SegmentLog } from './segmentLog';
import type { SpanRecord } from './spanRecord';
import { parseFramedRecord, parseRecord } from './spanRecord';
import { encodeTombstone } from './spanRecordWriter';
import { SpanIndex } from './spanIndex';
import { StoreError } from './storeError';
import type { CodeSpan, CodeSpanQuery } from './codeSpans';
import { findCodeSpans } from './codeSpans';
import { searchStore } from './storeQuery';
import { StoredRecord, TraceEntry } from './traceEntry';
import type { TraceSlice } from './traceEntry';

export const DEFAULT_MAX_SPANS = 1_000_000;
export const DEFAULT_MAX_BYTES = 512 * 1024 * 1024;

const CAPABILITIES: BackendCapabilities = {
  traceQL: false,
  attributeSearch: true,
  operations: true,
  tagCompletion: true,
  metricsQuery: false,
  searchNeedsService: false,
};

/** Reads records back into spans: the OTLP worker in the editor, the calling thread elsewhere. */
export interface TraceDecoder {
  decode(job: DecodeJob): Promise<DecodeResult>;
}

export interface LocalTraceStoreOptions {
  /** Directory of the log; without one the store lives in memory only. */
  readonly directory?: string;
  /** Read a directory another process writes (`spanlens serve`): no lock, no writes. */
  readonly readOnly?: boolean;
  /** Default 1,000,000. */
  readonly maxSpans?: number;
  /** Bytes of stored records; default 512 MiB. */
  readonly maxBytes?: number;
  /** Size at which a log segment is closed; default maxBytes / 8, between 1 and 64 MiB. */
  readonly segmentBytes?: number;
  /** How often written records are synced to disk; default 1000 ms. */
  readonly syncIntervalMillis?: number;
  readonly decoder?: TraceDecoder;
  /** For search windows; default Date.now. */
  readonly now?: () => number;
  /** Problems that cost data but not the store: a torn log tail, a failing disk. */
  readonly onWarning?: (message: string) => void;
}

export interface StoreStats {
  readonly traces: number;
  readonly spans: number;
  /** Bytes of the stored records (memory use of the data). */
  readonly bytes: number;
  /** Bytes of the log on disk; 0 in memory. */
  readonly diskBytes: number;
  /** Spans of traces evicted to make room, since the store opened or was cleared. */
  readonly evictedSpans: number;
  /** Spans never stored because their request alone exceeded a cap. */
  readonly droppedSpans: number;
  readonly maxSpans: number;
  readonly maxBytes: number;
}

export interface AppendResult {
  readonly storedSpans: number;
  readonly droppedSpans: number;
  /** Why spans were dropped. */
  readonly dropReason: string | undefined;
}

export interface StoreChange {
  readonly stats: StoreStats;
  /** Traces that gained spans. */
  readonly traceIds: readonly string[];
  /** Traces evicted to make room (a trace may be in both lists when it gained spans and was then evicted). */
  readonly evictedTraceIds: readonly string[];
  /** The store was emptied. */
  readonly cleared: boolean;
}

export class LocalTraceStore implements TraceBackend {
  readonly type = 'local' as const;
  readonly displayName: string;
  readonly capabilities = CAPABILITIES;
  readonly maxSpans: number;
  readonly maxBytes: number;
  /** Problems found while replaying the log, also reported through `onWarning`. */
  readonly replayWarnings: string[] = [];

  private readonly traces = new Map<string, TraceEntry>();
  private readonly index = new SpanIndex();
  private readonly liveRecordsPerSegment = new Map<number, number>();
  private readonly listeners: Listeners<StoreChange>;
  private readonly decoder: TraceDecoder;
  private readonly now: () => number;
  private readonly onWarning: (message: string) => void;
  private readonly segmentBytes: number;
  private log: SegmentLog | undefined;
  private replaying = false;
  private spans = 0;
  private bytes = 0;
  private evictedSpans = 0;
  private droppedSpans = 0;
  private closed = false;

  private constructor(private readonly options: LocalTraceStoreOptions) {
    this.maxSpans = positive(options.maxSpans ?? DEFAULT_MAX_SPANS, 'maxSpans');
    this.maxBytes = positive(options.maxBytes ?? DEFAULT_MAX_BYTES, 'maxBytes');
    this.segmentBytes = positive(options.segmentBytes ?? Math.min(64 * 1024 * 1024, Math.max(1024 * 1024, Math.floor(this.maxBytes / 8))), 'segmentBytes');
    this.decoder = options.decoder ?? new InProcessOtlpProcessor();
    this.now = options.now ?? Date.now;
    this.onWarning = options.onWarning ?? (() => undefined);
    this.listeners = new Listeners((error) => this.warn(`A trace store listener failed: ${error instanceof Error ? error.message : String(error)}`));
    this.displayName = options.directory === undefined ? `${BACKEND_LABELS.local} (in memory)` : `${BACKEND_LABELS.local} at ${options.directory}`;
  }

  /** Opens the store, replaying its log when it has a directory. */
  static async open(options: LocalTraceStoreOptions = {}): Promise<LocalTraceStore> {
    const store = new LocalTraceStore(options);
    if (options.directory === undefined) return store;
    const log = await SegmentLog.open({
      directory: options.directory,
      segmentBytes: store.segmentBytes,
      readOnly: options.readOnly ?? false,
      syncIntervalMillis: options.syncIntervalMillis ?? 1000,
      onWarning: (message) => store.warn(message),
    });
    store.log = log;
    store.replaying = true;
    try {
      await log.replay((payload, segment) => store.replayRecord(payload, segment));
    } catch (error) {
      await log.close();
      throw error;
    } finally {
      store.replaying = false;
    }
    if (!options.readOnly) store.dropDeadSegments();
    return store;
  }

  stats(): StoreStats {
    return {
      traces: this.traces.size,
      spans: this.spans,
      bytes: this.bytes,
      diskBytes: this.log?.diskBytes ?? 0,
      evictedSpans: this.evictedSpans,
      droppedSpans: this.droppedSpans,
      maxSpans: this.maxSpans,
      maxBytes: this.maxBytes,
    };
  }

  /** Called after every append (with what it evicted) and clear; listeners should coalesce their work. */
  onDidChange(listener: (change: StoreChange) => void): Disposable {
    return this.listeners.add(listener);
  }

  /**
   * Stores one framed spans record (from the OTLP worker), evicting the oldest traces as needed. A record
   * that alone exceeds a cap is dropped and counted.
   */
  append(framed: FramedRecord): AppendResult {
    if (this.closed) throw new StoreError('closed', 'The trace store is closed');
    if (this.options.readOnly) throw new StoreError('readOnly', 'The trace store was opened read-only');
    const parsed = parseFramedRecord(framed);
    if (parsed.kind !== 'spans') throw new StoreError('invalidOptions', 'append() takes a spans record');
    const record = parsed.record;
    const tooBig = this.tooBigReason(record);
    if (tooBig !== undefined) {
      this.droppedSpans += record.spanCount;
      this.emit([], false, []);
      return { storedSpans: 0, droppedSpans: record.spanCount, dropReason: tooBig };
    }
    const segment = this.log?.append(framed);
    const traceIds = this.add(record, segment);
    const evicted = this.makeRoom();
    this.emit(traceIds, false, evicted);
    return { storedSpans: record.spanCount, droppedSpans: 0, dropReason: undefined };
  }

  /** Empties memory and disk. */
  async clear(): Promise<void> {
    if (this.options.readOnly) throw new StoreError('readOnly', 'The trace store was opened read-only; clear it where it is written');
    this.traces.clear();
    this.index.clear();
    this.liveRecordsPerSegment.clear();
    this.spans = 0;
    this.bytes = 0;
    this.evictedSpans = 0;
    this.droppedSpans = 0;
    await this.log?.clear();
    this.emit([], true, []);
  }

  /** Writes and syncs what is pending, then releases the directory. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    await this.log?.close();
  }

  /** Resolves when every record appended so far has been written to the log. */
  async flush(): Promise<void> {
    await this.log?.flush();
  }

  dispose(): Promise<void> {
    return this.close();
  }

  /** `traceId` as 32 lowercase hex digits. */
  hasTrace(traceId: string): boolean {
    return this.traces.has(traceId);
  }

  async getTrace(traceId: string, options: GetTraceOptions = {}): Promise<FetchedTrace> {
    const id = requireTraceId(traceId);
    const entry = this.traces.get(id);
    if (entry === undefined) throw new BackendError('notFound', `Trace ${id} is not in the ${this.displayName}`);
    checkCancelled(options.signal);
    const result = await this.readBack(entry);
    checkCancelled(options.signal);
    if (result.trace === undefined) throw new BackendError('notFound', `Trace ${id} is no longer in the ${this.displayName}`);
    // Records keep requests as OTLP, in JSON or protobuf; OTLP JSON is the closest format name.
    return { trace: result.trace, format: 'otlp-json', warnings: result.warnings };
  }

  async searchTraces(query: TraceQuery, options: RequestOptions = {}): Promise<TraceSearchResult> {
    if (query.traceQL !== undefined && query.traceQL.trim() !== '') {
      throw new BackendError('unsupported', `The ${BACKEND_LABELS.local.toLowerCase()} does not understand TraceQL; search by service, span name and attributes`);
    }
    const window = resolveSearchWindow(query, this.now());
    const durations = resolveDurations(query);
    return searchStore(
      {
        service: query.service === '' ? undefined : query.service,
        operation: query.operation === '' ? undefined : query.operation,
        minDurationNano: durations.min === undefined ? undefined : Number(durations.min),
        maxDurationNano: durations.max === undefined ? undefined : Number(durations.max),
        windowStartUnixNano: BigInt(Math.floor(window.startUnixMillis)) * NANOS_PER_MILLI,
        windowEndUnixNano: BigInt(Math.ceil(window.endUnixMillis)) * NANOS_PER_MILLI,
      },
      resolveAttributes(query),
      resolveLimit(query),
      {
        candidates: query.service === undefined || query.service === '' ? this.traces.values() : this.index.tracesOfService(query.service),
        isLive: (entry) => this.traces.get(entry.traceId) === entry,
        decode: (entry) => this.readBack(entry),
        signal: options.signal,
      },
    );
  }

  async listServices(): Promise<readonly string[]> {
    return this.index.serviceNames().sort(compareText);
  }

  async listOperations(service: string): Promise<readonly Operation[]> {
    if (service.trim() === '') throw new BackendError('invalidInput', 'Pick a service to list its span names');
    return this.index
      .operations(service)
      .sort((a, b) => compareText(a.name, b.name) || compareText(a.kind, b.kind))
      .map(({ name, kind }) => ({ name, spanKind: kind }));
  }

  async tagNames(scope?: string): Promise<readonly TagName[]> {
    return this.index
      .tagKeys()
      .filter((tag) => scope === undefined || scope === '' || tag.scope === scope)
      .sort((a, b) => compareText(a.key, b.key) || compareText(a.scope, b.scope))
      .map(({ scope: tagScope, key }) => ({ scope: tagScope, name: key }));
  }

  async tagValues(tag: string): Promise<readonly TagValue[]> {
    if (tag.trim() === '') throw new BackendError('invalidInput', 'Enter a tag name');
    return this.index.tagValues(tag).values.map((value) => ({ value, type: undefined }));
  }

  queryRange(): Promise<MetricsQueryResult> {
    return Promise.reject(new BackendError('unsupported', `The ${BACKEND_LABELS.local.toLowerCase()} does not run TraceQL metrics queries (Tempo does)`));
  }

  /** Spans that ran a function or come from a file (code.* attributes), newest first. */
  findSpansByCode(query: CodeSpanQuery): CodeSpan[] {
    return findCodeSpans(this.traces.values(), query);
  }

  /** IDs of the stored traces, oldest first. */
  traceIds(): string[] {
    return [...this.traces.keys()];
  }

  /** Span rows stored for a trace, counted in the order they arrived; 0 for a trace not stored. */
  traceRowCount(traceId: string): number {
    return this.traces.get(traceId)?.spanCount ?? 0;
  }

  /**
   * Calls `visitor` for each run of a trace's stored rows inside one record, `firstRow` to `endRow`
   * (exclusive), in the order traceRowCount counts them (a row keeps its number while the trace is stored).
   * `record` is only valid during the call.
   */
  forEachRowRange(traceId: string, visitor: (record: SpanRecord, firstRow: number, endRow: number) => void): void {
    const entry = this.traces.get(traceId);
    if (entry === undefined) return;
    for (const slice of entry.slices) visitor(slice.stored.record, slice.firstRow, slice.firstRow + slice.rowCount);
  }

  /** The trace's spans, read back from its records; failures are BackendErrors, as the interface promises. */
  private async readBack(entry: TraceEntry): Promise<DecodeResult> {
    try {
      return await this.decoder.decode({ traceId: entry.traceId, bodies: bodiesOf(entry), maxDecompressedBytes: MAX_STORED_BODY_BYTES });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const kind = error instanceof ProcessorFailedError ? 'server' : 'malformed';
      throw new BackendError(kind, `Trace ${entry.traceId} could not be read from the ${this.displayName}: ${reason}`);
    }
  }

  private replayRecord(payload: Uint8Array, segment: number): void {
    let parsed;
    try {
      parsed = parseRecord(payload);
    } catch (error) {
      this.warn(`A record in segment ${segment} of ${this.options.directory} could not be read and was skipped: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (parsed.kind === 'tombstone') {
      const entry = this.traces.get(parsed.traceId);
      if (entry !== undefined) this.evict(entry, false);
      return;
    }
    if (this.tooBigReason(parsed.record) !== undefined) return;
    this.add(parsed.record, segment);
    this.makeRoom();
  }

  private tooBigReason(record: SpanRecord): string | undefined {
    if (record.spanCount > this.maxSpans) return `The request holds ${record.spanCount} spans; the local store keeps at most ${this.maxSpans}`;
    if (record.byteLength > this.maxBytes) {
      return `The request takes ${formatBytes(record.byteLength)}; the local store keeps at most ${formatBytes(this.maxBytes)}`;
    }
    return undefined;
  }

  private add(record: SpanRecord, segment: number | undefined): string[] {
    const stored = new StoredRecord(record, segment);
    const parts = record.traces;
    const traceIds: string[] = [];
    const entries: TraceEntry[] = [];
    const slices: TraceSlice[] = [];
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      let entry = this.traces.get(part.traceId);
      if (entry === undefined) {
        entry = new TraceEntry(part.traceId, part);
        this.traces.set(part.traceId, entry);
      }
      entries.push(entry);
      slices.push(entry.add(stored, part));
      traceIds.push(part.traceId);
    }
    this.index.addRecordSlices(record, entries, slices);
    this.index.addRecordTags(record);
    this.spans += record.spanCount;
    this.bytes += record.byteLength;
    if (segment !== undefined) this.liveRecordsPerSegment.set(segment, (this.liveRecordsPerSegment.get(segment) ?? 0) + 1);
    return traceIds;
  }

  /**
   * Evicts the oldest traces until the caps hold, then frees log segments nothing live is left in. Returns
   * the IDs of the evicted traces.
   */
  private makeRoom(): string[] {
    const evicted: TraceEntry[] = [];
    while (this.spans > this.maxSpans || this.bytes > this.maxBytes) {
      const oldest = this.traces.values().next();
      if (oldest.done === true) break;
      this.evict(oldest.value, true);
      evicted.push(oldest.value);
    }
    const log = this.log;
    if (log === undefined || this.replaying || this.options.readOnly) return evicted.map((entry) => entry.traceId);
    // Dead records of long-lived traces can pin segments; past the slack, evict until the oldest one frees.
    const maxDiskBytes = this.maxBytes + 2 * this.segmentBytes;
    while (log.diskBytes > maxDiskBytes && log.segmentCount > 1) {
      const oldestSegment = log.oldestSegment;
      while (oldestSegment !== undefined && (this.liveRecordsPerSegment.get(oldestSegment) ?? 0) > 0) {
        const oldest = this.traces.values().next();
        if (oldest.done === true) break;
        this.evict(oldest.value, true);
        evicted.push(oldest.value);
      }
      if (!this.dropDeadSegments()) break;
    }
    this.dropDeadSegments();
    this.writeTombstones(evicted);
    return evicted.map((entry) => entry.traceId);
  }

  private evict(entry: TraceEntry, countAsEvicted: boolean): void {
    this.traces.delete(entry.traceId);
    this.index.removeTrace(entry);
    this.spans -= entry.spanCount;
    if (countAsEvicted) this.evictedSpans += entry.spanCount;
    for (const slice of entry.slices) {
      const stored = slice.stored;
      if (--stored.liveTraces > 0) continue;
      this.bytes -= stored.record.byteLength;
      this.index.removeRecordTags(stored.record);
      if (stored.segment !== undefined) {
        const live = (this.liveRecordsPerSegment.get(stored.segment) ?? 1) - 1;
        if (live > 0) this.liveRecordsPerSegment.set(stored.segment, live);
        else this.liveRecordsPerSegment.delete(stored.segment);
      }
    }
  }

  /** Deletes the oldest segments while nothing in them is live; true when one was deleted. */
  private dropDeadSegments(): boolean {
    const log = this.log;
    if (log === undefined || this.options.readOnly) return false;
    let dropped = false;
    for (let oldest = log.oldestSegment; oldest !== undefined && log.segmentCount > 1; oldest = log.oldestSegment) {
      if ((this.liveRecordsPerSegment.get(oldest) ?? 0) > 0) break;
      log.deleteSegment(oldest);
      dropped = true;
    }
    return dropped;
  }

  // A trace evicted while one of its records stays on disk would come back on replay without a tombstone.
  private writeTombstones(evicted: readonly TraceEntry[]): void {
    const log = this.log;
    const oldest = log?.oldestSegment;
    if (log === undefined || oldest === undefined) return;
    for (const entry of evicted) {
      if (entry.slices.some((slice) => slice.stored.segment !== undefined && slice.stored.segment >= oldest)) log.append(encodeTombstone(entry.traceId));
    }
  }

  private emit(traceIds: readonly string[], cleared: boolean, evictedTraceIds: readonly string[]): void {
    if (this.listeners.size > 0) this.listeners.fire({ stats: this.stats(), traceIds, evictedTraceIds, cleared });
  }

  private warn(message: string): void {
    if (this.replaying) this.replayWarnings.push(message);
    this.onWarning(message);
  }
}

/** Stored bodies were accepted under the receiver's caps; this only guards against a damaged log. */
const MAX_STORED_BODY_BYTES = 1024 * 1024 * 1024;

function bodiesOf(entry: TraceEntry): StoredBody[] {
  const bodies: StoredBody[] = [];
  for (const slice of entry.slices) bodies.push({ body: slice.stored.record.body(), format: slice.stored.record.format });
  return bodies;
}

function checkCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw new BackendError('cancelled', 'Cancelled');
}

function positive(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0) throw new StoreError('invalidOptions', `${name} must be a positive number, not ${value}`);
  return Math.floor(value);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

