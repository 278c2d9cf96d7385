// OTLP protobuf messages through the protobufjs static code that @opentelemetry/otlp-transformer 0.57.2
// generated from opentelemetry-proto (the last release that ships it). Its typings declare only a Root, so
// the decoded shapes used here are written out below; unset fields read as null (generated with null defaults).

import generatedRoot from '@opentelemetry/otlp-transformer/build/src/generated/root';

/** A protobuf int64: a long.js Long or, without long.js, a number (protobufjs picks at load time). */
export type DecodedInt64 = number | { readonly low: number; readonly high: number };

export interface DecodedAnyValue {
  readonly stringValue: string | null;
  readonly boolValue: boolean | null;
  readonly intValue: DecodedInt64 | null;
  readonly doubleValue: number | null;
  readonly arrayValue: { readonly values: readonly DecodedAnyValue[] } | null;
  readonly kvlistValue: { readonly values: readonly DecodedKeyValue[] } | null;
  readonly bytesValue: Uint8Array | null;
}

export interface DecodedKeyValue {
  readonly key: string | null;
  readonly value: DecodedAnyValue | null;
}

export interface DecodedEvent {
  readonly timeUnixNano: DecodedInt64 | null;
  readonly name: string | null;
  readonly attributes: readonly DecodedKeyValue[];
}

export interface DecodedLink {
  readonly traceId: Uint8Array | null;
  readonly spanId: Uint8Array | null;
  readonly traceState: string | null;
  readonly attributes: readonly DecodedKeyValue[];
}

export interface DecodedSpan {
  readonly traceId: Uint8Array | null;
  readonly spanId: Uint8Array | null;
  readonly traceState: string | null;
  readonly parentSpanId: Uint8Array | null;
  readonly name: string | null;
  readonly kind: number | null;
  readonly startTimeUnixNano: DecodedInt64 | null;
  readonly endTimeUnixNano: DecodedInt64 | null;
  readonly attributes: readonly DecodedKeyValue[];
  readonly events: readonly DecodedEvent[];
  readonly links: readonly DecodedLink[];
  readonly status: { readonly code: number | null; readonly message: string | null } | null;
}

export interface DecodedScopeSpans {
  readonly scope: { readonly name: string | null; readonly version: string | null; readonly attributes: readonly DecodedKeyValue[] } | null;
  readonly spans: readonly DecodedSpan[];
}

export interface DecodedResourceSpans {
  readonly resource: { readonly attributes: readonly DecodedKeyValue[] } | null;
  readonly scopeSpans: readonly DecodedScopeSpans[];
}

export interface DecodedExportTraceRequest {
  readonly resourceSpans: readonly DecodedResourceSpans[];
}

/** ExportTraceServiceResponse; `rejectedSpans` is an int64, given as a number. */
export interface ExportTraceResponseMessage {
  readonly partialSuccess?: { readonly rejectedSpans?: number; readonly errorMessage?: string };
}

interface DecodedExportTraceResponse {
  readonly partialSuccess: { readonly rejectedSpans: DecodedInt64 | null; readonly errorMessage: string | null } | null;
}

interface MessageCodec<T> {
  decode(bytes: Uint8Array): T;
  encode(message: object): { finish(): Uint8Array };
}

interface GeneratedOtlpRoot {
  readonly opentelemetry: {
    readonly proto: {
      readonly collector: {
        readonly trace: {
          readonly v1: {
            readonly ExportTraceServiceRequest: MessageCodec<DecodedExportTraceRequest>;
            readonly ExportTraceServiceResponse: MessageCodec<DecodedExportTraceResponse>;
          };
        };
      };
    };
  };
}

const traceService = (generatedRoot as unknown as GeneratedOtlpRoot).opentelemetry.proto.collector.trace.v1;

/** The gRPC method OTLP exporters call. */
export const TRACE_EXPORT_METHOD_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

