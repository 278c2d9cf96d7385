// Recognizes which backend wrote a parsed JSON document, by the shape of its top level only. Error
// envelopes that backends send instead of traces (Jaeger's {"errors"}, api_v3's {"error"}) become
// TraceParseErrors here, carrying the server's message.

import type { TraceFormat } from '../model/trace';
import { TraceParseError } from './traceParseError';

/** Names users know the formats by, for CLI output and messages. */
export const TRACE_FORMAT_LABELS: Readonly<Record<TraceFormat, string>> = {
  'jaeger-v1': 'Jaeger query API v1 JSON',
  'jaeger-v3': 'Jaeger API v3',
  'otlp-json': 'OTLP JSON',
  'otlp-jsonl': 'OTLP JSON Lines',
  'zipkin-v2': 'Zipkin v2 JSON',
  'tempo-v1': 'Tempo trace JSON v1',
  'tempo-v2': 'Tempo trace JSON v2',
};

export const SUPPORTED_FORMATS_TEXT =
  'Jaeger query API v1 JSON ({"data":[…]} or one trace object), Jaeger API v3 ({"result":{"resourceSpans":…}}), ' +
  'OTLP JSON ({"resourceSpans":…}) or OTLP JSON Lines, Zipkin v2 JSON (an array of spans), ' +
  'Tempo trace JSON v1 ({"batches":…}) and v2 ({"trace":…})';

/** A recognized document, and the part of it that the format's parser reads. */
export interface DetectedTraceDocument {
  readonly format: Exclude<TraceFormat, 'otlp-jsonl'>;
  /**
   * jaeger-v1, zipkin-v2: the whole document. jaeger-v3, otlp-json, tempo-v2: the OTLP TracesData object.
   * tempo-v1: the list of ResourceSpans. Undefined when the envelope says there are no traces.
   */
  readonly payload: unknown;
  /** Where the payload sits in the document, for messages ('' for the root). */
  readonly payloadPath: string;
  /** What the envelope itself reported besides the traces (a partial Tempo trace). */
  readonly notices: readonly string[];
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Classifies a parsed JSON document; throws TraceParseError for backend errors and unknown shapes. */
export function detectTraceFormat(doc: unknown): DetectedTraceDocument {
  if (Array.isArray(doc)) return detectArray(doc);
  if (!isObject(doc)) throw unknownShape(`the document is ${describeJsonType(doc)}`);

  if ('data' in doc) return detectJaegerEnvelope(doc);
  if (isObject(doc.result)) return { format: 'jaeger-v3', payload: doc.result, payloadPath: 'result', notices: [] };
  if (isObject(doc.error)) throw jaegerV3Error(doc.error);
  if ('resourceSpans' in doc) return { format: 'otlp-json', payload: doc, payloadPath: '', notices: [] };
  if (Array.isArray(doc.batches)) return { format: 'tempo-v1', payload: doc.batches, payloadPath: 'batches', notices: [] };
  if (isObject(doc.trace)) return detectTempoV2(doc, doc.trace);
  if (Array.isArray(doc.spans) && ('traceID' in doc || 'processes' in doc)) {
    return { format: 'jaeger-v1', payload: doc, payloadPath: '', notices: [] };
  }
  if (isZipkinSpan(doc)) return { format: 'zipkin-v2', payload: doc, payloadPath: '', notices: [] };
  // Proto3 JSON writes an OTLP request without spans as `{}`.
  if (Object.keys(doc).length === 0) return { format: 'otlp-json', payload: doc, payloadPath: '', notices: [] };
  throw unknownShape(`found an object with the keys ${listKeys(doc)}`);
}

function detectArray(doc: readonly unknown[]): DetectedTraceDocument {
  // Zipkin's /api/v2/traces answers [] when nothing matched.
  if (doc.length === 0) return { format: 'zipkin-v2', payload: doc, payloadPath: '', notices: [] };
  const first = doc[0];
  if (Array.isArray(first)) return { format: 'zipkin-v2', payload: doc, payloadPath: '', notices: [] };
  if (isObject(first)) {
    if (isZipkinSpan(first)) return { format: 'zipkin-v2', payload: doc, payloadPath: '', notices: [] };
    // Jaeger UI spans with inline processes, or the bare `data` list of trace objects.
    if ('traceID' in first && ('spanID' in first || Array.isArray(first.spans))) {
      return { format: 'jaeger-v1', payload: doc, payloadPath: '', notices: [] };
    }
    throw unknownShape(`found an array whose first element has the keys ${listKeys(first)}`);
  }
  throw unknownShape(`found an array whose first element is ${describeJsonType(first)}`);
}

function isZipkinSpan(value: JsonObject): boolean {
  return typeof value.traceId === 'string' && typeof value.id === 'string';
}

function detectJaegerEnvelope(doc: JsonObject): DetectedTraceDocument {
  // With traces present, errors (e.g. one of several trace IDs not found) are the parser's warnings.
  if (Array.isArray(doc.data)) return { format: 'jaeger-v1', payload: doc, payloadPath: '', notices: [] };
  const messages = jaegerErrorMessages(doc.errors);
  if (messages.length > 0) throw new TraceParseError(`Jaeger returned an error: ${messages.join('; ')}`);
  if (doc.data === null) return { format: 'jaeger-v1', payload: undefined, payloadPath: '', notices: [] };
  throw new TraceParseError(`"data" holds ${describeJsonType(doc.data)}; Jaeger query API v1 JSON has a list of traces there`);
}

// structuredError = {code?, msg, traceID?}
function jaegerErrorMessages(errors: unknown): string[] {
  if (!Array.isArray(errors)) return [];
  const messages: string[] = [];
  for (const error of errors) {
    if (!isObject(error)) continue;
    let message = typeof error.msg === 'string' ? error.msg : 'unknown error';
    if (typeof error.code === 'number') message = `${message} (HTTP ${error.code})`;
    if (typeof error.traceID === 'string') message = `${message} for trace ${error.traceID}`;
    messages.push(message);
  }
  return messages;
}

// GRPCGatewayError {grpcCode?, httpCode?, message?, httpStatus?}
function jaegerV3Error(error: JsonObject): TraceParseError {
  const message = typeof error.message === 'string' && error.message !== '' ? error.message : 'unknown error';
  const code = typeof error.httpCode === 'number' ? ` (HTTP ${error.httpCode})` : '';
  return new TraceParseError(`Jaeger API v3 returned an error${code}: ${message}`);
}

function detectTempoV2(doc: JsonObject, trace: JsonObject): DetectedTraceDocument {
  const notices: string[] = [];
  if (doc.status === 'PARTIAL' || doc.status === 1) {
    const message = typeof doc.message === 'string' && doc.message !== '' ? `: ${doc.message}` : '';
    notices.push(`Tempo returned a partial trace${message}`);
  }
  return { format: 'tempo-v2', payload: trace, payloadPath: 'trace', notices };
}

function unknownShape(found: string): TraceParseError {
  return new TraceParseError(`unrecognized trace format: ${found}. Supported formats: ${SUPPORTED_FORMATS_TEXT}`);
}

function listKeys(value: JsonObject): string {
  const keys = Object.keys(value);
  if (keys.length === 0) return 'none';
  const shown = keys.slice(0, 8).map((key) => JSON.stringify(key.length > 40 ? `${key.slice(0, 39)}…` : key));
  return keys.length > shown.length ? `${shown.join(', ')} and ${keys.length - shown.length} more` : shown.join(', ');
}

export function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}
