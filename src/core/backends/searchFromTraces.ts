// Search results for backends whose search answers with whole traces (Jaeger, Zipkin).

import type { ParsedTraces, Span, Trace } from '../model/trace';
import { NO_SPANS_WARNING } from '../formats/parseTraceText';
import type { TraceSummary } from './traceBackend';
import { newestFirst, summarizeTrace, traceHasAttributes } from './traceSummary';

export interface TracesToSummariesOptions {
  /** Applied client-side as well, for servers that ignore them; a warning says when that mattered. */
  readonly attributes: readonly (readonly [string, string])[];
  readonly limit: number;
}

/** Summaries of the traces, newest first, at most `limit`; notes go to `warnings`. */
export function summariesFromTraces(parsed: ParsedTraces, options: TracesToSummariesOptions, warnings: string[]): TraceSummary[] {
  const traces = mergeByTraceId(parsed.traces);
  const wanted = Object.fromEntries(options.attributes);
  const kept = traces.filter((trace) => traceHasAttributes(trace, wanted));
  const dropped = traces.length - kept.length;
  if (dropped > 0) {
    warnings.push(
      `The server ignored the attribute filters (Jaeger before v2.19 does over HTTP); they were applied to the ` +
        `${traces.length} traces it returned, which left ${kept.length}. Narrow the search to find more.`,
    );
  }
  // An empty result is an answer, not a problem with the document.
  warnings.push(...parsed.warnings.filter((warning) => warning !== NO_SPANS_WARNING));
  return newestFirst(kept.map(summarizeTrace)).slice(0, options.limit);
}

// Jaeger api_v3 concatenates the resourceSpans of all found traces; the same trace ID may appear in pieces.
function mergeByTraceId(traces: readonly Trace[]): Trace[] {
  const byId = new Map<string, Span[]>();
  for (const trace of traces) {
    const spans = byId.get(trace.traceId);
    if (spans === undefined) byId.set(trace.traceId, [...trace.spans]);
    else for (const span of trace.spans) spans.push(span);
  }
  return [...byId].map(([traceId, spans]) => ({ traceId, spans }));
}
