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
  // protobufjs reads strings with Buffer's native UTF-8 decoder only from a Buffer; bytes that crossed a
  // thread arrive as a plain Uint8Array, which it reads about twice as slowly. A view costs no copy.
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return traceService.ExportTraceServiceRequest.decode(buffer);
}

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
