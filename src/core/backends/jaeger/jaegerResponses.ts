// Jaeger's JSON answers for services, operations and trace summaries (fixtures/API.md §1.2, §1.4.3).
// jsonpb omits empty lists, so `{}` is a valid empty answer from api_v3.

import { normalizeHexId } from '../../model/ids';
import { parseUint64 } from '../../model/time';
import type { SpanKind } from '../../model/trace';
import type { Operation, ServiceSpanStats, TraceSummary } from '../traceBackend';

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Thrown for a body that is not the documented shape; the client wraps it with context. */
export class JaegerShapeError extends Error {}

const SPAN_KINDS: ReadonlyMap<string, SpanKind> = new Map([
  ['server', 'server'],
  ['client', 'client'],
  ['producer', 'producer'],
  ['consumer', 'consumer'],
  ['internal', 'internal'],
  ['unspecified', 'unspecified'],
]);

function spanKindOf(value: unknown): SpanKind | undefined {
  return typeof value === 'string' ? SPAN_KINDS.get(value.toLowerCase()) : undefined;
}

function stringList(value: unknown, where: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new JaegerShapeError(`${where} is not a list`);
  return value.filter((item): item is string => typeof item === 'string');
}

/** `{"services":[…]}` (v3). */
export function v3Services(doc: unknown): string[] {
  if (!isObject(doc)) throw new JaegerShapeError('expected an object with "services"');
  return stringList(doc.services, '"services"');
}

/** `{"data":[…], …}` (v1). */
export function v1Services(doc: unknown): string[] {
  if (!isObject(doc) || !('data' in doc)) throw new JaegerShapeError('expected the {"data": …} envelope');
  return stringList(doc.data, '"data"');
}

function operationList(value: unknown, where: string): Operation[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new JaegerShapeError(`${where} is not a list`);
  const operations: Operation[] = [];
  for (const item of value) {
    if (typeof item === 'string') operations.push({ name: item, spanKind: undefined });
    else if (isObject(item) && typeof item.name === 'string') operations.push({ name: item.name, spanKind: spanKindOf(item.spanKind) });
  }
  return operations;
}

/** `{"operations":[{name,spanKind}]}` (v3). */
export function v3Operations(doc: unknown): Operation[] {
  if (!isObject(doc)) throw new JaegerShapeError('expected an object with "operations"');
  return operationList(doc.operations, '"operations"');
}

/** `{"data":[{name,spanKind}]}` from /api/operations, `{"data":["name"]}` from the legacy route (v1). */
export function v1Operations(doc: unknown): Operation[] {
  if (!isObject(doc) || !('data' in doc)) throw new JaegerShapeError('expected the {"data": …} envelope');
  return operationList(doc.data, '"data"');
}

function count(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

/** `{"summaries":[TraceSummary]}` from /api/v3/trace-summaries (≥ v2.19). */
export function v3Summaries(doc: unknown): TraceSummary[] {
  if (!isObject(doc)) throw new JaegerShapeError('expected an object with "summaries"');
  const { summaries } = doc;
  if (summaries === undefined || summaries === null) return [];
  if (!Array.isArray(summaries)) throw new JaegerShapeError('"summaries" is not a list');
  const result: TraceSummary[] = [];
  for (const item of summaries) {
    if (!isObject(item) || typeof item.traceId !== 'string') continue;
    const traceId = normalizeHexId(item.traceId, 32);
    if (traceId === undefined) continue;
    const start = parseUint64(item.minStartTimeUnixNano);
    const end = parseUint64(item.maxEndTimeUnixNano);
    const services: ServiceSpanStats[] = [];
    if (Array.isArray(item.services)) {
      for (const service of item.services) {
        if (!isObject(service) || typeof service.name !== 'string') continue;
        services.push({ name: service.name, spanCount: count(service.spanCount) ?? 0, errorCount: count(service.errorSpanCount) ?? 0 });
      }
    }
    result.push({
      traceId,
      rootServiceName: typeof item.rootServiceName === 'string' ? item.rootServiceName : undefined,
      rootSpanName: typeof item.rootOperationName === 'string' ? item.rootOperationName : undefined,
      startTimeUnixNano: start,
      durationNano: start !== undefined && end !== undefined && end >= start ? end - start : undefined,
      // Zero counts are omitted by jsonpb.
      spanCount: count(item.spanCount) ?? 0,
      errorCount: count(item.errorSpanCount) ?? 0,
      services,
      matchedSpans: [],
    });
  }
  return result;
}
