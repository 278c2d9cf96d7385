// Latency statistics pushed down to Tempo with TraceQL metrics (fixtures/API.md §3.6), so the work scales
// with the cluster: quantiles, counts, error counts and total duration per code location and service, one
// sample per series (step = window). Two disjoint forms: by function name, and by file and line for spans
// that name no function.

import { isBackendError } from '../backends/backendError';
import type { MetricsLabelValue, MetricsQueryResult, MetricsSeries, RequestOptions, TraceBackend } from '../backends/traceBackend';
import type { SpanCodeLocation } from '../codeMapping/spanCodeLocation';
import type { CodeStatsRow, CodeStatsSnapshot } from './codeStats';
import { formatWindow } from './windowSetting';

/** Tempo's default limit on a metrics query's range (frontend `MaxDuration`). */
export const TEMPO_MAX_METRICS_WINDOW_MILLIS = 24 * 3_600_000;

const NANOS_PER_SECOND = 1e9;
const SERVICE = 'resource.service.name';
const FUNCTION = 'span.code.function.name';
const FILE = 'span.code.file.path';
const LINE = 'span.code.line.number';

export interface TempoCodeStatsOptions {
  readonly windowMillis: number;
  /** Unix ms. */
  readonly now?: () => number;
  readonly signal?: AbortSignal;
}

interface Form {
  readonly filter: string;
  readonly by: readonly string[];
  readonly location: (labels: ReadonlyMap<string, MetricsLabelValue>) => SpanCodeLocation | undefined;
}

const FUNCTION_FORM: Form = {
  filter: `${FUNCTION} != nil`,
  by: [FUNCTION, SERVICE],
  location: (labels) => {
    const functionName = labels.get(FUNCTION);
    if (typeof functionName !== 'string' || functionName === '') return undefined;
    return { functionName, filePath: undefined, lineNumber: undefined, columnNumber: undefined, stackTrace: undefined, fileOrigin: undefined };
  },
};

const FILE_FORM: Form = {
  filter: `${FUNCTION} = nil && ${FILE} != nil && ${LINE} != nil`,
  by: [FILE, LINE, SERVICE],
  location: (labels) => {
    const filePath = labels.get(FILE);
    const line = Number(labels.get(LINE));
    if (typeof filePath !== 'string' || filePath === '' || !Number.isSafeInteger(line) || line <= 0) return undefined;
    return { functionName: undefined, filePath, lineNumber: line, columnNumber: undefined, stackTrace: undefined, fileOrigin: 'code' };
  },
};

interface Group {
  readonly location: SpanCodeLocation;
  readonly serviceName: string;
  calls: number;
  errors: number;
  totalSeconds: number;
  readonly quantileSeconds: Map<number, number>;
}

export async function fetchTempoCodeStats(backend: TraceBackend, options: TempoCodeStatsOptions): Promise<CodeStatsSnapshot> {
  const nowMillis = (options.now ?? Date.now)();
  const warnings: string[] = [];
  let windowMillis = options.windowMillis;
  if (windowMillis > TEMPO_MAX_METRICS_WINDOW_MILLIS) {
    warnings.push(`Tempo's metrics queries cover at most ${formatWindow(TEMPO_MAX_METRICS_WINDOW_MILLIS)}; these figures are for the last ${formatWindow(TEMPO_MAX_METRICS_WINDOW_MILLIS)}, not ${formatWindow(windowMillis)}`);
    windowMillis = TEMPO_MAX_METRICS_WINDOW_MILLIS;
  }
  const range = { startUnixMillis: nowMillis - windowMillis, endUnixMillis: nowMillis, stepMillis: windowMillis };
  const request = { signal: options.signal };
  const [byFunction, byFile] = await Promise.all([
    runForm(backend, FUNCTION_FORM, range, request),
    // Older Tempo may not know `= nil`; the function form is worth having on its own.
    runForm(backend, FILE_FORM, range, request).catch((error: unknown) => {
      if (options.signal?.aborted || !isBackendError(error, 'badRequest')) throw error;
      warnings.push(`Spans that name only a file and line are left out: ${error.message}`);
      return [];
    }),
  ]);
  const rows = [...byFunction, ...byFile];
  return {
    rows,
    provenance: { kind: 'pushdown', label: `Tempo, ${formatWindow(windowMillis)}`, windowMillis },
    computedAtUnixMillis: nowMillis,
    ...(warnings.length === 0 ? {} : { warnings }),
  };
}

