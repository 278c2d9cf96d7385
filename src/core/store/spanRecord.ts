// Reads a spans record (layout in recordLayout.ts). Only the string table and the trace table are read up
// front; span rows are read field by field when the store indexes or searches them.

import type { PayloadFormat } from '../otlp/decodeOtlpPayload';
import type { PayloadCompression } from '../otlp/payloadCompression';
import type { SpanKind, StatusCode } from '../model/trace';
import type { SharedCodeLocations } from '../codeMapping/sharedCodeLocations';
import type { SpanCodeLocation } from '../codeMapping/spanCodeLocation';
import { NO_CODE_LOCATION } from '../codeMapping/spanCodeLocation';
import type { GenAiUsage } from '../genai/genAiUsage';
import { bytesToHex } from '../model/bytesToHex';
import type { FramedRecord } from './recordFrame';
import {
  FILE_ORIGIN_CODES,
  FRAME_HEADER_BYTES,
  NO_COUNT,
  NO_STRING,
  OLDEST_RECORD_VERSION,
  RECORD_VERSION,
  RecordKind,
  SPAN_KIND_CODES,
  SPAN_ROW,
  SPAN_ROW_V1_BYTES,
  SPANS_HEADER_BYTES,
  STATUS_CODES,
  TAG_ENTRY_BYTES,
  TOMBSTONE_BYTES,
  TRACE_ENTRY_BYTES,
} from './recordLayout';

// Module constants, read once: these accessors run for every stored span.
const ROW_PARENT = SPAN_ROW.parentSpanId;
const ROW_START = SPAN_ROW.startLow;
const ROW_DURATION_LOW = SPAN_ROW.durationLow;
const ROW_DURATION_HIGH = SPAN_ROW.durationHigh;
const ROW_SERVICE = SPAN_ROW.service;
const ROW_NAME = SPAN_ROW.name;
const ROW_FUNCTION = SPAN_ROW.codeFunction;
const ROW_FILE = SPAN_ROW.codeFile;
const ROW_LINE = SPAN_ROW.codeLine;
const ROW_KIND = SPAN_ROW.kind;
const ROW_STATUS = SPAN_ROW.status;
const ROW_FILE_ORIGIN = SPAN_ROW.codeFileOrigin;
const ROW_COLUMN = SPAN_ROW.codeColumn;
const ROW_STACK_TRACE = SPAN_ROW.codeStackTrace;
const ROW_GEN_AI_MODEL = SPAN_ROW.genAiModel;
const ROW_INPUT_TOKENS = SPAN_ROW.genAiInputTokens;
const ROW_OUTPUT_TOKENS = SPAN_ROW.genAiOutputTokens;
const NONE = NO_STRING;
const KINDS = SPAN_KIND_CODES;
const STATUSES = STATUS_CODES;

export interface RecordTrace {
  readonly traceId: string;
  readonly firstRow: number;
  readonly rowCount: number;
  readonly startTimeUnixNano: bigint;
  readonly endTimeUnixNano: bigint;
  readonly errorCount: number;
}

export interface RecordTag {
  /** `span` or `resource` attribute. */
  readonly scope: 'span' | 'resource';
  readonly key: string;
  readonly value: string;
}

/** Distinct services and span names of some rows of a record. */
export interface RowsSummary {
  readonly operations: readonly { readonly service: string; readonly name: string; readonly kind: SpanKind; readonly spans: number }[];
}

/** What a span row holds, read by row number: the store's read API for consumers such as CodeSampleFeed. */
export interface SpanRows {
  spanId(row: number): string;
  parentSpanId(row: number): string | undefined;
  startTimeUnixNano(row: number): bigint;
  durationNano(row: number): number;
  service(row: number): string;
  name(row: number): string;
  kind(row: number): SpanKind;
  status(row: number): StatusCode;
  /** NO_CODE_LOCATION when the span has none. */
  codeLocation(row: number): SpanCodeLocation;
  genAiUsage(row: number): GenAiUsage | undefined;
}

/** A record's sharedCodeLocation answers by code function index (the last slot: none), with the row fields each came from, five per slot. */
interface LocationMemo {
  readonly keys: Uint32Array;
  readonly locations: (SpanCodeLocation | undefined)[];
}

export type ParsedRecord = { readonly kind: 'spans'; readonly record: SpanRecord } | { readonly kind: 'tombstone'; readonly traceId: string };

/** A record payload that is not one this version writes. */
export class RecordFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordFormatError';
  }
}

