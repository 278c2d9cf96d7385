// The model to spec OTLP/JSON (an ExportTraceServiceRequest): hex IDs, integer enums, int64 as decimal
// strings, lowerCamelCase keys, default values omitted as proto3 JSON does. Spans that share a Resource
// object share one ResourceSpans entry, and likewise for scopes.

import type {
  AnyValue,
  Attribute,
  InstrumentationScope,
  Resource,
  Span,
  SpanEvent,
  SpanKind,
  SpanLink,
  SpanStatus,
  StatusCode,
  Trace,
} from '../model/trace';
import { MAX_ANY_VALUE_DEPTH } from './anyValue';
import { UNKNOWN_SERVICE } from './otlpJson';

type OtlpAnyValue =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: string }
  | { doubleValue: number | string }
  | { bytesValue: string }
  | { arrayValue: { values: OtlpAnyValue[] } }
  | { kvlistValue: { values: OtlpKeyValue[] } }
  | Record<string, never>;

interface OtlpKeyValue {
  key: string;
  value: OtlpAnyValue;
}

interface OtlpEvent {
  timeUnixNano: string;
  name: string;
  attributes?: OtlpKeyValue[];
}

interface OtlpLink {
  traceId: string;
  spanId: string;
  traceState?: string;
  attributes?: OtlpKeyValue[];
}

interface OtlpSpan {
  traceId: string;
  spanId: string;
  traceState?: string;
  parentSpanId?: string;
  name: string;
  kind?: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes?: OtlpKeyValue[];
  events?: OtlpEvent[];
  links?: OtlpLink[];
  status?: { code?: number; message?: string };
}

interface OtlpScopeSpans {
  scope?: { name?: string; version?: string; attributes?: OtlpKeyValue[] };
  spans: OtlpSpan[];
}

interface OtlpResourceSpans {
  resource: { attributes: OtlpKeyValue[] };
  scopeSpans: OtlpScopeSpans[];
}

const KIND_NUMBERS: Readonly<Record<SpanKind, number>> = {
  unspecified: 0,
  internal: 1,
  server: 2,
  client: 3,
  producer: 4,
  consumer: 5,
};

const STATUS_NUMBERS: Readonly<Record<StatusCode, number>> = { unset: 0, ok: 1, error: 2 };

/** Traces that OTLP/JSON cannot express, such as the non-hex IDs some test data carries. */
export class OtlpWriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OtlpWriteError';
  }
}

/** Writes traces as one compact OTLP/JSON document; throws OtlpWriteError for IDs that are not hex. */
export function writeOtlpJson(traces: readonly Trace[]): string {
  const byResource = new Map<Resource, Map<InstrumentationScope, OtlpSpan[]>>();
  for (const trace of traces) {
    for (const span of trace.spans) {
      let byScope = byResource.get(span.resource);
      if (byScope === undefined) {
        byScope = new Map();
        byResource.set(span.resource, byScope);
      }
      let spans = byScope.get(span.scope);
      if (spans === undefined) {
        spans = [];
        byScope.set(span.scope, spans);
      }
      spans.push(toOtlpSpan(span));
    }
  }
  const resourceSpans: OtlpResourceSpans[] = [];
  for (const [resource, byScope] of byResource) {
    const scopeSpans: OtlpScopeSpans[] = [];
    for (const [scope, spans] of byScope) scopeSpans.push({ ...toOtlpScope(scope), spans });
    resourceSpans.push({ resource: { attributes: resourceAttributes(resource) }, scopeSpans });
  }
  return JSON.stringify({ resourceSpans });
}

// Jaeger and Zipkin carry the service name outside the attributes; OTLP keeps it in `service.name`.
function resourceAttributes(resource: Resource): OtlpKeyValue[] {
  const attributes = toKeyValues(resource.attributes, 0) ?? [];
  const named = resource.attributes.some((attribute) => attribute.key === 'service.name');
  if (!named && resource.serviceName !== UNKNOWN_SERVICE) {
    attributes.unshift({ key: 'service.name', value: { stringValue: resource.serviceName } });
  }
  return attributes;
}