async function runForm(
  backend: TraceBackend,
  form: Form,
  range: { startUnixMillis: number; endUnixMillis: number; stepMillis: number },
  request: RequestOptions,
): Promise<CodeStatsRow[]> {
  const by = `by (${form.by.join(', ')})`;
  const [quantiles, counts, errors, sums] = await Promise.all([
    backend.queryRange(`{ ${form.filter} } | quantile_over_time(duration, .5, .95, .99) ${by}`, range, request),
    backend.queryRange(`{ ${form.filter} } | count_over_time() ${by}`, range, request),
    backend.queryRange(`{ ${form.filter} && status = error } | count_over_time() ${by}`, range, request),
    backend.queryRange(`{ ${form.filter} } | sum_over_time(duration) ${by}`, range, request),
  ]);
  const groups = new Map<string, Group>();
  const groupOf = (series: MetricsSeries, create: boolean): Group | undefined => {
    const labels = new Map(series.labels.map((label) => [label.key, label.value]));
    const key = JSON.stringify(form.by.map((name) => labels.get(name) ?? null));
    let group = groups.get(key);
    if (group === undefined && create) {
      const location = form.location(labels);
      const serviceName = labels.get(SERVICE);
      if (location === undefined || serviceName === undefined) return undefined;
      group = { location, serviceName: String(serviceName), calls: 0, errors: 0, totalSeconds: 0, quantileSeconds: new Map() };
      groups.set(key, group);
    }
    return group;
  };
  for (const series of seriesOf(counts)) {
    const group = groupOf(series, true);
    if (group !== undefined) group.calls += sumOf(series);
  }
  for (const series of seriesOf(errors)) {
    const group = groupOf(series, false);
    if (group !== undefined) group.errors += sumOf(series);
  }
  for (const series of seriesOf(sums)) {
    const group = groupOf(series, false);
    if (group !== undefined) group.totalSeconds += sumOf(series);
  }
  for (const series of seriesOf(quantiles)) {
    const group = groupOf(series, false);
    const q = series.labels.find((label) => label.key === 'p')?.value;
    if (group === undefined || typeof q !== 'number') continue;
    // More than one sample (the server aligned the step): the largest is an upper bound on the quantile of
    // their union, as every sample has at least the quantile's share of its spans at or below it.
    const value = Math.max(...series.samples.map((sample) => sample.value).filter(Number.isFinite));
    if (Number.isFinite(value)) group.quantileSeconds.set(q, Math.max(group.quantileSeconds.get(q) ?? 0, value));
  }
  const rows: CodeStatsRow[] = [];
  for (const group of groups.values()) {
    const calls = Math.round(group.calls);
    if (calls <= 0) continue;
    const errorCount = Math.min(calls, Math.round(group.errors));
    const totalNano = group.totalSeconds * NANOS_PER_SECOND;
    const quantileNano = (q: number): number => (group.quantileSeconds.get(q) ?? 0) * NANOS_PER_SECOND;
    rows.push({
      location: group.location,
      serviceName: group.serviceName,
      summary: {
        calls,
        errors: errorCount,
        errorRate: errorCount / calls,
        p50Nano: quantileNano(0.5),
        p95Nano: quantileNano(0.95),
        p99Nano: quantileNano(0.99),
        meanNano: totalNano / calls,
        totalNano,
        slowest: [],
      },
    });
  }
  return rows;
}

function seriesOf(result: MetricsQueryResult): readonly MetricsSeries[] {
  return result.series;
}

function sumOf(series: MetricsSeries): number {
  let total = 0;
  for (const sample of series.samples) if (Number.isFinite(sample.value)) total += sample.value;
  return total;
}