const ENCODINGS: readonly PayloadFormat['encoding'][] = ['protobuf', 'json'];
const COMPRESSIONS: readonly PayloadCompression[] = ['none', 'gzip', 'deflate'];

/** Reads a frame's payload (from the log); throws RecordFormatError for one this version cannot read. */
export function parseRecord(payload: Uint8Array): ParsedRecord {
  if (payload.length < 2 || payload[1] < OLDEST_RECORD_VERSION || payload[1] > RECORD_VERSION) throw new RecordFormatError(`unknown record version ${payload[1]}`);
  if (payload[0] === RecordKind.Tombstone) {
    if (payload.length !== TOMBSTONE_BYTES) throw new RecordFormatError('a tombstone record has the wrong length');
    return { kind: 'tombstone', traceId: bytesToHex(payload, 2, 16) };
  }
  if (payload[0] !== RecordKind.Spans) throw new RecordFormatError(`unknown record kind ${payload[0]}`);
  if (payload.length < SPANS_HEADER_BYTES) throw new RecordFormatError('a spans record is shorter than its header');
  const bodyLength = new DataView(payload.buffer, payload.byteOffset, payload.byteLength).getUint32(20, true);
  if (bodyLength > payload.length - SPANS_HEADER_BYTES) throw new RecordFormatError('a spans record is shorter than its body');
  const split = payload.length - bodyLength;
  return { kind: 'spans', record: new SpanRecord(payload.subarray(0, split), payload.subarray(split)) };
}

/** Reads a record framed a moment ago (by the worker), without copying its body. */
export function parseFramedRecord(record: FramedRecord): ParsedRecord {
  const index = record.head.subarray(FRAME_HEADER_BYTES);
  if (index[0] === RecordKind.Spans && index[1] === RECORD_VERSION) return { kind: 'spans', record: new SpanRecord(index, record.body) };
  return parseRecord(index);
}

export class SpanRecord implements SpanRows {
  readonly format: PayloadFormat;
  /** RECORD_VERSION, or an older one read from the log. */
  readonly version: number;
  readonly spanCount: number;
  readonly traces: readonly RecordTrace[];
  /** Bytes the record takes in memory and on disk, frame header and body included. */
  readonly byteLength: number;
  private readonly view: DataView;
  private readonly rowBytes: number;
  private readonly strings: string[];
  private readonly rowsOffset: number;
  private readonly tagsOffset: number;
  private readonly tagCount: number;
  private locationMemo: LocationMemo | undefined;
  /** `payload` is the record up to its body (header, strings, traces, rows, tags). */
  constructor(
    private readonly payload: Uint8Array,
    private readonly bodyBytes: Uint8Array,
  ) {
    const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
    this.view = view;
    this.byteLength = FRAME_HEADER_BYTES + payload.byteLength + bodyBytes.byteLength;
    const encoding = ENCODINGS[payload[2]];
    const compression = COMPRESSIONS[payload[3]];
    if (encoding === undefined || compression === undefined) throw new RecordFormatError('a spans record names an unknown body format');
    this.format = { encoding, compression };
    this.version = payload[1];
    if (this.version < OLDEST_RECORD_VERSION || this.version > RECORD_VERSION) throw new RecordFormatError(`unknown record version ${this.version}`);
    this.rowBytes = this.version === 1 ? SPAN_ROW_V1_BYTES : SPAN_ROW.bytes;
    if (payload.length < SPANS_HEADER_BYTES) throw new RecordFormatError('a spans record is shorter than its header');
    const stringCount = view.getUint32(4, true);
    const traceCount = view.getUint32(8, true);
    this.spanCount = view.getUint32(12, true);
    this.tagCount = view.getUint32(16, true);
    if (view.getUint32(20, true) !== bodyBytes.length) throw new RecordFormatError('a spans record has a body of the wrong length');

    let offset = SPANS_HEADER_BYTES;
    const buffer = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
    this.need(offset, stringCount * 4);
    const strings = new Array<string>(stringCount);
    for (let i = 0; i < stringCount; i++) {
      this.need(offset, 4);
      const length = view.getUint32(offset, true);
      offset += 4;
      this.need(offset, length);
      strings[i] = buffer.toString('utf8', offset, offset + length);
      offset += length;
    }
    this.strings = strings;

    this.need(offset, traceCount * TRACE_ENTRY_BYTES);
    const traces = new Array<RecordTrace>(traceCount);
    let row = 0;
    for (let i = 0; i < traceCount; i++) {
      const rowCount = view.getUint32(offset + 16, true);
      traces[i] = {
        traceId: bytesToHex(payload, offset, 16),
        firstRow: row,
        rowCount,
        startTimeUnixNano: this.u64(offset + 20),
        endTimeUnixNano: this.u64(offset + 28),
        errorCount: view.getUint32(offset + 36, true),
      };
      row += rowCount;
      offset += TRACE_ENTRY_BYTES;
    }
    if (row !== this.spanCount) throw new RecordFormatError('a spans record has trace entries that do not add up to its spans');
    this.traces = traces;
    this.rowsOffset = offset;
    this.tagsOffset = offset + this.spanCount * this.rowBytes;
    if (this.tagsOffset + this.tagCount * TAG_ENTRY_BYTES !== payload.length) throw new RecordFormatError('a spans record has the wrong length');
  }

