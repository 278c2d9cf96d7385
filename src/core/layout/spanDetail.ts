// One span made ready for the detail pane: every value already rendered to text, so the webview only
// ever sets textContent. int64 values stay exact because the model keeps them as decimal strings.
import { codeLocationOfSpan } from '../codeMapping/spanCodeLocation';
import { buildGenAiDetail } from '../genai/genAiDetail';
import type { AnyValue, Attribute, Span } from '../model/trace';
import type { DisplayAttribute, SpanCodeText, SpanDetail } from '../../shared/webviewProtocol';

/** Arrays and maps nested deeper than this render as "…", so a hostile value cannot exhaust the stack. */
export const MAX_VALUE_DEPTH = 32;

export function buildSpanDetail(span: Span, position: number): SpanDetail {
  const genAi = buildGenAiDetail(span);
  const codeLocation = codeTextOfSpan(span);
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
      timeUnixNano: event.timeUnixNano.toString(),
      name: event.name,
      attributes: displayAttributes(event.attributes),
    })),
    links: span.links.map((link) => ({
      traceId: link.traceId,
      spanId: link.spanId,
      attributes: displayAttributes(link.attributes),
    })),
    ...(codeLocation === undefined ? {} : { codeLocation }),
    ...(genAi === undefined ? {} : { genAi }),
  };
}

/** What the span's attributes and exception events say about where it was produced, if anything. */
export function codeTextOfSpan(span: Span): SpanCodeText | undefined {
  const location = codeLocationOfSpan(span);
  const { functionName, filePath, lineNumber, columnNumber } = location;
  if (functionName === undefined && filePath === undefined) {
    return location.stackTrace === undefined ? undefined : { fromStackTrace: true };
  }
  const text: { -readonly [K in keyof SpanCodeText]: SpanCodeText[K] } = {};
  if (functionName !== undefined) text.functionName = functionName;
  if (filePath !== undefined) {
    text.filePath = filePath;
    if (lineNumber !== undefined) text.lineNumber = lineNumber;
    if (lineNumber !== undefined && columnNumber !== undefined) text.columnNumber = columnNumber;
  }
  return text;
}

/**
 * `server.ts:89 · handleAsk`: the file's base name and line, then the function without a qualifier that
 * only repeats the file's name (`server.handleAsk` in server.ts).
 */
export function codeLocationLabel(code: SpanCodeText): string {
  const parts: string[] = [];
  let baseName: string | undefined;
  if (code.filePath !== undefined) {
    baseName = code.filePath.slice(Math.max(code.filePath.lastIndexOf('/'), code.filePath.lastIndexOf('\\')) + 1) || code.filePath;
    parts.push(code.lineNumber === undefined ? baseName : `${baseName}:${code.lineNumber}`);
  }
  if (code.functionName !== undefined) {
    const stem = baseName === undefined ? undefined : baseName.replace(/\.[^.]*$/, '');
    const name = stem !== undefined && stem !== '' && code.functionName.startsWith(`${stem}.`) ? code.functionName.slice(stem.length + 1) : code.functionName;
    parts.push(name === '' ? code.functionName : name);
  }
  if (parts.length === 0) return code.fromStackTrace === true ? 'Find in stack trace' : 'Show code';
  return parts.join(' · ');
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
