// One span made ready for the detail pane: every value already rendered to text, so the webview only
// ever sets textContent. int64 values stay exact because the model keeps them as decimal strings.
import type { AnyValue, Attribute, Span } from '../model/trace';
import type { DisplayAttribute, SpanDetail } from '../../shared/webviewProtocol';

/** Arrays and maps nested deeper than this render as "…", so a hostile value cannot exhaust the stack. */
export const MAX_VALUE_DEPTH = 32;

export function buildSpanDetail(span: Span, position: number): SpanDetail {
  return {
    position,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    name: span.name,
    service: span.resource.serviceName,
    kind: span.kind,
    statusCode: span.status.code,
    statusMessage: span.status.message || undefined,
    startTimeUnixNano: span.startTimeUnixNano.toString(),
    durationNano: span.durationNano.toString(),
    attributes: displayAttributes(span.attributes),
    resource: displayAttributes(span.resource.attributes),
    scope: {
      name: span.scope.name,
      version: span.scope.version,
      attributes: displayAttributes(span.scope.attributes),
    },
    events: span.events.map((event) => ({
      offsetNano: Number(event.timeUnixNano - span.startTimeUnixNano),
      name: event.name,
      attributes: displayAttributes(event.attributes),
    })),
    links: span.links.map((link) => ({
      traceId: link.traceId,
      spanId: link.spanId,
      attributes: displayAttributes(link.attributes),
    })),
  };
}

export function displayAttributes(attributes: readonly Attribute[]): DisplayAttribute[] {
  return attributes.map((attribute) => ({
    key: attribute.key,
    type: attribute.value.type,
    text: anyValueToText(attribute.value),
  }));
}

/** Scalars as themselves (strings unquoted, bytes as base64), arrays and maps as JSON. */
export function anyValueToText(value: AnyValue): string {
  switch (value.type) {
    case 'string':
    case 'bytes':
    case 'int':
      return value.value;
    case 'bool':
      return value.value ? 'true' : 'false';
    case 'double':
      return String(value.value);
    case 'empty':
      return '';
    case 'array':
    case 'map':
      return anyValueToJson(value, 0);
  }
}

function anyValueToJson(value: AnyValue, depth: number): string {
  switch (value.type) {
    case 'string':
    case 'bytes':
      return JSON.stringify(value.value);
    case 'int':
      // Already a decimal string from the parser; emitted bare so it stays an exact JSON number.
      return /^-?\d+$/.test(value.value) ? value.value : JSON.stringify(value.value);
    case 'bool':
      return value.value ? 'true' : 'false';
    case 'double':
      // JSON has no NaN or Infinity; quote them rather than lose them to null.
      return Number.isFinite(value.value) ? String(value.value) : JSON.stringify(String(value.value));
    case 'empty':
      return 'null';
    case 'array':
      if (depth >= MAX_VALUE_DEPTH) return '"…"';
      return `[${value.value.map((item) => anyValueToJson(item, depth + 1)).join(', ')}]`;
    case 'map':
      if (depth >= MAX_VALUE_DEPTH) return '"…"';
      return `{${value.value.map((entry) => `${JSON.stringify(entry.key)}: ${anyValueToJson(entry.value, depth + 1)}`).join(', ')}}`;
  }
}