  /** The request body as it arrived. */
  body(): Uint8Array {
    return this.bodyBytes;
  }

  spanId(row: number): string {
    const offset = this.rowsOffset + row * this.rowBytes;
    return bytesToHex(this.payload, offset, 8);
  }

  /** The span ID's first four bytes as an int32, with spanIdHigh a key for comparing IDs without hex. */
  spanIdLow(row: number): number {
    return this.view.getInt32(this.rowsOffset + row * this.rowBytes, true);
  }

  spanIdHigh(row: number): number {
    return this.view.getInt32(this.rowsOffset + row * this.rowBytes + 4, true);
  }

  /** As spanIdLow; both halves 0 when the span has no parent. */
  parentSpanIdLow(row: number): number {
    return this.view.getInt32(this.rowsOffset + row * this.rowBytes + ROW_PARENT, true);
  }

  parentSpanIdHigh(row: number): number {
    return this.view.getInt32(this.rowsOffset + row * this.rowBytes + ROW_PARENT + 4, true);
  }

  parentSpanId(row: number): string | undefined {
    const offset = this.rowsOffset + row * this.rowBytes + ROW_PARENT;
    if (this.view.getUint32(offset, true) === 0 && this.view.getUint32(offset + 4, true) === 0) return undefined;
    return bytesToHex(this.payload, offset, 8);
  }

  startTimeUnixNano(row: number): bigint {
    return this.u64(this.rowsOffset + row * this.rowBytes + ROW_START);
  }

  /** The start's low and high 32 bits, read without a bigint. */
  startTimeLow(row: number): number {
    return this.view.getUint32(this.rowsOffset + row * this.rowBytes + ROW_START, true);
  }

  startTimeHigh(row: number): number {
    return this.view.getUint32(this.rowsOffset + row * this.rowBytes + ROW_START + 4, true);
  }

  /** Number(startTimeUnixNano(row) / 1_000_000n), without bigints. */
  startUnixMillis(row: number): number {
    const offset = this.rowsOffset + row * this.rowBytes + ROW_START;
    const high = this.view.getUint32(offset + 4, true);
    // 2^32 = 4294 * 10^6 + 967296, and high * 967296 + low < 2^53: every step is exact.
    const rest = high * 967296 + this.view.getUint32(offset, true);
    const restRemainder = rest % 1_000_000;
    return high * 4294 + (rest - restRemainder) / 1_000_000;
  }

  /** Exact below 2^53 ns (104 days). */
  durationNano(row: number): number {
    const offset = this.rowsOffset + row * this.rowBytes;
    return this.view.getUint32(offset + ROW_DURATION_HIGH, true) * 4294967296 + this.view.getUint32(offset + ROW_DURATION_LOW, true);
  }

  service(row: number): string {
    return this.strings[this.rowU32(row, ROW_SERVICE)] ?? '';
  }

  name(row: number): string {
    return this.strings[this.rowU32(row, ROW_NAME)] ?? '';
  }

  codeFunction(row: number): string | undefined {
    const index = this.rowU32(row, ROW_FUNCTION);
    return index === NONE ? undefined : this.strings[index];
  }

  codeFile(row: number): string | undefined {
    const index = this.rowU32(row, ROW_FILE);
    return index === NONE ? undefined : this.strings[index];
  }

  codeLine(row: number): number | undefined {
    const line = this.rowU32(row, ROW_LINE);
    return line === 0 ? undefined : line;
  }

