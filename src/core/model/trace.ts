// The one normalized trace model every parser produces and every consumer reads.
// IDs are lowercase hex; times are Unix nanoseconds as bigint, because they exceed 2^53.

/** A typed attribute value. int64 stays a decimal string so no precision is lost. */
export type AnyValue =
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'bool'; readonly value: boolean }
  | { readonly type: 'int'; readonly value: string }
  | { readonly type: 'double'; readonly value: number }
  | { readonly type: 'bytes'; readonly value: string /* base64 */ }
  | { readonly type: 'array'; readonly value: readonly AnyValue[] }
  | { readonly type: 'map'; readonly value: readonly Attribute[] }
  | { readonly type: 'empty'; readonly value: null };

export interface Attribute {
  readonly key: string;
  readonly value: AnyValue;
}

export type SpanKind = 'unspecified' | 'internal' | 'server' | 'client' | 'producer' | 'consumer';

export type StatusCode = 'unset' | 'ok' | 'error';

export interface SpanStatus {
  readonly code: StatusCode;
  readonly message?: string;
}

export interface SpanEvent {
  readonly timeUnixNano: bigint;
  readonly name: string;
  readonly attributes: readonly Attribute[];
}

export interface SpanLink {
  readonly traceId: string;
  readonly spanId: string;
  readonly traceState?: string;
  readonly attributes: readonly Attribute[];
}

/** Shared by all spans from one process; parsers reuse one object per resource. */
export interface Resource {
  readonly serviceName: string;
  readonly attributes: readonly Attribute[];
}

/** Instrumentation scope (library) that produced the span. */
export interface InstrumentationScope {
  readonly name: string;
  readonly version?: string;
  readonly attributes: readonly Attribute[];
}

export interface Span {
  /** 32 lowercase hex digits (64-bit IDs are left-padded). */
  readonly traceId: string;
  /** 16 lowercase hex digits. */
  readonly spanId: string;
  /** Parent span ID, or undefined for a root. */
  readonly parentSpanId: string | undefined;
  readonly name: string;
  readonly kind: SpanKind;
  readonly status: SpanStatus;
  readonly startTimeUnixNano: bigint;
  readonly durationNano: bigint;
  readonly attributes: readonly Attribute[];
  readonly events: readonly SpanEvent[];
  readonly links: readonly SpanLink[];
  readonly resource: Resource;
  readonly scope: InstrumentationScope;
  readonly traceState?: string;
}

export interface Trace {
  readonly traceId: string;
  readonly spans: readonly Span[];
}

/** Formats SpanLens reads; names are user-facing (CLI output, error messages). */
export type TraceFormat =
  | 'jaeger-v1'
  | 'jaeger-v3'
  | 'otlp-json'
  | 'otlp-jsonl'
  | 'zipkin-v2'
  | 'tempo-v1'
  | 'tempo-v2';

export interface ParsedTraces {
  readonly format: TraceFormat;
  readonly traces: readonly Trace[];
  /** Things that were repaired or guessed while parsing, in words a user understands. */
  readonly warnings: readonly string[];
}

export const EMPTY_SCOPE: InstrumentationScope = Object.freeze({ name: '', attributes: Object.freeze([]) });

export function serviceOf(span: Span): string {
  return span.resource.serviceName;
}
