// Builds the log record for one received request: an index of its spans, then the body as it arrived
// (layout in recordLayout.ts). Runs on the OTLP worker, so the editor's thread only copies bytes. Spans
// are added one at a time in any trace order; rows are grouped by trace when the record is finished.

import { attributeText } from '../backends/traceSummary';
import type { PayloadFormat } from '../otlp/decodeOtlpPayload';
import type { Attribute, Resource, Trace } from '../model/trace';
import { ByteWriter, writeHexId } from './byteWriter';
import type { FramedRecord } from './recordFrame';
import { frameRecord } from './recordFrame';
import {
  COMPRESSION_CODES,
  ENCODING_CODES,
  NO_COUNT,
  NO_STRING,
  RECORD_VERSION,
  RecordKind,
  SPAN_KIND_CODES,
  SPAN_ROW,
  SPANS_HEADER_BYTES,
  STATUS_CODES,
  TagScope,
} from './recordLayout';
import type { SpanCodeLocation } from '../codeMapping/spanCodeLocation';
import { codeLocationOfSpan } from '../codeMapping/spanCodeLocation';
import type { GenAiUsage } from '../genai/genAiUsage';
import { genAiUsage } from '../genai/genAiUsage';

/** Distinct attribute values a record lists for tag completion; the rest are left out. */
export const MAX_RECORD_TAGS = 1000;

/** Values of one attribute key a record lists; high-cardinality keys (IDs, URLs) stop there. */
export const MAX_RECORD_VALUES_PER_KEY = 50;

/**
 * Spans whose attributes a record lists: the first TAG_SAMPLE_HEAD, then one in TAG_SAMPLE_STRIDE. Listing
 * every span's attributes cost a third of ingest time; completion only needs the common keys and values.
 */
export const TAG_SAMPLE_HEAD = 64;
export const TAG_SAMPLE_STRIDE = 8;

/** Longer values are not offered for completion. */
export const MAX_TAG_VALUE_LENGTH = 256;

// Module constants, read once: addSpan runs for every span received.
const NONE = NO_STRING;
const NO_TOKENS = NO_COUNT;
const ROW_BYTES = SPAN_ROW.bytes;
/** 2^32: what a carry out of a 32-bit word is worth. */
export const WORD = 4294967296;

const KIND_NUMBERS = new Map<string, number>(SPAN_KIND_CODES.map((kind, index) => [kind, index]));
const STATUS_NUMBERS = new Map<string, number>(STATUS_CODES.map((code, index) => [code, index]));

/** One span's row, as both the model and decoded protobuf describe it. */
export interface SpanRowInput {
  /** 32 lowercase hex digits. */
  readonly traceId: string;
  /** The 16 bytes `traceId` spells, when at hand (decoded protobuf): copied, not parsed from the hex. */
  readonly traceIdBytes: Uint8Array | undefined;
  /** 16 hex digits, or the 8 bytes. */
  readonly spanId: string | Uint8Array;
  /** 16 hex digits, or up to 8 bytes (right-aligned); undefined for a root. */
  readonly parentSpanId: string | Uint8Array | undefined;
  /**
   * Start and duration in nanoseconds as 32-bit words, high and low: no BigInt per span. A high word may
   * pass 2^32 (or be negative); the row keeps it modulo 2^32, as a u64 write of the whole value would.
   */
  readonly startHigh: number;
  readonly startLow: number;
  readonly durationHigh: number;
  readonly durationLow: number;
  readonly serviceName: string;
  readonly name: string;
  /** Index into SPAN_KIND_CODES. */
  readonly kind: number;
  /** Index into STATUS_CODES. */
  readonly status: number;
  readonly code: SpanCodeLocation;
  readonly genAi: GenAiUsage | undefined;
}

interface TraceTotals {
  readonly traceId: string;
  readonly traceIdBytes: Uint8Array | undefined;
  rows: number;
  // Earliest start and latest end (start plus duration, which may pass 2^64), as words like SpanRowInput's.
  startHigh: number;
  startLow: number;
  endHigh: number;
  endLow: number;
  errors: number;
}

export class SpanRecordBuilder {
  readonly strings = new StringTable();
  readonly tags = new TagCollector(this.strings);
  private readonly rows = new ByteWriter(64 * 1024);
  /** Trace (index into `traces`) of each row, in the order added. */
  private readonly rowTraces: number[] = [];
  private readonly traces: TraceTotals[] = [];
  private readonly traceIndexes = new Map<string, number>();
  private lastTraceId = '';
  private lastTraceIndex = -1;
  /** Whether some trace's rows were added with another trace's rows between them. */
  private interleaved = false;
  /** The service of the last row and its string: a resource's spans come one after another. */
  private lastService: string | undefined;
  private lastServiceIndex = 0;

