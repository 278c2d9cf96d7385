// The one interface every trace backend client implements, and the plain data it takes and returns.
// Units live in names: absolute times are Unix ms (number) in queries and Unix ns (bigint) in results.

import type { SpanKind, Trace, TraceFormat } from '../model/trace';

/** `local` is the embedded store, which is opened from a directory rather than created from a URL. */
export type BackendType = 'jaeger' | 'zipkin' | 'tempo' | 'local';

/** Backends reached over HTTP at a URL. */
export type RemoteBackendType = Exclude<BackendType, 'local'>;

export const REMOTE_BACKEND_TYPES: readonly RemoteBackendType[] = ['jaeger', 'zipkin', 'tempo'];

/** Names users know the backends by, for messages. */
export const BACKEND_LABELS: Readonly<Record<BackendType, string>> = {
  jaeger: 'Jaeger',
  zipkin: 'Zipkin',
  tempo: 'Tempo',
  local: 'Local store',
};

/** What a backend can do, so the UI offers only what works. */
export interface BackendCapabilities {
  /** Raw TraceQL in `TraceQuery.traceQL` (Tempo). */
  readonly traceQL: boolean;
  /** Attribute (tag) filters in `TraceQuery.attributes`. */
  readonly attributeSearch: boolean;
  /** `listOperations` returns the span names of a service. */
  readonly operations: boolean;
  /** `tagNames` / `tagValues` offer completion while writing a search. */
  readonly tagCompletion: boolean;
  /** `queryRange` runs TraceQL metrics queries on the server. */
  readonly metricsQuery: boolean;
  /** A search must name a service. */
  readonly searchNeedsService: boolean;
}

/** Every call takes one, so cancelling an editor operation aborts its request. */
export interface RequestOptions {
  readonly signal?: AbortSignal;
}

export interface GetTraceOptions extends RequestOptions {
  /** Narrows the storage lookup where the backend supports it (Jaeger, Tempo). */
  readonly startUnixMillis?: number;
  readonly endUnixMillis?: number;
}

/**
 * A trace search. All filters are AND-ed. The window is `startUnixMillis`..`endUnixMillis`; a missing end
 * is now, a missing start is end − `lookbackMillis` (default 1 h).
 */
export interface TraceQuery {
  readonly service?: string;
  readonly operation?: string;
  readonly minDurationNano?: bigint;
  readonly maxDurationNano?: bigint;
  readonly startUnixMillis?: number;
  readonly endUnixMillis?: number;
  readonly lookbackMillis?: number;
  /** Exact-match attribute (tag) filters; one span must carry all of them. */
  readonly attributes?: Readonly<Record<string, string>>;
  /** Tempo only (`capabilities.traceQL`); when set, the other filters except window and limit are not used. */
  readonly traceQL?: string;
  /** Tempo only: spans returned per matching span set (`spss`). */
  readonly spansPerSpanSet?: number;
  /** Most traces to return (default 20). */
  readonly limit?: number;
}

export interface ServiceSpanStats {
  readonly name: string;
  readonly spanCount: number;
  readonly errorCount: number;
}

/** A span the search matched (Tempo span sets). */
export interface MatchedSpan {
  readonly spanId: string;
  readonly name: string | undefined;
  readonly startTimeUnixNano: bigint | undefined;
  readonly durationNano: bigint | undefined;
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
}

/** One row of a search result. Counts are undefined when the backend does not report them. */
export interface TraceSummary {
  /** 32 lowercase hex digits. */
  readonly traceId: string;
  readonly rootServiceName: string | undefined;
  readonly rootSpanName: string | undefined;
  readonly startTimeUnixNano: bigint | undefined;
  readonly durationNano: bigint | undefined;
  readonly spanCount: number | undefined;
  readonly errorCount: number | undefined;
  readonly services: readonly ServiceSpanStats[];
  readonly matchedSpans: readonly MatchedSpan[];
}

export interface TraceSearchResult {
  readonly summaries: readonly TraceSummary[];
  /** What the user should know about how the search ran (filters applied client-side, ignored, …). */
  readonly warnings: readonly string[];
}

export interface FetchedTrace {
  readonly trace: Trace;
  readonly format: TraceFormat;
  readonly warnings: readonly string[];
}

export interface Operation {
  readonly name: string;
  readonly spanKind: SpanKind | undefined;
}

export interface TagName {
  /** `span`, `resource`, `intrinsic`, … (Tempo), undefined where the backend has no scopes. */
  readonly scope: string | undefined;
  readonly name: string;
}

export interface TagValue {
  readonly value: string;
  /** `string`, `int`, `keyword`, … where the backend says. */
  readonly type: string | undefined;
}

export interface TagValuesOptions extends RequestOptions {
  /** Tempo: a TraceQL spanset filter that restricts the values, e.g. `{ resource.service.name = "api" }`. */
  readonly filterTraceQL?: string;
}

export interface MetricsRange {
  readonly startUnixMillis: number;
  readonly endUnixMillis: number;
  /** Width of one sample; the server picks one when omitted. */
  readonly stepMillis?: number;
}

export type MetricsLabelValue = string | number | boolean;

export interface MetricsLabel {
  readonly key: string;
  readonly value: MetricsLabelValue;
}

export interface MetricsSample {
  readonly timestampUnixMillis: number;
  /** Durations are seconds, as TraceQL metrics report them. */
  readonly value: number;
}

export interface MetricsExemplar {
  readonly labels: readonly MetricsLabel[];
  readonly value: number;
  readonly timestampUnixMillis: number;
  /** From the `trace:id` label, 32 hex digits, when present. */
  readonly traceId: string | undefined;
}

export interface MetricsSeries {
  readonly labels: readonly MetricsLabel[];
  readonly samples: readonly MetricsSample[];
  readonly exemplars: readonly MetricsExemplar[];
}

export interface MetricsQueryResult {
  readonly series: readonly MetricsSeries[];
  /** The server answered with a partial result; `message` says why. */
  readonly partial: boolean;
  readonly message: string | undefined;
}

/**
 * A trace backend. Methods a backend lacks (see `capabilities`) reject with a BackendError of kind
 * `unsupported`; every failure is a BackendError with a message a user can act on.
 */
export interface TraceBackend {
  readonly type: BackendType;
  /** "Jaeger at http://localhost:16686", for messages and titles; never holds credentials. */
  readonly displayName: string;
  readonly capabilities: BackendCapabilities;

  getTrace(traceId: string, options?: GetTraceOptions): Promise<FetchedTrace>;
  searchTraces(query: TraceQuery, options?: RequestOptions): Promise<TraceSearchResult>;
  listServices(options?: RequestOptions): Promise<readonly string[]>;
  listOperations(service: string, options?: RequestOptions): Promise<readonly Operation[]>;
  tagNames(scope?: string, options?: RequestOptions): Promise<readonly TagName[]>;
  tagValues(tag: string, options?: TagValuesOptions): Promise<readonly TagValue[]>;
  queryRange(query: string, range: MetricsRange, options?: RequestOptions): Promise<MetricsQueryResult>;
  /** Closes pooled connections. */
  dispose(): Promise<void>;
}
