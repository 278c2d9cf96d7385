// Search over the store's span rows without decoding any body: which traces have a span that matches the
// service, span name, duration and window filters, and the summary row of such a trace.

import type { MatchedSpan, ServiceSpanStats, TraceSummary } from '../backends/traceBackend';
import type { TraceEntry } from './traceEntry';

export interface RowFilters {
  readonly service: string | undefined;
  readonly operation: string | undefined;
  readonly minDurationNano: number | undefined;
  readonly maxDurationNano: number | undefined;
  readonly windowStartUnixNano: bigint;
  readonly windowEndUnixNano: bigint;
}

/** Matching spans listed per summary; the count of matches is not capped. */
const MAX_MATCHED_SPANS = 3;

/** The trace's spans that pass every filter (at most MAX_MATCHED_SPANS), or undefined when none does. */
export function matchTrace(entry: TraceEntry, filters: RowFilters): MatchedSpan[] | undefined {
  if (entry.startTimeUnixNano > filters.windowEndUnixNano || entry.endTimeUnixNano < filters.windowStartUnixNano) return undefined;
  // Every span starts inside the window when the whole trace lies inside it; then no per-span time check.
  const checkStart = entry.startTimeUnixNano < filters.windowStartUnixNano || entry.endTimeUnixNano > filters.windowEndUnixNano;
  const spanLevel = filters.service !== undefined || filters.operation !== undefined || filters.minDurationNano !== undefined || filters.maxDurationNano !== undefined;
  if (!spanLevel && !checkStart) return [];
  const matched: MatchedSpan[] = [];
  let found = false;
  for (const slice of entry.slices) {
    const record = slice.stored.record;
    const end = slice.firstRow + slice.rowCount;
    for (let row = slice.firstRow; row < end; row++) {
      if (filters.service !== undefined && record.service(row) !== filters.service) continue;
      if (filters.operation !== undefined && record.name(row) !== filters.operation) continue;
      if (filters.minDurationNano !== undefined || filters.maxDurationNano !== undefined) {
        const duration = record.durationNano(row);
        if (filters.minDurationNano !== undefined && duration < filters.minDurationNano) continue;
        if (filters.maxDurationNano !== undefined && duration > filters.maxDurationNano) continue;
      }
      if (checkStart) {
        const start = record.startTimeUnixNano(row);
        if (start < filters.windowStartUnixNano || start > filters.windowEndUnixNano) continue;
      }
      found = true;
      if (!spanLevel) return [];
      if (matched.length < MAX_MATCHED_SPANS) {
        matched.push({
          spanId: record.spanId(row),
          name: record.name(row),
          startTimeUnixNano: record.startTimeUnixNano(row),
          durationNano: BigInt(record.durationNano(row)),
          attributes: {},
        });
      } else {
        return matched;
      }
    }
  }
  return found ? matched : undefined;
}

/** The summary row of a stored trace, from its span rows. */
export function summarizeTraceEntry(entry: TraceEntry, matchedSpans: readonly MatchedSpan[]): TraceSummary {
  const spanIds = new Set<string>();
  for (const slice of entry.slices) {
    const end = slice.firstRow + slice.rowCount;
    for (let row = slice.firstRow; row < end; row++) spanIds.add(slice.stored.record.spanId(row));
  }
  let rootService: string | undefined;
  let rootName: string | undefined;
  let rootStart: bigint | undefined;
  const services = new Map<string, { spanCount: number; errorCount: number }>();
  for (const slice of entry.slices) {
    const record = slice.stored.record;
    const end = slice.firstRow + slice.rowCount;
    for (let row = slice.firstRow; row < end; row++) {
      const service = record.service(row);
      const stats = services.get(service) ?? { spanCount: 0, errorCount: 0 };
      stats.spanCount++;
      if (record.status(row) === 'error') stats.errorCount++;
      services.set(service, stats);
      const parent = record.parentSpanId(row);
      if (parent !== undefined && spanIds.has(parent)) continue;
      const start = record.startTimeUnixNano(row);
      if (rootStart === undefined || start < rootStart) {
        rootStart = start;
        rootService = service;
        rootName = record.name(row);
      }
    }
  }
  const serviceStats: ServiceSpanStats[] = [];
  for (const [name, stats] of services) serviceStats.push({ name, ...stats });
  return {
    traceId: entry.traceId,
    rootServiceName: rootService,
    rootSpanName: rootName,
    startTimeUnixNano: entry.startTimeUnixNano,
    durationNano: entry.endTimeUnixNano - entry.startTimeUnixNano,
    spanCount: entry.spanCount,
    errorCount: entry.errorCount,
    services: serviceStats,
    matchedSpans,
  };
}

/** Keeps the `limit` newest entries offered, newest first. */
export class NewestTraces<T> {
  private readonly items: { readonly entry: TraceEntry; readonly value: T }[] = [];

  constructor(private readonly limit: number) {}

  offer(entry: TraceEntry, value: T): void {
    const items = this.items;
    if (items.length === this.limit && entry.startTimeUnixNano <= items[items.length - 1].entry.startTimeUnixNano) return;
    let low = 0;
    let high = items.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (items[middle].entry.startTimeUnixNano >= entry.startTimeUnixNano) low = middle + 1;
      else high = middle;
    }
    items.splice(low, 0, { entry, value });
    if (items.length > this.limit) items.pop();
  }

  get length(): number {
    return this.items.length;
  }

  values(): { readonly entry: TraceEntry; readonly value: T }[] {
    return this.items;
  }
}
