// Search-result rows computed from whole traces, for backends whose search returns traces rather than
// summaries (Jaeger, Zipkin), and the attribute match Jaeger applies server-side since v2.19.

import type { AnyValue, Span, Trace } from '../model/trace';
import type { ServiceSpanStats, TraceSummary } from './traceBackend';

/** Root, start, duration, counts and services of one trace. */
export function summarizeTrace(trace: Trace): TraceSummary {
  const { spans } = trace;
  const ids = new Set<string>();
  for (const span of spans) ids.add(span.spanId);
  let root: Span | undefined;
  let start: bigint | undefined;
  let end: bigint | undefined;
  let errorCount = 0;
  const services = new Map<string, { spanCount: number; errorCount: number }>();
  for (const span of spans) {
    const isRoot = span.parentSpanId === undefined || !ids.has(span.parentSpanId);
    if (isRoot && (root === undefined || span.startTimeUnixNano < root.startTimeUnixNano)) root = span;
    const spanEnd = span.startTimeUnixNano + span.durationNano;
    if (start === undefined || span.startTimeUnixNano < start) start = span.startTimeUnixNano;
    if (end === undefined || spanEnd > end) end = spanEnd;
    const isError = span.status.code === 'error';
    if (isError) errorCount++;
    const name = span.resource.serviceName;
    const stats = services.get(name) ?? { spanCount: 0, errorCount: 0 };
    stats.spanCount++;
    if (isError) stats.errorCount++;
    services.set(name, stats);
  }
  const serviceStats: ServiceSpanStats[] = [];
  for (const [name, stats] of services) serviceStats.push({ name, ...stats });
  return {
    traceId: trace.traceId,
    rootServiceName: root?.resource.serviceName,
    rootSpanName: root?.name,
    startTimeUnixNano: start,
    durationNano: start === undefined || end === undefined ? undefined : end - start,
    spanCount: spans.length,
    errorCount,
    services: serviceStats,
    matchedSpans: [],
  };
}

/** An attribute value as the string a search compares with. */
export function attributeText(value: AnyValue): string | undefined {
  switch (value.type) {
    case 'string':
    case 'int':
    case 'bytes':
      return value.value;
    case 'bool':
      return value.value ? 'true' : 'false';
    case 'double':
      return String(value.value);
    default:
      return undefined;
  }
}

/** Whether one span of the trace carries all the attributes, on itself or its resource. */
export function traceHasAttributes(trace: Trace, wanted: Readonly<Record<string, string>>): boolean {
  const entries = Object.entries(wanted);
  if (entries.length === 0) return true;
  return trace.spans.some((span) =>
    entries.every(([key, expected]) => {
      const attribute = span.attributes.find((item) => item.key === key) ?? span.resource.attributes.find((item) => item.key === key);
      return attribute !== undefined && attributeText(attribute.value) === expected;
    }),
  );
}

/** Newest first, as users expect a search list. */
export function newestFirst(summaries: TraceSummary[]): TraceSummary[] {
  return summaries.sort((a, b) => {
    const left = a.startTimeUnixNano ?? 0n;
    const right = b.startTimeUnixNano ?? 0n;
    return left === right ? 0 : left > right ? -1 : 1;
  });
}
