// The one message protocol between the extension host and the waterfall webview.
// Both sides import this file; nothing else crosses the boundary.

/** Span kinds as small integers, for the columnar `flags` column (bits 1-3). */
export const SPAN_KIND_CODES = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'] as const;

/** Bit in the `flags` column: the span has error status. */
export const SPAN_FLAG_ERROR = 1;
/** Shift of the span-kind code inside the `flags` column. */
export const SPAN_FLAG_KIND_SHIFT = 1;

/**
 * A whole trace in columnar form. Each column is an ArrayBuffer holding one value per span, in display
 * order (pre-order DFS, children by start time), so a million spans cross without one giant JSON string.
 */
export interface ColumnarTraceMessage {
  /** Trace ID, 32 lowercase hex digits. */
  readonly traceId: string;
  /** Number of spans; every column has this many values. */
  readonly spanCount: number;
  /** Earliest span start, Unix nanoseconds as a decimal string (exceeds 2^53). */
  readonly traceStartUnixNano: string;
  /** Latest span end minus earliest start, in nanoseconds. */
  readonly traceDurationNano: number;
  /** Distinct service names; `serviceIndex` points here. */
  readonly services: readonly string[];
  /** Distinct span names; `nameIndex` points here. */
  readonly names: readonly string[];
  /** Float64: span start minus trace start, in nanoseconds. */
  readonly startOffsetNano: ArrayBuffer;
  /** Float64: span duration in nanoseconds. */
  readonly durationNano: ArrayBuffer;
  /** Uint16: depth in the tree, roots at 0. */
  readonly depth: ArrayBuffer;
  /** Int32: display position of the parent, or -1 for a root. */
  readonly parentPosition: ArrayBuffer;
  /** Int32: one past the display position of the last span in this span's subtree. */
  readonly subtreeEnd: ArrayBuffer;
  /** Uint32: index into `services`. */
  readonly serviceIndex: ArrayBuffer;
  /** Uint32: index into `names`. */
  readonly nameIndex: ArrayBuffer;
  /** Uint8: SPAN_FLAG_ERROR | kind code << SPAN_FLAG_KIND_SHIFT. */
  readonly flags: ArrayBuffer;
}

/** An attribute made ready to show: the value already rendered to text. */
export interface DisplayAttribute {
  /** Attribute key. */
  readonly key: string;
  /** Value type: string, bool, int, double, bytes, array, map or empty. */
  readonly type: string;
  /** The value as text (arrays and maps as JSON). */
  readonly text: string;
}

/** Everything the detail pane shows for one span; sent on request, one span at a time. */
export interface SpanDetail {
  /** Display position of the span. */
  readonly position: number;
  /** Span ID, 16 lowercase hex digits. */
  readonly spanId: string;
  /** Parent span ID, if any. */
  readonly parentSpanId?: string;
  /** Span name. */
  readonly name: string;
  /** Service (resource `service.name`). */
  readonly service: string;
  /** Span kind name. */
  readonly kind: string;
  /** Status code: unset, ok or error. */
  readonly statusCode: string;
  /** Status message, if any. */
  readonly statusMessage?: string;
  /** Start, Unix nanoseconds as a decimal string. */
  readonly startTimeUnixNano: string;
  /** Duration in nanoseconds, as a decimal string. */
  readonly durationNano: string;
  /** Span attributes. */
  readonly attributes: readonly DisplayAttribute[];
  /** Resource attributes. */
  readonly resource: readonly DisplayAttribute[];
  /** Instrumentation scope name and version, if known. */
  readonly scope: { readonly name: string; readonly version?: string; readonly attributes: readonly DisplayAttribute[] };
  /** Events (logs), with time relative to the span start. */
  readonly events: readonly { readonly offsetNano: number; readonly name: string; readonly attributes: readonly DisplayAttribute[] }[];
  /** Links to other spans. */
  readonly links: readonly { readonly traceId: string; readonly spanId: string; readonly attributes: readonly DisplayAttribute[] }[];
  /** Where in the source the span says it was produced; the webview offers `revealCode` for it. */
  readonly codeLocation?: SpanCodeText;
}

/** A span's code location as its attributes state it, before mapping onto the workspace. */
export interface SpanCodeText {
  readonly functionName?: string;
  readonly filePath?: string;
  /** 1-based. */
  readonly lineNumber?: number;
  /** 1-based. */
  readonly columnNumber?: number;
}

/** Where the panel's trace came from, kept in webview state so a reload can fetch it again. */
export type TraceSource =
  | { readonly kind: 'file'; /** File URI as a string. */ readonly uri: string; /** Which trace in the file. */ readonly traceId: string }
  | { readonly kind: 'backend'; /** Name of the configured backend. */ readonly backend: string; /** Trace ID, 32 hex digits. */ readonly traceId: string };

/** What the webview persists with setState(); the panel serializer reads it back. */
export interface WaterfallViewState {
  /** Where to reload the trace from. */
  readonly source: TraceSource;
  /** Display positions of collapsed spans. */
  readonly collapsed?: readonly number[];
  /** Vertical scroll offset in pixels. */
  readonly scrollTop?: number;
  /** Selected display position, if any. */
  readonly selected?: number;
}

export type HostToWebviewMessage =
  | {
      readonly type: 'loadTrace';
      /** The trace, columnar. */
      readonly trace: ColumnarTraceMessage;
      /** Where it came from, to store in view state. */
      readonly source: TraceSource;
      /** Human title, e.g. file name and root span. */
      readonly title: string;
      /** Parser warnings to show in a banner. */
      readonly warnings: readonly string[];
    }
  | {
      readonly type: 'spanDetail';
      /** Echo of the request's ID. */
      readonly requestId: number;
      /** The detail, or undefined if the position is out of range. */
      readonly detail: SpanDetail | undefined;
    }
  | {
      readonly type: 'selectSpan';
      /** Display position to select and scroll to. */
      readonly position: number;
    }
  | {
      readonly type: 'showError';
      /** Message to show instead of a trace. */
      readonly message: string;
    };

export type WebviewToHostMessage =
  | { readonly type: 'ready' }
  | {
      readonly type: 'requestSpanDetail';
      /** Chosen by the webview; echoed in the reply. */
      readonly requestId: number;
      /** Display position of the span. */
      readonly position: number;
    }
  | {
      /** Open the span's code location in the editor group beside the waterfall. */
      readonly type: 'revealCode';
      /** Display position of the span. */
      readonly position: number;
    }
  | {
      /** Open the trace a span link points to, from the same source. */
      readonly type: 'openLinkedTrace';
      /** 32 lowercase hex digits. */
      readonly traceId: string;
      /** 16 lowercase hex digits. */
      readonly spanId: string;
    };

/** Checks a value read back from webview state. */
export function isTraceSource(value: unknown): value is TraceSource {
  if (typeof value !== 'object' || value === null) return false;
  const source = value as Record<string, unknown>;
  if (typeof source.traceId !== 'string') return false;
  if (source.kind === 'file') return typeof source.uri === 'string';
  if (source.kind === 'backend') return typeof source.backend === 'string';
  return false;
}

/** True when two sources name the same trace. */
export function sameTraceSource(a: TraceSource, b: TraceSource): boolean {
  if (a.traceId !== b.traceId) return false;
  if (a.kind === 'file' && b.kind === 'file') return a.uri === b.uri;
  if (a.kind === 'backend' && b.kind === 'backend') return a.backend === b.backend;
  return false;
}
