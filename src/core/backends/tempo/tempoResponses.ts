// Tempo's JSON answers (gogo jsonpb of tempo.proto; fixtures/API.md §3.3-3.6) mapped to the backend types.
// int64 fields arrive as strings, zero values are omitted, search trace IDs have their leading zeros cut.

import { normalizeHexId } from '../../model/ids';
import { parseUint64 } from '../../model/time';
import type {
  MatchedSpan,
  MetricsExemplar,
  MetricsLabel,
  MetricsLabelValue,
  MetricsQueryResult,
  MetricsSample,
  MetricsSeries,
  ServiceSpanStats,
  TagName,
  TagValue,
  TraceSummary,
} from '../traceBackend';

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function count(value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return 0;
}

/** Tempo fills the root fields with this when the root span has not arrived (`tempo:pkg/traceql`). */
const ROOT_NOT_RECEIVED = '<root span not yet received>';

/** Thrown for a body that is not the documented shape; the client wraps it with context. */
export class TempoShapeError extends Error {}

export function mapSearchResponse(doc: unknown, warnings: string[]): TraceSummary[] {
  if (!isObject(doc)) throw new TempoShapeError('expected an object with "traces"');
  if (doc.traces !== undefined && !Array.isArray(doc.traces)) throw new TempoShapeError('"traces" is not a list');
  const summaries: TraceSummary[] = [];
  let skipped = 0;
  for (const item of list(doc.traces)) {
    const summary = isObject(item) ? mapSearchTrace(item) : undefined;
    if (summary === undefined) skipped++;
    else summaries.push(summary);
  }
  if (skipped > 0) warnings.push(`${skipped} search result(s) without a readable trace ID were left out`);
  return summaries;
}

function mapSearchTrace(item: JsonObject): TraceSummary | undefined {
  const rawId = text(item.traceID);
  const traceId = rawId === undefined ? undefined : normalizeHexId(rawId, 32);
  if (traceId === undefined) return undefined;
  const durationMs = item.durationMs;
  const services: ServiceSpanStats[] = [];
  let spanCount: number | undefined;
  let errorCount: number | undefined;
  if (isObject(item.serviceStats)) {
    spanCount = 0;
    errorCount = 0;
    for (const [name, stats] of Object.entries(item.serviceStats)) {
      const spans = isObject(stats) ? count(stats.spanCount) : 0;
      const errors = isObject(stats) ? count(stats.errorCount) : 0;
      services.push({ name, spanCount: spans, errorCount: errors });
      spanCount += spans;
      errorCount += errors;
    }
  }
  const spanSets = Array.isArray(item.spanSets) ? item.spanSets : isObject(item.spanSet) ? [item.spanSet] : [];
  const matchedSpans: MatchedSpan[] = [];
  const seen = new Set<string>();
  for (const spanSet of spanSets) {
    if (!isObject(spanSet)) continue;
    for (const span of list(spanSet.spans)) {
      const matched = isObject(span) ? mapMatchedSpan(span) : undefined;
      if (matched !== undefined && !seen.has(matched.spanId)) {
        seen.add(matched.spanId);
        matchedSpans.push(matched);
      }
    }
  }
  const rootService = text(item.rootServiceName);
  const rootName = text(item.rootTraceName);
  return {
    traceId,
    rootServiceName: rootService === ROOT_NOT_RECEIVED ? undefined : rootService,
    rootSpanName: rootName === ROOT_NOT_RECEIVED ? undefined : rootName,
    startTimeUnixNano: parseUint64(item.startTimeUnixNano),
    // Omitted means 0: proto3 JSON drops zero values, and a trace under 1 ms has durationMs 0.
    durationNano: BigInt(Math.round(count(durationMs) * 1e6)),
    spanCount,
    errorCount,
    services,
    matchedSpans,
  };
}

function mapMatchedSpan(span: JsonObject): MatchedSpan | undefined {
  const spanId = text(span.spanID);
  const normalized = spanId === undefined ? undefined : normalizeHexId(spanId, 16);
  if (normalized === undefined) return undefined;
  const attributes: Record<string, string | number | boolean> = {};
  for (const label of mapKeyValues(span.attributes)) attributes[label.key] = label.value;
  return {
    spanId: normalized,
    name: text(span.name),
    startTimeUnixNano: parseUint64(span.startTimeUnixNano),
    durationNano: parseUint64(span.durationNanos),
    attributes,
  };
}

