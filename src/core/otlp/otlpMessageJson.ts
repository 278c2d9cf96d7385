// A decoded OTLP protobuf request in the OTLP/JSON shape that parseOtlpTracesData reads: hex IDs, int64 as
// decimal text, bytes as base64. This replaces protobufjs's generic toObject, which spends most of its time
// base64-encoding IDs and stringifying Longs that the parser then decodes again.

import { MAX_ANY_VALUE_DEPTH } from '../formats/anyValue';
import type { DecodedAnyValue, DecodedExportTraceRequest, DecodedKeyValue, DecodedScopeSpans, DecodedSpan } from './otlpProtobuf';
import { int64ToDecimal, uint64ToDecimal } from './otlpProtobuf';
import { bytesToHex } from '../model/bytesToHex';

export type JsonAnyValue = Readonly<Record<string, unknown>>;

export interface JsonKeyValue {
  readonly key: string;
  readonly value: JsonAnyValue;
}

interface JsonSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly traceState?: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly kind: number;
  readonly startTimeUnixNano?: string;
  readonly endTimeUnixNano?: string;
  readonly attributes: readonly JsonKeyValue[];
  readonly events: readonly { timeUnixNano?: string; name: string; attributes: readonly JsonKeyValue[] }[];
  readonly links: readonly { traceId: string; spanId: string; traceState?: string; attributes: readonly JsonKeyValue[] }[];
  readonly status?: { code: number; message?: string };
}

interface JsonScopeSpans {
  readonly scope?: { name: string; version?: string; attributes: readonly JsonKeyValue[] };
  readonly spans: JsonSpan[];
}

export interface JsonTracesRequest {
  readonly resourceSpans: { resource?: { attributes: readonly JsonKeyValue[] }; scopeSpans: JsonScopeSpans[] }[];
}


/** `onlyTraceId` (hex) keeps the spans of one trace, so reading a trace back converts nothing else. */
export function otlpRequestToJson(message: DecodedExportTraceRequest, onlyTraceId?: string): JsonTracesRequest {
  const resourceSpans: JsonTracesRequest['resourceSpans'] = [];
  for (const entry of message.resourceSpans) {
    const scopeSpans: JsonScopeSpans[] = [];
    for (const scopeEntry of entry.scopeSpans) {
      const converted = convertScopeSpans(scopeEntry, onlyTraceId);
      if (converted !== undefined) scopeSpans.push(converted);
    }
    if (scopeSpans.length === 0 && onlyTraceId !== undefined) continue;
    resourceSpans.push(entry.resource === null ? { scopeSpans } : { resource: { attributes: keyValues(entry.resource.attributes, 0) }, scopeSpans });
  }
  return { resourceSpans };
}

function convertScopeSpans(entry: DecodedScopeSpans, onlyTraceId: string | undefined): JsonScopeSpans | undefined {
  const spans: JsonSpan[] = [];
  for (const span of entry.spans) {
    const traceId = span.traceId === null ? '' : bytesToHex(span.traceId);
    if (onlyTraceId !== undefined && traceId !== onlyTraceId) continue;
    spans.push(convertSpan(span, traceId));
  }
  if (spans.length === 0 && onlyTraceId !== undefined) return undefined;
  const scope = entry.scope;
  if (scope === null) return { spans };
  const version = scope.version ?? '';
  return {
    scope: version === '' ? { name: scope.name ?? '', attributes: keyValues(scope.attributes, 0) } : { name: scope.name ?? '', version, attributes: keyValues(scope.attributes, 0) },
    spans,
  };
}

function convertSpan(span: DecodedSpan, traceId: string): JsonSpan {
  const status = span.status;
  const parent = span.parentSpanId;
  return {
    traceId,
    spanId: span.spanId === null ? '' : bytesToHex(span.spanId),
    traceState: span.traceState ?? undefined,
    parentSpanId: parent === null || parent.length === 0 ? undefined : bytesToHex(parent),
    name: span.name ?? '',
    kind: span.kind ?? 0,
    startTimeUnixNano: span.startTimeUnixNano === null ? undefined : uint64ToDecimal(span.startTimeUnixNano),
    endTimeUnixNano: span.endTimeUnixNano === null ? undefined : uint64ToDecimal(span.endTimeUnixNano),
    attributes: keyValues(span.attributes, 0),
    events: span.events.map((event) => ({
      timeUnixNano: event.timeUnixNano === null ? undefined : uint64ToDecimal(event.timeUnixNano),
      name: event.name ?? '',
      attributes: keyValues(event.attributes, 0),
    })),
    links: span.links.map((link) => ({
      traceId: link.traceId === null ? '' : bytesToHex(link.traceId),
      spanId: link.spanId === null ? '' : bytesToHex(link.spanId),
      traceState: link.traceState ?? undefined,
      attributes: keyValues(link.attributes, 0),
    })),
    status: status === null ? undefined : { code: status.code ?? 0, message: status.message ?? undefined },
  };
}

function keyValues(list: readonly DecodedKeyValue[], depth: number): JsonKeyValue[] {
  const out = new Array<JsonKeyValue>(list.length);
  for (let i = 0; i < list.length; i++) out[i] = { key: list[i].key ?? '', value: anyValue(list[i].value, depth) };
  return out;
}

// Depth is capped one level past the parser's own cap, so the parser still sees (and reports) the cut.
function anyValue(value: DecodedAnyValue | null, depth: number): JsonAnyValue {
  if (value === null) return {};
  if (value.stringValue !== null) return { stringValue: value.stringValue };
  if (value.intValue !== null) return { intValue: int64ToDecimal(value.intValue) };
  if (value.boolValue !== null) return { boolValue: value.boolValue };
  if (value.doubleValue !== null) return { doubleValue: Number.isFinite(value.doubleValue) ? value.doubleValue : String(value.doubleValue) };
  if (value.bytesValue !== null) return { bytesValue: Buffer.from(value.bytesValue.buffer, value.bytesValue.byteOffset, value.bytesValue.byteLength).toString('base64') };
  if (depth > MAX_ANY_VALUE_DEPTH) return { arrayValue: {} };
  if (value.arrayValue !== null) return { arrayValue: { values: value.arrayValue.values.map((item) => anyValue(item, depth + 1)) } };
  if (value.kvlistValue !== null) return { kvlistValue: { values: keyValues(value.kvlistValue.values, depth + 1) } };
  return {};
}
