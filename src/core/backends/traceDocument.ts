// Backend response bodies through the shared trace parsers, with parse failures reported as malformed
// responses of that backend.

import { parseTraceDocument } from '../formats/parseTraceText';
import { TraceParseError } from '../formats/traceParseError';
import type { ParsedTraces } from '../model/trace';
import { BackendError } from './backendError';
import type { HttpClient, HttpResponse } from './http/httpClient';
import type { FetchedTrace } from './traceBackend';

/** Parses a response document; a parse failure becomes a `malformed` BackendError. */
export function parseResponseTraces(http: HttpClient, response: HttpResponse, doc: unknown): ParsedTraces {
  try {
    return parseTraceDocument(doc);
  } catch (error) {
    if (error instanceof TraceParseError) throw http.malformed(response, `the traces in it cannot be read: ${error.message}`);
    throw error;
  }
}

export function traceNotFound(traceId: string, target: string): BackendError {
  return new BackendError('notFound', `Trace ${traceId} was not found in ${target}`, 404);
}

/** The one trace a trace-by-ID response holds. */
export function fetchedTraceFrom(http: HttpClient, response: HttpResponse, doc: unknown, traceId: string): FetchedTrace {
  const parsed = parseResponseTraces(http, response, doc);
  const warnings = [...parsed.warnings];
  const { traces } = parsed;
  if (traces.length === 0) throw traceNotFound(traceId, http.target);
  // A 64-bit ID asked for as 32 digits comes back as the 64-bit ID, which the parser pads the same way; a
  // server that stores 128-bit IDs may answer a 64-bit lookup with the full ID, which shares the low half.
  const trace =
    traces.find((item) => item.traceId === traceId) ??
    traces.find((item) => traceId.startsWith('0000000000000000') && item.traceId.endsWith(traceId.slice(16))) ??
    traces[0];
  if (trace.traceId !== traceId) warnings.push(`asked for trace ${traceId}, the server answered with trace ${trace.traceId}`);
  if (traces.length > 1) warnings.push(`the server answered with ${traces.length} traces; showing ${trace.traceId}`);
  return { trace, format: parsed.format, warnings };
}