  constructor(private readonly format: PayloadFormat) {}

  get spanCount(): number {
    return this.rowTraces.length;
  }

  addSpan(span: SpanRowInput): void {
    let endLow = span.startLow + span.durationLow;
    let endHigh = span.startHigh + span.durationHigh;
    if (endLow >= WORD) {
      endLow -= WORD;
      endHigh++;
    }
    let traceIndex = this.lastTraceIndex;
    if (span.traceId !== this.lastTraceId) {
      traceIndex = this.traceIndexes.get(span.traceId) ?? -1;
      if (traceIndex < 0) {
        traceIndex = this.traces.length;
        this.traceIndexes.set(span.traceId, traceIndex);
        this.traces.push({ traceId: span.traceId, traceIdBytes: span.traceIdBytes, rows: 0, startHigh: span.startHigh, startLow: span.startLow, endHigh, endLow, errors: 0 });
      } else {
        // Back to a trace after another one: its rows are no longer together.
        this.interleaved = true;
      }
      this.lastTraceId = span.traceId;
      this.lastTraceIndex = traceIndex;
    }
    const totals = this.traces[traceIndex];
    totals.rows++;
    if (span.startHigh < totals.startHigh || (span.startHigh === totals.startHigh && span.startLow < totals.startLow)) {
      totals.startHigh = span.startHigh;
      totals.startLow = span.startLow;
    }
    if (endHigh > totals.endHigh || (endHigh === totals.endHigh && endLow > totals.endLow)) {
      totals.endHigh = endHigh;
      totals.endLow = endLow;
    }
    if (span.status === 2) totals.errors++;
    this.rowTraces.push(traceIndex);

    const strings = this.strings;
    const code = span.code;
    const genAi = span.genAi;
    // The row's fields in SPAN_ROW order, written in place: one capacity check per row.
    const at = this.rows.claim(ROW_BYTES);
    const bytes = this.rows.buffer;
    const view = this.rows.dataView;
    writeIdAt(bytes, at + SPAN_ROW.spanId, span.spanId, 8);
    writeIdAt(bytes, at + SPAN_ROW.parentSpanId, span.parentSpanId, 8);
    view.setUint32(at + SPAN_ROW.startLow, span.startLow, true);
    view.setUint32(at + SPAN_ROW.startHigh, span.startHigh >>> 0, true);
    view.setUint32(at + SPAN_ROW.durationLow, span.durationLow, true);
    view.setUint32(at + SPAN_ROW.durationHigh, span.durationHigh >>> 0, true);
    if (span.serviceName !== this.lastService) {
      this.lastService = span.serviceName;
      this.lastServiceIndex = strings.index(span.serviceName);
    }
    view.setUint32(at + SPAN_ROW.service, this.lastServiceIndex, true);
    const nameIndex = strings.index(span.name);
    view.setUint32(at + SPAN_ROW.name, nameIndex, true);
    // Spans are often named after their function: then the name's index serves, without a second lookup.
    const functionIndex = code.functionName === undefined ? NONE : code.functionName === span.name ? nameIndex : strings.index(code.functionName);
    view.setUint32(at + SPAN_ROW.codeFunction, functionIndex, true);
    view.setUint32(at + SPAN_ROW.codeFile, code.filePath === undefined ? NONE : strings.index(code.filePath), true);
    view.setUint32(at + SPAN_ROW.codeLine, code.lineNumber ?? 0, true);
    bytes[at + SPAN_ROW.kind] = span.kind;
    bytes[at + SPAN_ROW.status] = span.status;
    bytes[at + SPAN_ROW.codeFileOrigin] = code.fileOrigin === 'code' ? 1 : code.fileOrigin === 'datadog' ? 2 : 0;
    bytes[at + SPAN_ROW.codeFileOrigin + 1] = 0;
    view.setUint32(at + SPAN_ROW.codeColumn, code.columnNumber ?? 0, true);
    view.setUint32(at + SPAN_ROW.codeStackTrace, code.stackTrace === undefined ? NONE : strings.index(code.stackTrace), true);
    if (genAi === undefined) {
      view.setUint32(at + SPAN_ROW.genAiModel, NONE, true);
      view.setUint32(at + SPAN_ROW.genAiInputTokens, NO_TOKENS, true);
      view.setUint32(at + SPAN_ROW.genAiOutputTokens, NO_TOKENS, true);
    } else {
      view.setUint32(at + SPAN_ROW.genAiModel, genAi.model === undefined ? NONE : strings.index(genAi.model), true);
      view.setUint32(at + SPAN_ROW.genAiInputTokens, genAi.inputTokens ?? NO_TOKENS, true);
      view.setUint32(at + SPAN_ROW.genAiOutputTokens, genAi.outputTokens ?? NO_TOKENS, true);
    }
  }