/** Decodes an ExportTraceServiceRequest; throws the library's Error for bytes that are not one. */
export function decodeExportTraceRequest(bytes: Uint8Array): DecodedExportTraceRequest {
  // protobufjs reads strings with a Buffer's utf8Slice and bytes with its slice (a plain Uint8Array, as bytes
  // that crossed a thread arrive, it reads about twice as slowly). This view of the bytes, no copy, has both
  // replaced by cheaper ones below.
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  Object.setPrototypeOf(buffer, INTERNING_BUFFER);
  decodingBytes = buffer;
  decodingView = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  try {
    return traceService.ExportTraceServiceRequest.decode(buffer);
  } finally {
    decodingBytes = undefined;
    decodingView = NO_VIEW;
    lastTraceIdStart = -1;
    lastTraceId = NO_BYTES;
  }
}

interface NativeStringSlice {
  utf8Slice(this: Uint8Array, start: number, end: number): string;
}

const nativeUtf8Slice = (Buffer.prototype as unknown as NativeStringSlice).utf8Slice;

/** Strings up to this many bytes are interned: keys, names, paths; not stack traces or messages. */
const MAX_INTERNED_BYTES = 64;
/** Slots for interned strings (512 KiB of bytes): room for the several thousand texts a service's requests repeat. */
const INTERNED_SLOTS = 8192;
const internedStrings: string[] = new Array<string>(INTERNED_SLOTS).fill('');
/** The UTF-8 bytes of each interned string, MAX_INTERNED_BYTES apart, and their lengths. */
const internedBytes = new Uint8Array(INTERNED_SLOTS * MAX_INTERNED_BYTES);
const internedLengths = new Int32Array(INTERNED_SLOTS);
const internedView = new DataView(internedBytes.buffer);

/** The request being decoded, and a view of it that compares four bytes at a time. */
const NO_VIEW = new DataView(new ArrayBuffer(0));
let decodingBytes: Uint8Array | undefined;
let decodingView: DataView = NO_VIEW;

/**
 * The same text utf8Slice gives. A request repeats the same keys, names and paths span after span: one
 * string per distinct text spares a native call per field here, and each Map lookup of it later finds its
 * hash already computed. The slot comes from the first, middle and last four bytes; a full comparison decides.
 */
function internedUtf8Slice(this: Uint8Array, start: number, end: number): string {
  const length = end - start;
  if (length <= 0) return '';
  if (length > MAX_INTERNED_BYTES || this !== decodingBytes) return nativeUtf8Slice.call(this, start, end);
  if (length < 4) return internedShortText(this, start, end);
  const view = decodingView;
  let hash = Math.imul(length ^ view.getUint32(start, true), 0x01000193);
  hash = Math.imul(hash ^ view.getUint32(end - 4, true), 0x01000193);
  hash = Math.imul(hash ^ view.getUint32(start + ((length - 4) >> 1), true), 0x01000193);
  const slot = (hash ^ (hash >>> 15)) & (INTERNED_SLOTS - 1);
  if (internedLengths[slot] === length) {
    const at = slot * MAX_INTERNED_BYTES - start;
    let i = start;
    while (i + 4 <= end && internedView.getUint32(at + i, true) === view.getUint32(i, true)) i += 4;
    // The last word covers the 0 to 3 bytes left.
    if (i + 4 > end && internedView.getUint32(at + end - 4, true) === view.getUint32(end - 4, true)) return internedStrings[slot];
  }
  return internText(this, slot, start, end);
}

/** internedUtf8Slice for texts of one to three bytes, too short for word reads. */
function internedShortText(bytes: Uint8Array, start: number, end: number): string {
  const length = end - start;
  const hash = Math.imul(Math.imul(length ^ bytes[start], 0x01000193) ^ bytes[end - 1], 0x01000193) ^ bytes[start + (length >> 1)];
  const slot = (hash ^ (hash >>> 15)) & (INTERNED_SLOTS - 1);
  if (internedLengths[slot] === length) {
    const at = slot * MAX_INTERNED_BYTES - start;
    let i = start;
    while (i < end && internedBytes[at + i] === bytes[i]) i++;
    if (i === end) return internedStrings[slot];
  }
  return internText(bytes, slot, start, end);
}

