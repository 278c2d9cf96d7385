// Latency statistics per code location and service, as every source (local store, Tempo push-down, sampled
// remote traces) reports them, and how several rows combine into one lens.

import type { SpanCodeLocation } from '../codeMapping/spanCodeLocation';
import type { HistogramBin } from './latencySketch';
import { LatencySketch } from './latencySketch';

/** A span worth opening: one of the slowest through a location, or its latest error. */
export interface SlowSpanRef {
  readonly traceId: string;
  readonly spanId: string;
  readonly spanName: string;
  readonly serviceName: string;
  readonly durationNano: number;
  readonly startUnixMillis: number;
}

export interface CodeStatsGenAi {
  readonly models: readonly string[];
  /** Mean over the calls that reported input (output) tokens. */
  readonly inputTokensPerCall?: number;
  readonly outputTokensPerCall?: number;
}

export interface CodeStatsSummary {
  readonly calls: number;
  readonly errors: number;
  /** errors / calls, 0..1. */
  readonly errorRate: number;
  readonly p50Nano: number;
  readonly p95Nano: number;
  readonly p99Nano: number;
  readonly meanNano: number;
  readonly totalNano: number;
  readonly selfP50Nano?: number;
  readonly selfP95Nano?: number;
  readonly selfTotalNano?: number;
  readonly histogram?: readonly HistogramBin[];
  readonly genAi?: CodeStatsGenAi;
  readonly latestError?: SlowSpanRef;
  /** Slowest first, at most MAX_SLOWEST. */
  readonly slowest: readonly SlowSpanRef[];
}

/** The distributions behind a row computed from spans, so that rows merge exactly. */
export interface RowSketches {
  readonly duration: LatencySketch;
  readonly self: LatencySketch;
}

/** Token sums behind the per-call figures, so that rows merge with the right weights. */
export interface GenAiTotals {
  readonly models: readonly string[];
  readonly inputTokens: number;
  readonly inputCalls: number;
  readonly outputTokens: number;
  readonly outputCalls: number;
}

export interface CodeStatsRow {
  /** As the spans state it, before mapping onto the workspace. */
  readonly location: SpanCodeLocation;
  readonly serviceName: string;
  readonly summary: CodeStatsSummary;
  /** Present when computed from spans (local store, sampled traces); absent for Tempo push-down. */
  readonly sketches?: RowSketches;
  readonly genAiTotals?: GenAiTotals;
}

export interface CodeStatsProvenance {
  readonly kind: 'local' | 'pushdown' | 'sampled';
  /** "1h", "Tempo, 1h", "from 200 sampled traces · 1h". */
  readonly label: string;
  readonly windowMillis: number;
  readonly sampledTraces?: number;
}

export interface CodeStatsSnapshot {
  readonly rows: readonly CodeStatsRow[];
  readonly provenance: CodeStatsProvenance;
  readonly computedAtUnixMillis: number;
  /** What the user should know about how the figures were obtained (skipped traces, shortened window, …). */
  readonly warnings?: readonly string[];
}

export const MAX_SLOWEST = 10;
export const HISTOGRAM_BINS = 10;

export interface SketchSummaryInput {
  readonly errors: number;
  readonly duration: LatencySketch;
  readonly self: LatencySketch;
  readonly slowest: readonly SlowSpanRef[];
  readonly latestError: SlowSpanRef | undefined;
  readonly genAi: GenAiTotals | undefined;
}

export function summarizeSketches(input: SketchSummaryInput): CodeStatsSummary {
  const { duration, self } = input;
  const calls = duration.count;
  const summary: CodeStatsSummary = {
    calls,
    errors: input.errors,
    errorRate: calls === 0 ? 0 : input.errors / calls,
    p50Nano: orZero(duration.quantileNano(0.5)),
    p95Nano: orZero(duration.quantileNano(0.95)),
    p99Nano: orZero(duration.quantileNano(0.99)),
    meanNano: calls === 0 ? 0 : duration.sumNano / calls,
    totalNano: duration.sumNano,
    selfP50Nano: orZero(self.quantileNano(0.5)),
    selfP95Nano: orZero(self.quantileNano(0.95)),
    selfTotalNano: self.sumNano,
    histogram: duration.histogram(HISTOGRAM_BINS),
    slowest: input.slowest,
  };
  const genAi = input.genAi === undefined ? undefined : genAiSummary(input.genAi);
  return { ...summary, ...(genAi === undefined ? {} : { genAi }), ...(input.latestError === undefined ? {} : { latestError: input.latestError }) };
}

export function genAiSummary(totals: GenAiTotals): CodeStatsGenAi {
  return {
    models: totals.models,
    ...(totals.inputCalls > 0 ? { inputTokensPerCall: totals.inputTokens / totals.inputCalls } : {}),
    ...(totals.outputCalls > 0 ? { outputTokensPerCall: totals.outputTokens / totals.outputCalls } : {}),
  };
}

