// A trace search over the store. Service, span name, duration and window are answered from the span rows;
// attribute filters need the spans themselves, so the traces that pass the rest are read back, newest
// first, until enough match or a budget of spans is spent.

import { BackendError } from '../backends/backendError';
import { attributeText } from '../backends/traceSummary';
import type { MatchedSpan, TraceSearchResult, TraceSummary } from '../backends/traceBackend';
import type { Attribute, Span } from '../model/trace';
import type { DecodeResult } from '../otlpWorker/otlpJobs';
import type { RowFilters } from './storeSearch';
import { matchTrace, NewestTraces, summarizeTraceEntry } from './storeSearch';
import type { TraceEntry } from './traceEntry';

/** Spans read back per search to check attribute filters. */
export const MAX_ATTRIBUTE_SCAN_SPANS = 200_000;

const MAX_MATCHED_SPANS = 3;

export interface SearchSource {
  readonly candidates: Iterable<TraceEntry>;
  /** False once the entry was evicted (reading spans back takes time). */
  readonly isLive: (entry: TraceEntry) => boolean;
  readonly decode: (entry: TraceEntry) => Promise<DecodeResult>;
  readonly signal: AbortSignal | undefined;
}

export async function searchStore(
  filters: RowFilters,
  attributes: readonly (readonly [string, string])[],
  limit: number,
  source: SearchSource,
): Promise<TraceSearchResult> {
  if (attributes.length === 0) {
    const newest = new NewestTraces<MatchedSpan[]>(limit);
    for (const entry of source.candidates) {
      const matched = matchTrace(entry, filters);
      if (matched !== undefined) newest.offer(entry, matched);
    }
    return { summaries: newest.values().map(({ entry, value }) => summarizeTraceEntry(entry, value)), warnings: [] };
  }

  const candidates: TraceEntry[] = [];
  for (const entry of source.candidates) if (matchTrace(entry, filters) !== undefined) candidates.push(entry);
  candidates.sort((a, b) => (a.startTimeUnixNano === b.startTimeUnixNano ? 0 : a.startTimeUnixNano > b.startTimeUnixNano ? -1 : 1));
  const summaries: TraceSummary[] = [];
  const warnings: string[] = [];
  let scannedSpans = 0;
  for (let i = 0; i < candidates.length && summaries.length < limit; i++) {
    const entry = candidates[i];
    if (scannedSpans >= MAX_ATTRIBUTE_SCAN_SPANS) {
      warnings.push(
        `Attribute filters were checked on the ${i} newest traces that match the other filters, not on ${candidates.length - i} older ones; narrow the search to reach them`,
      );
      break;
    }
    if (source.signal?.aborted === true) throw new BackendError('cancelled', 'Cancelled');
    if (!source.isLive(entry)) continue;
    scannedSpans += entry.spanCount;
    const { trace } = await source.decode(entry);
    if (trace === undefined) continue;
    const matched = matchingSpans(trace.spans, filters, attributes);
    if (matched.length > 0) summaries.push(summarizeTraceEntry(entry, matched));
  }
  return { summaries, warnings };
}

function matchingSpans(spans: readonly Span[], filters: RowFilters, wanted: readonly (readonly [string, string])[]): MatchedSpan[] {
  const matched: MatchedSpan[] = [];
  for (const span of spans) {
    if (filters.service !== undefined && span.resource.serviceName !== filters.service) continue;
    if (filters.operation !== undefined && span.name !== filters.operation) continue;
    const duration = Number(span.durationNano);
    if (filters.minDurationNano !== undefined && duration < filters.minDurationNano) continue;
    if (filters.maxDurationNano !== undefined && duration > filters.maxDurationNano) continue;
    if (span.startTimeUnixNano < filters.windowStartUnixNano || span.startTimeUnixNano > filters.windowEndUnixNano) continue;
    const values: [string, string][] = [];
    for (const [key, expected] of wanted) {
      const actual = valueOf(span.attributes, key) ?? valueOf(span.resource.attributes, key);
      if (actual !== expected) break;
      values.push([key, actual]);
    }
    if (values.length < wanted.length) continue;
    matched.push({
      spanId: span.spanId,
      name: span.name,
      startTimeUnixNano: span.startTimeUnixNano,
      durationNano: span.durationNano,
      // fromEntries defines keys such as "__proto__" as plain properties.
      attributes: Object.fromEntries(values),
    });
    if (matched.length === MAX_MATCHED_SPANS) break;
  }
  return matched;
}

function valueOf(attributes: readonly Attribute[], key: string): string | undefined {
  for (const attribute of attributes) if (attribute.key === key) return attributeText(attribute.value);
  return undefined;
}