function toOtlpScope(scope: InstrumentationScope): Pick<OtlpScopeSpans, 'scope'> {
  const attributes = toKeyValues(scope.attributes, 0);
  if (scope.name === '' && scope.version === undefined && attributes === undefined) return {};
  const out: NonNullable<OtlpScopeSpans['scope']> = {};
  if (scope.name !== '') out.name = scope.name;
  if (scope.version !== undefined) out.version = scope.version;
  if (attributes !== undefined) out.attributes = attributes;
  return { scope: out };
}

// Keys in trace.proto field order; JSON.stringify keeps that order and drops the undefined (default) ones.
function toOtlpSpan(span: Span): OtlpSpan {
  const kind = KIND_NUMBERS[span.kind];
  return {
    traceId: checkedId(span.traceId, 32, 'trace'),
    spanId: checkedId(span.spanId, 16, 'span'),
    traceState: span.traceState === '' ? undefined : span.traceState,
    parentSpanId: span.parentSpanId === undefined ? undefined : checkedId(span.parentSpanId, 16, 'parent span'),
    name: span.name,
    kind: kind === 0 ? undefined : kind,
    startTimeUnixNano: span.startTimeUnixNano.toString(),
    endTimeUnixNano: (span.startTimeUnixNano + span.durationNano).toString(),
    attributes: toKeyValues(span.attributes, 0),
    events: span.events.length === 0 ? undefined : span.events.map(toOtlpEvent),
    links: span.links.length === 0 ? undefined : span.links.map(toOtlpLink),
    status: toOtlpStatus(span.status),
  };
}

function toOtlpEvent(event: SpanEvent): OtlpEvent {
  return { timeUnixNano: event.timeUnixNano.toString(), name: event.name, attributes: toKeyValues(event.attributes, 0) };
}

function toOtlpLink(link: SpanLink): OtlpLink {
  return {
    traceId: checkedId(link.traceId, 32, 'linked trace'),
    spanId: checkedId(link.spanId, 16, 'linked span'),
    traceState: link.traceState === '' ? undefined : link.traceState,
    attributes: toKeyValues(link.attributes, 0),
  };
}

function toOtlpStatus(status: SpanStatus): OtlpSpan['status'] {
  const code = STATUS_NUMBERS[status.code];
  const message = status.message === '' ? undefined : status.message;
  if (code === 0 && message === undefined) return undefined;
  return { code: code === 0 ? undefined : code, message };
}

// The model allows IDs kept as written when a source had no hex (Jaeger UI test data); OTLP does not.
function checkedId(id: string, digits: 16 | 32, what: string): string {
  let valid = id.length === digits;
  for (let i = 0; valid && i < id.length; i++) {
    const code = id.charCodeAt(i);
    valid = (code >= 48 && code <= 57) || (code >= 97 && code <= 102);
  }
  if (!valid) throw new OtlpWriteError(`${what} ID "${id}" is not ${digits} hex digits, which OTLP JSON requires`);
  return id;
}

function toKeyValues(attributes: readonly Attribute[], depth: number): OtlpKeyValue[] | undefined {
  if (attributes.length === 0) return undefined;
  const out = new Array<OtlpKeyValue>(attributes.length);
  for (let i = 0; i < attributes.length; i++) {
    out[i] = { key: attributes[i].key, value: toAnyValue(attributes[i].value, depth) };
  }
  return out;
}

function toAnyValue(value: AnyValue, depth: number): OtlpAnyValue {
  switch (value.type) {
    case 'string':
      return { stringValue: value.value };
    case 'bool':
      return { boolValue: value.value };
    case 'int':
      return { intValue: value.value };
    case 'double':
      // JSON has no NaN or infinities; proto3 JSON spells them as strings.
      return { doubleValue: Number.isFinite(value.value) ? value.value : String(value.value) };
    case 'bytes':
      return { bytesValue: value.value };
    case 'array':
      if (depth >= MAX_ANY_VALUE_DEPTH) return {};
      return { arrayValue: { values: value.value.map((item) => toAnyValue(item, depth + 1)) } };
    case 'map':
      if (depth >= MAX_ANY_VALUE_DEPTH) return {};
      return { kvlistValue: { values: toKeyValues(value.value, depth + 1) ?? [] } };
    case 'empty':
      return {};
  }
}