  /** The framed record: index, then `body`. */
  finish(body: Uint8Array): FramedRecord {
    const traceTable = new ByteWriter(16 + this.traces.length * 40);
    for (const totals of this.traces) {
      if (totals.traceIdBytes === undefined) traceTable.hexId(totals.traceId, 16);
      else traceTable.raw(totals.traceIdBytes);
      traceTable.u32(totals.rows);
      traceTable.u32(totals.startLow);
      traceTable.u32(totals.startHigh >>> 0);
      traceTable.u32(totals.endLow);
      traceTable.u32(totals.endHigh >>> 0);
      traceTable.u32(totals.errors);
    }
    const header = new ByteWriter(SPANS_HEADER_BYTES + this.strings.byteEstimate);
    header.u8(RecordKind.Spans);
    header.u8(RECORD_VERSION);
    header.u8(ENCODING_CODES[this.format.encoding]);
    header.u8(COMPRESSION_CODES[this.format.compression]);
    header.u32(this.strings.size);
    header.u32(this.traces.length);
    header.u32(this.rowTraces.length);
    header.u32(this.tags.count);
    header.u32(body.length);
    this.strings.writeTo(header);
    return frameRecord([header.written(), traceTable.written(), this.groupedRows(), this.tags.written()], body);
  }

  // Rows were written as spans came; the record keeps each trace's rows together, traces in first-seen order.
  // Exporters mostly send a trace's spans together, and then the rows are in that order already.
  private groupedRows(): Uint8Array {
    const written = this.rows.written();
    if (!this.interleaved) return written;
    const grouped = new Uint8Array(written.length);
    const next = new Array<number>(this.traces.length);
    let offset = 0;
    for (let trace = 0; trace < this.traces.length; trace++) {
      next[trace] = offset;
      offset += this.traces[trace].rows * ROW_BYTES;
    }
    const rowTraces = this.rowTraces;
    let row = 0;
    while (row < rowTraces.length) {
      // A run of rows of one trace moves in one copy.
      const trace = rowTraces[row];
      let runEnd = row + 1;
      while (runEnd < rowTraces.length && rowTraces[runEnd] === trace) runEnd++;
      grouped.set(written.subarray(row * ROW_BYTES, runEnd * ROW_BYTES), next[trace]);
      next[trace] += (runEnd - row) * ROW_BYTES;
      row = runEnd;
    }
    return grouped;
  }
}

/** The framed record for model traces decoded from `body` (JSON requests, tests). */
export function encodeSpanRecord(traces: readonly Trace[], body: Uint8Array, format: PayloadFormat): FramedRecord {
  const builder = new SpanRecordBuilder(format);
  for (const trace of traces) {
    for (const span of trace.spans) {
      builder.addSpan({
        traceId: span.traceId,
        traceIdBytes: undefined,
        spanId: span.spanId,
        parentSpanId: span.parentSpanId,
        startHigh: highWord(span.startTimeUnixNano),
        startLow: lowWord(span.startTimeUnixNano),
        durationHigh: highWord(span.durationNano),
        durationLow: lowWord(span.durationNano),
        serviceName: span.resource.serviceName,
        name: span.name,
        kind: KIND_NUMBERS.get(span.kind) ?? 0,
        status: STATUS_NUMBERS.get(span.status.code) ?? 0,
        code: codeLocationOfSpan(span),
        genAi: genAiUsage(span.attributes),
      });
      if (builder.tags.samples(builder.spanCount - 1)) builder.tags.addModelAttributes(span.attributes, TagScope.Span, undefined);
      builder.tags.addModelAttributes(span.resource.attributes, TagScope.Resource, span.resource);
    }
  }
  return builder.finish(body);
}

/** The value's bits above the low 32, as a number (exact below 2^85). */
export function highWord(value: bigint): number {
  return Number(value >> 32n);
}