/** OTLP KeyValue lists with scalar values; arrays and maps are shown as JSON text. */
function mapKeyValues(value: unknown): MetricsLabel[] {
  const labels: MetricsLabel[] = [];
  for (const item of list(value)) {
    if (!isObject(item) || typeof item.key !== 'string') continue;
    labels.push({ key: item.key, value: anyValueScalar(item.value) });
  }
  return labels;
}

function anyValueScalar(value: unknown): MetricsLabelValue {
  if (!isObject(value)) return '';
  if (typeof value.stringValue === 'string') return value.stringValue;
  if (typeof value.boolValue === 'boolean') return value.boolValue;
  if (value.intValue !== undefined) {
    const parsed = Number(value.intValue);
    return Number.isSafeInteger(parsed) ? parsed : String(value.intValue);
  }
  if (typeof value.doubleValue === 'number') return value.doubleValue;
  if (typeof value.doubleValue === 'string') return Number(value.doubleValue);
  if (value.arrayValue !== undefined || value.kvlistValue !== undefined) return JSON.stringify(value.arrayValue ?? value.kvlistValue);
  if (typeof value.bytesValue === 'string') return value.bytesValue;
  return '';
}

/** `/api/v2/search/tags` (`{scopes:[{name,tags}]}`). */
export function mapTagNamesV2(doc: unknown): TagName[] {
  if (!isObject(doc)) throw new TempoShapeError('expected an object with "scopes"');
  const names: TagName[] = [];
  for (const scope of list(doc.scopes)) {
    if (!isObject(scope)) continue;
    const scopeName = text(scope.name);
    for (const tag of list(scope.tags)) if (typeof tag === 'string') names.push({ scope: scopeName, name: tag });
  }
  return names;
}

/** `/api/search/tags` (`{tagNames:[…]}`). */
export function mapTagNamesV1(doc: unknown, scope: string | undefined): TagName[] {
  if (!isObject(doc)) throw new TempoShapeError('expected an object with "tagNames"');
  return list(doc.tagNames).flatMap((name) => (typeof name === 'string' ? [{ scope, name }] : []));
}

/** `/api/v2/search/tag/{id}/values` (`{tagValues:[{type,value}]}`) and v1 (`{tagValues:[string]}`). */
export function mapTagValues(doc: unknown): TagValue[] {
  if (!isObject(doc)) throw new TempoShapeError('expected an object with "tagValues"');
  const values: TagValue[] = [];
  for (const item of list(doc.tagValues)) {
    if (typeof item === 'string') values.push({ value: item, type: undefined });
    else if (isObject(item) && typeof item.value === 'string') values.push({ value: item.value, type: text(item.type) });
  }
  return values;
}

/** `/api/metrics/query_range` (`QueryRangeResponse`). */
export function mapQueryRange(doc: unknown): MetricsQueryResult {
  if (!isObject(doc)) throw new TempoShapeError('expected an object with "series"');
  if (doc.series !== undefined && !Array.isArray(doc.series)) throw new TempoShapeError('"series" is not a list');
  const series: MetricsSeries[] = [];
  for (const item of list(doc.series)) {
    if (!isObject(item)) continue;
    const samples: MetricsSample[] = [];
    for (const sample of list(item.samples)) {
      if (!isObject(sample)) continue;
      const timestamp = Number(sample.timestampMs ?? 0);
      if (!Number.isFinite(timestamp)) continue;
      samples.push({ timestampUnixMillis: timestamp, value: numberValue(sample.value) });
    }
    const exemplars: MetricsExemplar[] = [];
    for (const exemplar of list(item.exemplars)) {
      if (!isObject(exemplar)) continue;
      const labels = mapKeyValues(exemplar.labels);
      const traceLabel = labels.find((label) => label.key === 'trace:id')?.value;
      exemplars.push({
        labels,
        value: numberValue(exemplar.value),
        timestampUnixMillis: Number(exemplar.timestampMs ?? 0),
        traceId: typeof traceLabel === 'string' ? normalizeHexId(traceLabel, 32) : undefined,
      });
    }
    series.push({ labels: mapKeyValues(item.labels), samples, exemplars });
  }
  const partial = doc.status === 'PARTIAL' || doc.status === 1;
  return { series, partial, message: text(doc.message) };
}

// jsonpb writes NaN and infinities as strings.
function numberValue(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value === 'NaN') return Number.NaN;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return 0;
}
