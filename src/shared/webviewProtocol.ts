// The one message protocol between the extension host and the waterfall webview.
// Both sides import this file; nothing else crosses the boundary.

/** Span kinds as small integers, for the columnar `flags` column (bits 1-3). */
export const SPAN_KIND_CODES = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'] as const;

/** Bit in the `flags` column: the span has error status. */
export const SPAN_FLAG_ERROR = 1;
/** Shift of the span-kind code inside the `flags` column. */
export const SPAN_FLAG_KIND_SHIFT = 1;
/** Bit in the `flags` column: part of the span lies on the critical path. */
export const SPAN_FLAG_CRITICAL = 1 << 4;
/** Bit in the `flags` column: clock-skew adjustment moved the span's start. */
export const SPAN_FLAG_SKEW_ADJUSTED = 1 << 5;

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
  /** Latest span end minus earliest start, in nanoseconds; covers both adjusted and raw times. */
  readonly traceDurationNano: number;
  /** Distinct service names; `serviceIndex` points here. */
  readonly services: readonly string[];
  /** Distinct span names; `nameIndex` points here. */
  readonly names: readonly string[];
  /** Float64: span start minus trace start, in nanoseconds, after clock-skew adjustment. */
  readonly startOffsetNano: ArrayBuffer;
  /** Float64: span start minus trace start as recorded; present only when clockSkewAdjustedSpans > 0. */
  readonly rawStartOffsetNano?: ArrayBuffer;
  /** Number of spans whose start clock-skew adjustment moved; 0 when the trace is shown as recorded. */
  readonly clockSkewAdjustedSpans: number;
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
  /** Uint8: SPAN_FLAG_ERROR | kind code << SPAN_FLAG_KIND_SHIFT | SPAN_FLAG_CRITICAL | SPAN_FLAG_SKEW_ADJUSTED. */
  readonly flags: ArrayBuffer;
  /** Float64: self time (duration minus the time its children cover, each instant once), in nanoseconds. */
  readonly selfTimeNano: ArrayBuffer;
  /** Int32, one per critical-path segment: display position of its span; ascending, by time within a span. */
  readonly criticalPathPositions: ArrayBuffer;
  /** Float64, two per critical-path segment: start and end, in nanoseconds from trace start (adjusted times). */
  readonly criticalPathBoundsNano: ArrayBuffer;
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
  /** Events (logs), in the order the span lists them. */
  readonly events: readonly SpanEventDetail[];
  /** Links to other spans. */
  readonly links: readonly { readonly traceId: string; readonly spanId: string; readonly attributes: readonly DisplayAttribute[] }[];
  /** Where in the source the span says it was produced; the webview offers `revealCode` for it. */
  readonly codeLocation?: SpanCodeText;
  /** Model, usage, messages and tool call of a span with gen_ai.* attributes or events. */
  readonly genAi?: GenAiDetail;
}

/** One span event. */
export interface SpanEventDetail {
  /** Event time minus span start, in nanoseconds; negative when the event predates the span. */
  readonly offsetNano: number;
  /** Event time, Unix nanoseconds as a decimal string. */
  readonly timeUnixNano: string;
  readonly name: string;
  readonly attributes: readonly DisplayAttribute[];
}

/** A span's code location as its attributes state it, before mapping onto the workspace. */
export interface SpanCodeText {
  readonly functionName?: string;
  readonly filePath?: string;
  /** 1-based. */
  readonly lineNumber?: number;
  /** 1-based. */
  readonly columnNumber?: number;
  /** True when only a stack trace (code.stacktrace or an exception) may locate the span. */
  readonly fromStackTrace?: boolean;
}

/** The GenAI view of a span, from the current gen_ai.* names or the older ones; every value already text. */
export interface GenAiDetail {
  /** gen_ai.operation.name, e.g. chat, embeddings, execute_tool. */
  readonly operation?: string;
  /** gen_ai.provider.name, else the older gen_ai.system. */
  readonly provider?: string;
  readonly requestModel?: string;
  readonly responseModel?: string;
  /** gen_ai.usage.input_tokens, else the older prompt_tokens. */
  readonly inputTokens?: number;
  /** gen_ai.usage.output_tokens, else the older completion_tokens. */
  readonly outputTokens?: number;
  /** gen_ai.response.finish_reasons, else those of the output messages. */
  readonly finishReasons: readonly string[];
  /** Further request and response settings present on the span (temperature, max tokens, ...), in a fixed order. */
  readonly settings: readonly GenAiSetting[];
  /** System instructions first (role `system`), then the chat history sent to the model. */
  readonly inputMessages: readonly GenAiMessage[];
  /** The model's answers, one per choice. */
  readonly outputMessages: readonly GenAiMessage[];
  /** On tool execution spans: the tool and its call. */
  readonly tool?: GenAiToolDetail;
  /** Which naming generation the messages came from. */
  readonly messageSource?: GenAiMessageSource;
  /** Messages beyond the per-list limit, left out. */
  readonly omittedMessages: number;
}

export type GenAiMessageSource =
  /** gen_ai.input.messages, gen_ai.output.messages, gen_ai.system_instructions. */
  | 'messages'
  /** gen_ai.prompt.N.* and gen_ai.completion.N.*. */
  | 'indexed'
  /** Span events gen_ai.{system,user,assistant,tool}.message and gen_ai.choice. */
  | 'events'
  /** gen_ai.prompt and gen_ai.completion holding whole conversations. */
  | 'prompt';

export interface GenAiSetting {
  /** Attribute key it came from. */
  readonly key: string;
  /** Human label, e.g. "Temperature". */
  readonly label: string;
  readonly text: string;
}

export interface GenAiMessage {
  /** system, user, assistant, tool, or whatever the producer said. */
  readonly role: string;
  readonly finishReason?: string;
  readonly parts: readonly GenAiMessagePart[];
}

export type GenAiMessagePart =
  /** Text; `label` names a part type other than plain text, e.g. reasoning. */
  | { readonly kind: 'text'; readonly text: string; readonly label?: string }
  | { readonly kind: 'toolCall'; readonly id?: string; readonly name: string; readonly argumentsText?: string }
  | { readonly kind: 'toolResult'; readonly id?: string; readonly resultText: string }
  /** Any other part (blob, file, ...) as pretty-printed JSON. */
  | { readonly kind: 'data'; readonly label: string; readonly text: string };

export interface GenAiToolDetail {
  readonly name?: string;
  readonly callId?: string;
  readonly type?: string;
  readonly description?: string;
  /** Pretty-printed when JSON. */
  readonly argumentsText?: string;
  /** Pretty-printed when JSON. */
  readonly resultText?: string;
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
  /** Left edge of the zoomed time window, nanoseconds from trace start; absent when showing the whole trace. */
  readonly viewStartNano?: number;
  /** Right edge of the zoomed time window, nanoseconds from trace start; absent when showing the whole trace. */
  readonly viewEndNano?: number;
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
    }
  | {
      /** Reply to `searchAttributes`: spans whose attributes, resource, scope or event names contain the query. */
      readonly type: 'attributeMatches';
      /** Echo of the request's ID; the webview ignores replies to superseded requests. */
      readonly requestId: number;
      /** Int32 display positions, ascending, at most the host's cap. */
      readonly positions: ArrayBuffer;
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
    }
  | {
      /** Find spans by attribute key or value, which only the host holds; answered by `attributeMatches`. */
      readonly type: 'searchAttributes';
      /** Chosen by the webview; echoed in the reply. */
      readonly requestId: number;
      /** Text to find, case-insensitive, as the user typed it. */
      readonly query: string;
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