/** The value's low 32 bits. */
export function lowWord(value: bigint): number {
  return Number(value & 0xffffffffn);
}

/** The framed tombstone for an evicted trace. */
export function encodeTombstone(traceId: string): FramedRecord {
  const writer = new ByteWriter(32);
  writer.u8(RecordKind.Tombstone);
  writer.u8(RECORD_VERSION);
  writer.hexId(traceId, 16);
  return frameRecord([writer.written()], new Uint8Array(0));
}

/** An ID into the `byteLength` bytes at `at`: hex as writeHexId reads it; bytes right-aligned, zeros when longer. */
function writeIdAt(bytes: Buffer, at: number, id: string | Uint8Array | undefined, byteLength: number): void {
  if (typeof id !== 'string' && id !== undefined && id.length <= byteLength) {
    // Shorter IDs are read as left-padded, as the JSON parser reads short hex.
    const pad = byteLength - id.length;
    for (let i = 0; i < pad; i++) bytes[at + i] = 0;
    for (let i = 0; i < id.length; i++) bytes[at + pad + i] = id[i];
    return;
  }
  writeHexId(bytes, at, typeof id === 'string' ? id : undefined, byteLength);
}

class StringTable {
  private readonly indexes = new Map<string, number>();
  private readonly list: string[] = [];
  byteEstimate = 0;

  get size(): number {
    return this.list.length;
  }

  index(text: string): number {
    let index = this.indexes.get(text);
    if (index === undefined) {
      index = this.list.length;
      this.indexes.set(text, index);
      this.list.push(text);
      this.byteEstimate += 4 + text.length * 3;
    }
    return index;
  }

  writeTo(writer: ByteWriter): void {
    for (const text of this.list) {
      const lengthAt = writer.position;
      writer.u32(0);
      writer.patchU32(lengthAt, writer.utf8(text));
    }
  }
}

/** Distinct scalar attribute values of the spans and their resources, up to MAX_RECORD_TAGS. */
export class TagCollector {
  // Scope, then key, then values: lookups with the strings at hand, no key built per attribute.
  private readonly seen = [new Map<string, Set<string>>(), new Map<string, Set<string>>()];
  private readonly seenResources = new Set<object>();
  private readonly table = new ByteWriter(1024);
  count = 0;

  constructor(private readonly strings: StringTable) {}

  get full(): boolean {
    return this.count >= MAX_RECORD_TAGS;
  }

  /** Whether the span at `index` (in the order spans were added) has its attributes listed. */
  samples(index: number): boolean {
    return index < TAG_SAMPLE_HEAD || index % TAG_SAMPLE_STRIDE === 0;
  }

  /**
   * Notes a resource the first time it is seen; false when it was seen before (its attributes are then
   * not offered again).
   */
  firstSight(resource: object): boolean {
    if (this.seenResources.has(resource)) return false;
    this.seenResources.add(resource);
    return true;
  }

  addModelAttributes(attributes: readonly Attribute[], scope: 0 | 1, resource: Resource | undefined): void {
    if (this.full || (resource !== undefined && !this.firstSight(resource))) return;
    for (const { key, value } of attributes) {
      if (value.type === 'bytes') continue;
      const values = this.valuesOf(scope, key);
      if (values !== undefined) this.add(values, scope, key, attributeText(value));
    }
  }

  /**
   * The values of `key` taken so far, or undefined when the record takes no more of them (it is full, or
   * the key has MAX_RECORD_VALUES_PER_KEY already). Callers compute a value's text only when needed.
   */
  valuesOf(scope: 0 | 1, key: string): Set<string> | undefined {
    if (this.count >= MAX_RECORD_TAGS) return undefined;
    const byKey = this.seen[scope];
    let values = byKey.get(key);
    if (values === undefined) {
      values = new Set();
      byKey.set(key, values);
    }
    return values.size < MAX_RECORD_VALUES_PER_KEY ? values : undefined;
  }

  /** `text` as attributeText gives it; undefined values (lists, maps, empty) are skipped. */
  add(values: Set<string>, scope: 0 | 1, key: string, text: string | undefined): void {
    if (text === undefined || text.length > MAX_TAG_VALUE_LENGTH || values.has(text)) return;
    values.add(text);
    this.table.u8(scope);
    this.table.u32(this.strings.index(key));
    this.table.u32(this.strings.index(text));
    this.count++;
  }

  written(): Uint8Array {
    return this.table.written();
  }
}
