// Latency statistics for backends without an aggregation API (Jaeger, Zipkin): the newest traces of every
// service in the window, fetched and aggregated here. Bounded, and labelled as the sample it is.

import type { TraceBackend, TraceSummary } from '../backends/traceBackend';
import type { CodeStatsSnapshot } from './codeStats';
import { CodeStatsAggregator } from './codeStatsAggregator';
import { samplesFromTrace } from './samplesFromTrace';
import { formatWindow } from './windowSetting';

export const DEFAULT_MAX_SAMPLED_TRACES = 200;
const CONCURRENCY = 4;

export interface SampledCodeStatsOptions {
  readonly windowMillis: number;
  /** Most traces fetched; default DEFAULT_MAX_SAMPLED_TRACES. */
  readonly maxTraces?: number;
  /** Unix ms. */
  readonly now?: () => number;
  readonly signal?: AbortSignal;
}

export async function fetchSampledCodeStats(backend: TraceBackend, options: SampledCodeStatsOptions): Promise<CodeStatsSnapshot> {
  const { windowMillis, signal } = options;
  const maxTraces = options.maxTraces ?? DEFAULT_MAX_SAMPLED_TRACES;
  if (!Number.isSafeInteger(maxTraces) || maxTraces <= 0) throw new RangeError(`maxTraces must be a positive whole number, not ${maxTraces}`);
  const nowMillis = (options.now ?? Date.now)();
  const window = { startUnixMillis: nowMillis - windowMillis, endUnixMillis: nowMillis };
  const warnings: string[] = [];

  const services = await backend.listServices({ signal });
  const searchErrors: unknown[] = [];
  const found = await mapLimited(services, async (service) => {
    try {
      return (await backend.searchTraces({ service, ...window, limit: maxTraces }, { signal })).summaries;
    } catch (error) {
      if (signal?.aborted) throw error;
      searchErrors.push(error);
      return [];
    }
  });
  if (services.length > 0 && searchErrors.length === services.length) throw searchErrors[0];
  if (searchErrors.length > 0) warnings.push(`The search failed for ${countOf(searchErrors.length, 'service')}: ${messageOf(searchErrors[0])}`);

  const traceIds = newestTraceIds(found.flat(), maxTraces);
  const aggregator = new CodeStatsAggregator({ windowMillis, now: () => nowMillis });
  const fetchErrors: unknown[] = [];
  await mapLimited(traceIds, async (traceId) => {
    try {
      const { trace } = await backend.getTrace(traceId, { ...window, signal });
      for (const sample of samplesFromTrace(trace)) aggregator.add(sample);
    } catch (error) {
      if (signal?.aborted) throw error;
      fetchErrors.push(error);
    }
  });
  if (fetchErrors.length > 0) warnings.push(`${countOf(fetchErrors.length, 'trace')} could not be fetched and ${fetchErrors.length === 1 ? 'is' : 'are'} left out: ${messageOf(fetchErrors[0])}`);

  const sampled = traceIds.length - fetchErrors.length;
  const snapshot = aggregator.snapshot({
    kind: 'sampled',
    label: `from ${countOf(sampled, 'sampled trace')} · ${formatWindow(windowMillis)}`,
    windowMillis,
    sampledTraces: sampled,
  });
  return warnings.length === 0 ? snapshot : { ...snapshot, warnings };
}

/** Distinct trace IDs, newest start first (unknown starts last), at most `limit`. */
function newestTraceIds(summaries: readonly TraceSummary[], limit: number): string[] {
  const newest = new Map<string, bigint>();
  for (const summary of summaries) {
    const start = summary.startTimeUnixNano ?? -1n;
    const known = newest.get(summary.traceId);
    if (known === undefined || start > known) newest.set(summary.traceId, start);
  }
  return [...newest]
    .sort((a, b) => (a[1] === b[1] ? (a[0] < b[0] ? -1 : 1) : a[1] > b[1] ? -1 : 1))
    .slice(0, limit)
    .map(([traceId]) => traceId);
}

/** Runs `task` over `items`, CONCURRENCY at a time; results in input order. */
async function mapLimited<T, R>(items: readonly T[], task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
  return results;
}

function countOf(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