  /** Undefined in version 1 records. */
  codeColumn(row: number): number | undefined {
    if (this.version === 1) return undefined;
    const column = this.rowU32(row, ROW_COLUMN);
    return column === 0 ? undefined : column;
  }

  /** Undefined in version 1 records, and when the span names a file. */
  codeStackTrace(row: number): string | undefined {
    if (this.version === 1) return undefined;
    const index = this.rowU32(row, ROW_STACK_TRACE);
    return index === NONE ? undefined : this.strings[index];
  }

  /** Version 1 records read only code.* attributes. */
  codeFileOrigin(row: number): SpanCodeLocation['fileOrigin'] {
    if (this.version === 1) return this.rowU32(row, ROW_FILE) !== NONE || this.rowU32(row, ROW_LINE) !== 0 ? 'code' : undefined;
    return FILE_ORIGIN_CODES[this.payload[this.rowsOffset + row * this.rowBytes + ROW_FILE_ORIGIN]];
  }

  /** Whether codeLocation(row) is not NO_CODE_LOCATION. */
  hasCodeLocation(row: number): boolean {
    const offset = this.rowsOffset + row * this.rowBytes;
    const view = this.view;
    return (
      view.getUint32(offset + ROW_FUNCTION, true) !== NONE ||
      view.getUint32(offset + ROW_FILE, true) !== NONE ||
      view.getUint32(offset + ROW_LINE, true) !== 0 ||
      (this.version !== 1 && view.getUint32(offset + ROW_STACK_TRACE, true) !== NONE)
    );
  }

  codeLocation(row: number): SpanCodeLocation {
    const functionName = this.codeFunction(row);
    const filePath = this.codeFile(row);
    const lineNumber = this.codeLine(row);
    const stackTrace = this.codeStackTrace(row);
    if (functionName === undefined && filePath === undefined && lineNumber === undefined && stackTrace === undefined) return NO_CODE_LOCATION;
    return { functionName, filePath, lineNumber, columnNumber: this.codeColumn(row), stackTrace, fileOrigin: this.codeFileOrigin(row) };
  }

  /**
   * codeLocation(row) as one object per distinct location: the record keeps the location each of its code
   * functions last gave, and takes new ones from `shared`, so that the samples of a location share one object
   * (the statistics cache by location object) and the rows of a location make none.
   */
  sharedCodeLocation(row: number, shared: SharedCodeLocations): SpanCodeLocation {
    const offset = this.rowsOffset + row * this.rowBytes;
    const view = this.view;
    const functionIndex = view.getUint32(offset + ROW_FUNCTION, true);
    const fileIndex = view.getUint32(offset + ROW_FILE, true);
    const line = view.getUint32(offset + ROW_LINE, true);
    // Version 1 rows have no column, stack trace or origin fields (the origin follows from file and line).
    const v1 = this.version === 1;
    const column = v1 ? 0 : view.getUint32(offset + ROW_COLUMN, true);
    const stackIndex = v1 ? NONE : view.getUint32(offset + ROW_STACK_TRACE, true);
    const originCode = v1 ? 0 : this.payload[offset + ROW_FILE_ORIGIN];
    const slot = Math.min(functionIndex, this.strings.length);
    let memo = this.locationMemo;
    if (memo === undefined) {
      memo = { keys: new Uint32Array((this.strings.length + 1) * 5), locations: new Array<SpanCodeLocation | undefined>(this.strings.length + 1).fill(undefined) };
      this.locationMemo = memo;
    }
    const keys = memo.keys;
    const at = slot * 5;
    const known = memo.locations[slot];
    if (known !== undefined && keys[at] === fileIndex && keys[at + 1] === line && keys[at + 2] === column && keys[at + 3] === stackIndex && keys[at + 4] === originCode) {
      return known;
    }
    const read = this.codeLocation(row);
    const location = read === NO_CODE_LOCATION ? read : shared.of(read);
    keys[at] = fileIndex;
    keys[at + 1] = line;
    keys[at + 2] = column;
    keys[at + 3] = stackIndex;
    keys[at + 4] = originCode;
    memo.locations[slot] = location;
    return location;
  }

  /** Undefined in version 1 records. */
  genAiModel(row: number): string | undefined {
    if (this.version === 1) return undefined;
    const index = this.rowU32(row, ROW_GEN_AI_MODEL);
    return index === NONE ? undefined : this.strings[index];
  }

  genAiInputTokens(row: number): number | undefined {
    return this.count(row, ROW_INPUT_TOKENS);
  }