function internText(bytes: Uint8Array, slot: number, start: number, end: number): string {
  const text = nativeUtf8Slice.call(bytes, start, end);
  const at = slot * MAX_INTERNED_BYTES - start;
  internedStrings[slot] = text;
  internedLengths[slot] = end - start;
  for (let i = start; i < end; i++) internedBytes[at + i] = bytes[i];
  return text;
}

const NO_BYTES: Uint8Array = new Uint8Array(0);

/**
 * The last 16-byte field read (a trace ID) and where it starts in the request. A trace's spans mostly come
 * one after another: they share one view, and the record builder sees the same trace by identity.
 */
let lastTraceId: Uint8Array = NO_BYTES;
let lastTraceIdStart = -1;

/**
 * What protobufjs reads bytes fields (IDs) with, through Buffer's slice: a plain view costs less to make
 * than a Buffer, and the decoded messages only promise Uint8Array.
 */
function plainSubarray(this: Uint8Array, start: number, end: number): Uint8Array {
  if (start < 0 || start > end || end > this.length) return Uint8Array.prototype.subarray.call(this, start, end);
  if (end - start !== 16 || this !== decodingBytes) return new Uint8Array(this.buffer, this.byteOffset + start, end - start);
  if (lastTraceIdStart < 0 || !sameTraceId(decodingView, start, lastTraceIdStart)) {
    lastTraceId = new Uint8Array(this.buffer, this.byteOffset + start, 16);
    lastTraceIdStart = start;
  }
  return lastTraceId;
}

function sameTraceId(view: DataView, start: number, other: number): boolean {
  return (
    view.getUint32(start) === view.getUint32(other) &&
    view.getUint32(start + 4) === view.getUint32(other + 4) &&
    view.getUint32(start + 8) === view.getUint32(other + 8) &&
    view.getUint32(start + 12) === view.getUint32(other + 12)
  );
}

const INTERNING_BUFFER: object = Object.create(Buffer.prototype, { utf8Slice: { value: internedUtf8Slice }, subarray: { value: plainSubarray } }) as object;

export function encodeExportTraceResponse(message: ExportTraceResponseMessage): Uint8Array {
  return traceService.ExportTraceServiceResponse.encode(message).finish();
}

/** For tests and clients: the partial success a response carries, if any. */
export function decodeExportTraceResponse(bytes: Uint8Array): { rejectedSpans: number; errorMessage: string } | undefined {
  const partial = traceService.ExportTraceServiceResponse.decode(bytes).partialSuccess;
  if (partial === null) return undefined;
  return { rejectedSpans: Number(int64ToDecimal(partial.rejectedSpans ?? 0)), errorMessage: partial.errorMessage ?? '' };
}

/** Encodes an int64 request field; OTLP/JSON and the model both want decimal text. */
export function int64ToDecimal(value: DecodedInt64): string {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? String(value) : BigInt(value).toString();
  const high = value.high | 0;
  const low = value.low >>> 0;
  // Below 2^53 a double holds the value exactly, and that path avoids BigInt.
  if (high >= 0 && high < 0x200000) return String(high * 4294967296 + low);
  if (high < 0 && high >= -0x200000) return String(high * 4294967296 + low);
  return ((BigInt(high) << 32n) + BigInt(low)).toString();
}

/** An unsigned fixed64 (timestamps) as decimal text. */
export function uint64ToDecimal(value: DecodedInt64): string {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? String(value) : BigInt(value).toString();
  const high = value.high >>> 0;
  const low = value.low >>> 0;
  if (high < 0x200000) return String(high * 4294967296 + low);
  return ((BigInt(high) << 32n) | BigInt(low)).toString();
}
