// The store record for a protobuf request, indexed straight from the decoded messages. Ingest needs only
// the index fields, and skipping the full model conversion (every attribute, event and link) is what keeps
// protobuf ingest above 100k spans/s on one core. Reading a trace back still goes through the model parser
// (decodeOtlpPayload); the rules here give the same rows, which a test checks on tricky input.

import { UNKNOWN_SERVICE } from '../formats/otlpJson';
import type { PayloadFormat } from '../otlp/decodeOtlpPayload';
import { bytesToHex } from '../model/bytesToHex';
import type { DecodedAnyValue, DecodedExportTraceRequest, DecodedInt64, DecodedKeyValue } from '../otlp/otlpProtobuf';
import { int64ToDecimal } from '../otlp/otlpProtobuf';
import type { FramedRecord } from './recordFrame';
import { TagScope } from './recordLayout';
import { CodeLocationReader, NO_CODE_LOCATION } from '../codeMapping/spanCodeLocation';
import { GenAiUsageReader } from '../genai/genAiUsage';
import type { SpanRowInput } from './spanRecordWriter';
import { SpanRecordBuilder, WORD, highWord, lowWord } from './spanRecordWriter';

export interface ProtobufRecord {
  /** Undefined when no span could be stored. */
  readonly record: FramedRecord | undefined;
  readonly acceptedSpans: number;
  readonly rejectedSpans: number;
  readonly firstRejection: string | undefined;
}

const codeReader = new CodeLocationReader();
const genAiReader = new GenAiUsageReader();

/** Slots of the trace ID cache, a power of two. */
const TRACE_ID_SLOTS = 1024;

/**
 * Hex of the trace IDs seen lately. A trace's spans come in several resources and requests; one string per
 * trace spares building the hex again, and the builder's lookups of it find its hash already computed.
 */
class TraceIdHexCache {
  private readonly ids = new Uint8Array(TRACE_ID_SLOTS * 16);
  private readonly hex: string[] = new Array<string>(TRACE_ID_SLOTS).fill('');

  /** `id` is 16 bytes. */
  of(id: Uint8Array): string {
    // The low bytes: IDs padded from 64 bits, or led by a timestamp, vary there.
    const slot = (id[15] | (id[14] << 8)) & (TRACE_ID_SLOTS - 1);
    const at = slot * 16;
    const ids = this.ids;
    let i = 0;
    while (i < 16 && ids[at + i] === id[i]) i++;
    if (i === 16 && this.hex[slot] !== '') return this.hex[slot];
    const hex = bytesToHex(id);
    ids.set(id, at);
    this.hex[slot] = hex;
    return hex;
  }
}

const traceIdHex = new TraceIdHexCache();

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export function encodeProtobufRecord(request: DecodedExportTraceRequest, body: Uint8Array, format: PayloadFormat): ProtobufRecord {
  const builder = new SpanRecordBuilder(format);
  let rejectedSpans = 0;
  let firstRejection: string | undefined;
  let lastTraceBytes: Uint8Array | undefined;
  // One row object refilled for every span: addSpan copies what it needs.
  const row: Mutable<SpanRowInput> = {
    traceId: '',
    traceIdBytes: undefined,
    spanId: '',
    parentSpanId: undefined,
    startHigh: 0,
    startLow: 0,
    durationHigh: 0,
    durationLow: 0,
    serviceName: '',
    name: '',
    kind: 0,
    status: 0,
    code: NO_CODE_LOCATION,
    genAi: undefined,
  };
  for (let r = 0; r < request.resourceSpans.length; r++) {
    const resourceSpans = request.resourceSpans[r];
    const resourceAttributes = resourceSpans.resource?.attributes ?? [];
    row.serviceName = serviceNameOf(resourceAttributes);
    // The resource's attributes are offered once, after its first stored span's: no set lookup per span.
    let resourceOffered = false;
    for (let s = 0; s < resourceSpans.scopeSpans.length; s++) {
      const spans = resourceSpans.scopeSpans[s].spans;
      for (let i = 0; i < spans.length; i++) {
        const span = spans[i];
        const traceBytes = span.traceId;
        // A trace's spans mostly come together: the same bytes as the last valid trace ID are valid too.
        if (lastTraceBytes === undefined || traceBytes === null || !sameBytes(traceBytes, lastTraceBytes)) {
          if (!isId(traceBytes, 16)) {
            if (rejectedSpans++ === 0) firstRejection = rejection(r, s, i, 'traceId');
            continue;
          }
          lastTraceBytes = traceBytes as Uint8Array;
          row.traceId = traceIdHex.of(lastTraceBytes);
          row.traceIdBytes = lastTraceBytes;
        }
        if (!isId(span.spanId, 8)) {
          if (rejectedSpans++ === 0) firstRejection = rejection(r, s, i, 'spanId');
          continue;
        }
        const kind = span.kind ?? 0;
        const status = span.status?.code ?? 0;
        const attributes = span.attributes;
        for (let a = 0; a < attributes.length; a++) {
          const attribute = attributes[a];
          const key = attribute.key;
          const value = attribute.value;
          if (value === null || key === null) continue;
          const reader = CodeLocationReader.wants(key) ? codeReader : GenAiUsageReader.wants(key) ? genAiReader : undefined;
          if (reader === undefined) continue;
          if (value.stringValue !== null) reader.offer(key, value.stringValue, undefined);
          else if (value.intValue !== null) reader.offer(key, undefined, int64ToDecimal(value.intValue));
        }
        const events = span.events;
        for (let e = 0; e < events.length; e++) {
          if (events[e].name === 'exception') codeReader.offerExceptionEvent(exceptionStackTrace(events[e].attributes));
        }
        row.spanId = span.spanId as Uint8Array;
        row.parentSpanId = span.parentSpanId === null || span.parentSpanId.length === 0 ? undefined : span.parentSpanId;
        setTimes(row, span.startTimeUnixNano, span.endTimeUnixNano);
        row.name = span.name ?? '';
        // The parser shows unknown kinds as unspecified and unknown status codes as unset.
        row.kind = Number.isInteger(kind) && kind >= 0 && kind <= 5 ? kind : 0;
        row.status = Number.isInteger(status) && status >= 0 && status <= 2 ? status : 0;
        row.code = codeReader.result();
        row.genAi = genAiReader.result();
        builder.addSpan(row);
        if (!builder.tags.full) {
          if (builder.tags.samples(builder.spanCount - 1)) addTags(builder, attributes, TagScope.Span);
          if (!resourceOffered) {
            resourceOffered = true;
            if (builder.tags.firstSight(resourceSpans)) addTags(builder, resourceAttributes, TagScope.Resource);
          }
        }
      }
    }
  }
  const acceptedSpans = builder.spanCount;
  return { record: acceptedSpans === 0 ? undefined : builder.finish(body), acceptedSpans, rejectedSpans, firstRejection };
}