  genAiOutputTokens(row: number): number | undefined {
    return this.count(row, ROW_OUTPUT_TOKENS);
  }

  /** Undefined when the span carries no GenAI usage (always in version 1 records). */
  genAiUsage(row: number): GenAiUsage | undefined {
    const model = this.genAiModel(row);
    const inputTokens = this.genAiInputTokens(row);
    const outputTokens = this.genAiOutputTokens(row);
    return model === undefined && inputTokens === undefined && outputTokens === undefined ? undefined : { model, inputTokens, outputTokens };
  }

  kind(row: number): SpanKind {
    return KINDS[this.payload[this.rowsOffset + row * this.rowBytes + ROW_KIND]] ?? 'unspecified';
  }

  status(row: number): StatusCode {
    return STATUSES[this.payload[this.rowsOffset + row * this.rowBytes + ROW_STATUS]] ?? 'unset';
  }

  /** Index into the record's strings of the row's service, span name, code function and code file (NO_STRING: none). */
  serviceIndex(row: number): number {
    return this.rowU32(row, ROW_SERVICE);
  }

  nameIndex(row: number): number {
    return this.rowU32(row, ROW_NAME);
  }

  codeFunctionIndex(row: number): number {
    return this.rowU32(row, ROW_FUNCTION);
  }

  codeFileIndex(row: number): number {
    return this.rowU32(row, ROW_FILE);
  }

  /** The row's span kind as stored (SPAN_KIND_CODES). */
  kindCode(row: number): number {
    return this.payload[this.rowsOffset + row * this.rowBytes + ROW_KIND];
  }

  get stringCount(): number {
    return this.strings.length;
  }

  /** The index of `text` in the record's strings, or NO_STRING when the record has no such string. */
  indexOfString(text: string): number {
    const index = this.strings.indexOf(text);
    return index === -1 ? NONE : index;
  }

  /** String `index` of the record; '' past its end. */
  string(index: number): string {
    return this.strings[index] ?? '';
  }

  /** What the rows `firstRow`..`firstRow + rowCount` hold, with repeats counted once: for the store's lookups. */
  summarizeRows(firstRow: number, rowCount: number): RowsSummary {
    const counts = new Map<number, number>();
    const stringCount = this.strings.length;
    const end = firstRow + rowCount;
    for (let row = firstRow; row < end; row++) {
      const offset = this.rowsOffset + row * this.rowBytes;
      const view = this.view;
      // Exact as a number: string indexes are below the record's string count.
      const key = (view.getUint32(offset + ROW_SERVICE, true) * 8 + this.payload[offset + ROW_KIND]) * stringCount + view.getUint32(offset + ROW_NAME, true);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const operations: { service: string; name: string; kind: SpanKind; spans: number }[] = [];
    for (const [key, spans] of counts) {
      const nameIndex = key % stringCount;
      const rest = (key - nameIndex) / stringCount;
      const kind = rest % 8;
      operations.push({ service: this.strings[(rest - kind) / 8] ?? '', name: this.strings[nameIndex] ?? '', kind: KINDS[kind] ?? 'unspecified', spans });
    }
    return { operations };
  }

  get tagsLength(): number {
    return this.tagCount;
  }

  tag(index: number): RecordTag {
    return { scope: this.tagScope(index), key: this.tagKey(index), value: this.tagValue(index) };
  }

  tagScope(index: number): 'span' | 'resource' {
    return this.payload[this.tagsOffset + index * TAG_ENTRY_BYTES] === 1 ? 'resource' : 'span';
  }

  tagKey(index: number): string {
    return this.strings[this.view.getUint32(this.tagsOffset + index * TAG_ENTRY_BYTES + 1, true)] ?? '';
  }

  tagValue(index: number): string {
    return this.strings[this.view.getUint32(this.tagsOffset + index * TAG_ENTRY_BYTES + 5, true)] ?? '';
  }

  private count(row: number, field: number): number | undefined {
    if (this.version === 1) return undefined;
    const count = this.rowU32(row, field);
    return count === NO_COUNT ? undefined : count;
  }

  private rowU32(row: number, field: number): number {
    return this.view.getUint32(this.rowsOffset + row * this.rowBytes + field, true);
  }

  // One bigint made, where joining two 32-bit halves made four.
  private u64(offset: number): bigint {
    return this.view.getBigUint64(offset, true);
  }

  private need(offset: number, length: number): void {
    if (offset + length > this.payload.length) throw new RecordFormatError('a spans record ends inside its index');
  }
}