/** The MAX_SLOWEST slowest of several lists (of different spans), slowest first. */
export function slowestOf(lists: readonly (readonly SlowSpanRef[])[]): SlowSpanRef[] {
  const all: SlowSpanRef[] = [];
  for (const list of lists) for (const ref of list) all.push(ref);
  return all.sort((a, b) => b.durationNano - a.durationNano || a.startUnixMillis - b.startUnixMillis).slice(0, MAX_SLOWEST);
}

export function latestOf(refs: readonly (SlowSpanRef | undefined)[]): SlowSpanRef | undefined {
  let latest: SlowSpanRef | undefined;
  for (const ref of refs) if (ref !== undefined && (latest === undefined || ref.startUnixMillis > latest.startUnixMillis)) latest = ref;
  return latest;
}

export function mergeGenAiTotals(parts: readonly (GenAiTotals | undefined)[]): GenAiTotals | undefined {
  let merged: { models: Set<string>; inputTokens: number; inputCalls: number; outputTokens: number; outputCalls: number } | undefined;
  for (const part of parts) {
    if (part === undefined) continue;
    merged ??= { models: new Set(), inputTokens: 0, inputCalls: 0, outputTokens: 0, outputCalls: 0 };
    for (const model of part.models) merged.models.add(model);
    merged.inputTokens += part.inputTokens;
    merged.inputCalls += part.inputCalls;
    merged.outputTokens += part.outputTokens;
    merged.outputCalls += part.outputCalls;
  }
  return merged === undefined ? undefined : { ...merged, models: [...merged.models].sort() };
}

/**
 * One summary for several rows, e.g. one function that runs in several services. Rows with sketches merge
 * exactly. Rows without (Tempo push-down) cannot: counts, errors and totals add up, but their quantiles come
 * from the row with the most calls, which dominates the combined distribution. (The largest quantile would
 * be a true upper bound, but one rarely called slow service would then set everyone's p50.)
 */
export function mergeRows(rows: readonly CodeStatsRow[]): CodeStatsSummary {
  const sketched = rows.filter((row) => row.sketches !== undefined);
  const plain = rows.filter((row) => row.sketches === undefined);
  const genAiTotals = mergeGenAiTotals(rows.map(genAiTotalsOf));
  const slowest = slowestOf(rows.map((row) => row.summary.slowest));
  const latestError = latestOf(rows.map((row) => row.summary.latestError));
  const candidates = plain.map((row) => row.summary);
  if (sketched.length > 0) {
    const duration = new LatencySketch();
    const self = new LatencySketch();
    let errors = 0;
    for (const row of sketched) {
      const sketches = row.sketches as RowSketches;
      duration.merge(sketches.duration);
      self.merge(sketches.self);
      errors += row.summary.errors;
    }
    const merged = summarizeSketches({ errors, duration, self, slowest, latestError, genAi: genAiTotals });
    if (plain.length === 0) return merged;
    candidates.push(merged);
  }
  return combinePlain(candidates, slowest, latestError, genAiTotals);
}

function combinePlain(summaries: readonly CodeStatsSummary[], slowest: SlowSpanRef[], latestError: SlowSpanRef | undefined, genAi: GenAiTotals | undefined): CodeStatsSummary {
  let calls = 0;
  let errors = 0;
  let totalNano = 0;
  let dominant: CodeStatsSummary | undefined;
  for (const summary of summaries) {
    calls += summary.calls;
    errors += summary.errors;
    totalNano += summary.totalNano;
    if (dominant === undefined || summary.calls > dominant.calls) dominant = summary;
  }
  const result: CodeStatsSummary = {
    calls,
    errors,
    errorRate: calls === 0 ? 0 : errors / calls,
    p50Nano: dominant?.p50Nano ?? 0,
    p95Nano: dominant?.p95Nano ?? 0,
    p99Nano: dominant?.p99Nano ?? 0,
    meanNano: calls === 0 ? 0 : totalNano / calls,
    totalNano,
    slowest,
  };
  return { ...result, ...(genAi === undefined ? {} : { genAi: genAiSummary(genAi) }), ...(latestError === undefined ? {} : { latestError }) };
}

/** A row's token sums; rows that carry only per-call figures (no totals) are weighted by their calls. */
function genAiTotalsOf(row: CodeStatsRow): GenAiTotals | undefined {
  if (row.genAiTotals !== undefined) return row.genAiTotals;
  const { summary } = row;
  const genAi = summary.genAi;
  if (genAi === undefined) return undefined;
  return {
    models: genAi.models,
    inputTokens: (genAi.inputTokensPerCall ?? 0) * summary.calls,
    inputCalls: genAi.inputTokensPerCall === undefined ? 0 : summary.calls,
    outputTokens: (genAi.outputTokensPerCall ?? 0) * summary.calls,
    outputCalls: genAi.outputTokensPerCall === undefined ? 0 : summary.calls,
  };
}

function orZero(value: number): number {
  return Number.isNaN(value) ? 0 : value;
}