function rejection(r: number, s: number, i: number, field: 'traceId' | 'spanId'): string {
  return `resourceSpans[${r}].scopeSpans[${s}].spans[${i}] has no valid "${field}"`;
}

function exceptionStackTrace(attributes: readonly DecodedKeyValue[]): string | undefined {
  for (const attribute of attributes) {
    if (attribute.key === 'exception.stacktrace' && attribute.value !== null && attribute.value.stringValue !== null) return attribute.value.stringValue;
  }
  return undefined;
}

/** As the parser reads it: the first `service.name` with a string value, unless empty. */
function serviceNameOf(attributes: readonly DecodedKeyValue[]): string {
  for (const attribute of attributes) {
    if (attribute.key === 'service.name' && attribute.value !== null && attribute.value.stringValue !== null) {
      return attribute.value.stringValue === '' ? UNKNOWN_SERVICE : attribute.value.stringValue;
    }
  }
  return UNKNOWN_SERVICE;
}

function addTags(builder: SpanRecordBuilder, attributes: readonly DecodedKeyValue[], scope: 0 | 1): void {
  const tags = builder.tags;
  for (const attribute of attributes) {
    if (attribute.value === null) continue;
    const key = attribute.key ?? '';
    const values = tags.valuesOf(scope, key);
    if (values !== undefined) tags.add(values, scope, key, scalarText(attribute.value));
  }
}

/** The text attributeText gives the parsed value; undefined for bytes, lists, maps and empty values. */
function scalarText(value: DecodedAnyValue): string | undefined {
  if (value.stringValue !== null) return value.stringValue;
  if (value.intValue !== null) return int64ToDecimal(value.intValue);
  if (value.boolValue !== null) return value.boolValue ? 'true' : 'false';
  if (value.doubleValue !== null) return String(value.doubleValue);
  return undefined;
}

/** Exactly `length` bytes, not all zero (OTLP's invalid ID). */
function isId(bytes: Uint8Array | null, length: number): boolean {
  if (bytes === null || bytes.length !== length) return false;
  for (let i = 0; i < length; i++) if (bytes[i] !== 0) return true;
  return false;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The row's start, and its duration: end minus start, 0 when the end is missing or before the start. */
function setTimes(row: Mutable<SpanRowInput>, start: DecodedInt64 | null, end: DecodedInt64 | null): void {
  if (typeof start === 'number' || typeof end === 'number') {
    setTimesOfNumbers(row, start, end);
    return;
  }
  // Long words, subtracted with a borrow: no BigInt per span.
  const startHigh = start === null ? 0 : start.high >>> 0;
  const startLow = start === null ? 0 : start.low >>> 0;
  row.startHigh = startHigh;
  row.startLow = startLow;
  row.durationHigh = 0;
  row.durationLow = 0;
  if (end === null) return;
  let high = (end.high >>> 0) - startHigh;
  let low = (end.low >>> 0) - startLow;
  if (low < 0) {
    low += WORD;
    high--;
  }
  if (high < 0) return;
  row.durationHigh = high;
  row.durationLow = low;
}

/** setTimes where protobufjs gives int64s as numbers (without long.js). */
function setTimesOfNumbers(row: Mutable<SpanRowInput>, start: DecodedInt64 | null, end: DecodedInt64 | null): void {
  const startNano = start === null ? 0n : toBigInt(start);
  const endNano = end === null ? 0n : toBigInt(end);
  const duration = endNano < startNano ? 0n : endNano - startNano;
  row.startHigh = highWord(startNano);
  row.startLow = lowWord(startNano);
  row.durationHigh = highWord(duration);
  row.durationLow = lowWord(duration);
}

function toBigInt(value: DecodedInt64): bigint {
  if (typeof value === 'number') return BigInt(Math.max(0, Math.trunc(value)));
  return (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0);
}
