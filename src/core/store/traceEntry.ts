// What the store keeps per record and per trace. A record (one received request) lives while any trace it
// holds spans of lives; a trace lives until it is evicted as a whole.

import type { RecordTrace, SpanRecord } from './spanRecord';

export class StoredRecord {
  /** Traces with spans in this record that are still stored. */
  liveTraces = 0;

  constructor(
    readonly record: SpanRecord,
    /** Log segment holding the record; undefined in a memory-only store. */
    readonly segment: number | undefined,
  ) {}
}

/** The rows of one trace inside one record. */
export interface TraceSlice {
  readonly stored: StoredRecord;
  readonly firstRow: number;
  readonly rowCount: number;
}

export class TraceEntry {
  readonly slices: TraceSlice[] = [];
  spanCount = 0;
  errorCount = 0;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;

  constructor(
    readonly traceId: string,
    first: RecordTrace,
  ) {
    this.startTimeUnixNano = first.startTimeUnixNano;
    this.endTimeUnixNano = first.endTimeUnixNano;
  }

  add(stored: StoredRecord, part: RecordTrace): TraceSlice {
    const slice: TraceSlice = { stored, firstRow: part.firstRow, rowCount: part.rowCount };
    this.slices.push(slice);
    this.spanCount += part.rowCount;
    this.errorCount += part.errorCount;
    if (part.startTimeUnixNano < this.startTimeUnixNano) this.startTimeUnixNano = part.startTimeUnixNano;
    if (part.endTimeUnixNano > this.endTimeUnixNano) this.endTimeUnixNano = part.endTimeUnixNano;
    stored.liveTraces++;
    return slice;
  }
}
