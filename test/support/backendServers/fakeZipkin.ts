// A Zipkin server on a random port speaking API v2 as zipkin-server does (fixtures/API.md §2;
// ZipkinQueryApiV2, QueryRequest): JSON lists, 404 "<id> not found" as text/plain, 400 with the
// IllegalArgumentException message as text/plain. Serves fixture span lists verbatim.

import type { ServerResponse } from 'node:http';
import { zipkinTraces } from './fixtureData';
import { send, sendJson, startRecordingServer } from './recordingServer';
import type { RecordedRequest, RecordingServer, RecordingServerOptions } from './recordingServer';
import { groupByTrace, spansFromZipkin, traceBounds } from './spanIndex';
import type { IndexedSpan } from './spanIndex';

export interface FakeZipkinOptions extends RecordingServerOptions {
  /** Span lists, one per trace; default: four fixture traces. */
  readonly traces?: readonly unknown[];
  /** `zipkin.storage.autocomplete-keys`. */
  readonly autocompleteKeys?: readonly string[];
  /** An authenticating reverse proxy in front: this exact Authorization value or 401. */
  readonly requireAuthorization?: string;
}

interface StoredTrace {
  readonly spans: IndexedSpan[];
  readonly doc: unknown[];
}

const TEXT = 'text/plain; charset=utf-8';

function badRequest(response: ServerResponse, message: string): void {
  send(response, 400, message, TEXT);
}

export async function startFakeZipkin(options: FakeZipkinOptions = {}): Promise<RecordingServer> {
  const traces = new Map<string, StoredTrace>();
  for (const doc of options.traces ?? zipkinTraces()) {
    for (const [traceId, spans] of groupByTrace(spansFromZipkin(doc))) traces.set(traceId, { spans, doc: doc as unknown[] });
  }
  const keys = options.autocompleteKeys ?? [];

  return startRecordingServer((request, response) => {
    if (options.requireAuthorization !== undefined && request.headers.authorization !== options.requireAuthorization) {
      send(response, 401, 'Unauthorized', TEXT, { 'www-authenticate': 'Basic realm="zipkin"' });
      return;
    }
    const { path, query } = request;
    const allSpans = [...traces.values()].flatMap((trace) => trace.spans);
    if (path === '/api/v2/services') return sendJson(response, 200, sortedUnique(allSpans.map((span) => span.service)));
    if (path === '/api/v2/spans' || path === '/api/v2/remoteServices') {
      const service = query.get('serviceName');
      if (service === null) return badRequest(response, "Mandatory parameter is missing: serviceName");
      const mine = allSpans.filter((span) => span.service === service.toLowerCase());
      return sendJson(response, 200, sortedUnique(path === '/api/v2/spans' ? mine.map((span) => span.name) : []));
    }
    if (path === '/api/v2/traces') return findTraces(request, response, traces);
    const byId = /^\/api\/v2\/trace\/([^/]+)$/.exec(path);
    if (byId !== null) {
      const raw = decodeURIComponent(byId[1]);
      const normalized = normalizeTraceId(raw);
      if (normalized instanceof Error) return badRequest(response, normalized.message);
      const trace = traces.get(normalized);
      if (trace === undefined) return send(response, 404, `${raw} not found`, TEXT);
      return sendJson(response, 200, trace.doc);
    }
    if (path === '/api/v2/traceMany') {
      const ids = (query.get('traceIds') ?? '').split(',').filter((id) => id !== '');
      if (ids.length < 2 || new Set(ids).size !== ids.length) return badRequest(response, 'traceIds should be a comma-separated list of 2 or more unique IDs');
      const found: unknown[] = [];
      for (const id of ids) {
        const normalized = normalizeTraceId(id);
        if (normalized instanceof Error) return badRequest(response, normalized.message);
        const trace = traces.get(normalized);
        if (trace !== undefined) found.push(trace.doc);
      }
      return sendJson(response, 200, found);
    }
    if (path === '/api/v2/autocompleteKeys') return sendJson(response, 200, keys);
    if (path === '/api/v2/autocompleteValues') {
      const key = query.get('key');
      if (key === null) return badRequest(response, 'Mandatory parameter is missing: key');
      if (!keys.includes(key)) return sendJson(response, 200, []);
      const values = allSpans.flatMap((span) => (span.attributes.has(key) ? [String(span.attributes.get(key))] : []));
      return sendJson(response, 200, sortedUnique(values));
    }
    send(response, 404, 'Status: 404\nDescription: Not Found', TEXT);
  }, options);
}

function sortedUnique(values: readonly string[]): string[] {
  return [...new Set(values.filter((value) => value !== ''))].sort();
}

/** zipkin2.Span.normalizeTraceId, keyed the way the fake stores traces (32 digits). */
function normalizeTraceId(raw: string): string | Error {
  if (raw.length > 32) return new Error(`traceId.length > 32: ${raw}`);
  if (!/^[0-9a-fA-F]+$/.test(raw)) return new Error(`${raw} should be lower-hex encoded with no prefix`);
  const lower = raw.toLowerCase();
  if (/^0+$/.test(lower)) return new Error('traceId is all zeros');
  const reduced = lower.length === 32 && lower.startsWith('0000000000000000') ? lower.slice(16) : lower;
  return reduced.padStart(32, '0');
}

interface ParsedQuery {
  serviceName: string | undefined;
  spanName: string | undefined;
  annotations: Map<string, string>;
  minDuration: bigint | undefined;
  maxDuration: bigint | undefined;
  endTs: bigint;
  lookback: bigint;
  limit: number;
}

/** QueryRequest.Builder: parse, lowercase, validate (messages verbatim). */
function parseQuery(query: URLSearchParams): ParsedQuery | Error {
  const long = (name: string): bigint | undefined | Error => {
    const text = query.get(name);
    if (text === null || text === '') return undefined;
    if (!/^-?\d+$/.test(text)) return new Error(`For input string: "${text}"`);
    return BigInt(text);
  };
  const values: Record<string, bigint | undefined> = {};
  for (const name of ['minDuration', 'maxDuration', 'endTs', 'lookback', 'limit']) {
    const value = long(name);
    if (value instanceof Error) return value;
    values[name] = value;
  }
  const annotations = new Map<string, string>();
  const annotationQuery = query.get('annotationQuery');
  if (annotationQuery !== null && annotationQuery !== '') {
    for (const term of annotationQuery.split(' and ')) {
      const index = term.indexOf('=');
      if (index === -1) {
        const key = term.trim();
        if (!annotations.has(key)) annotations.set(key, '');
      } else {
        annotations.set(term.slice(0, index).trim(), term.slice(index + 1).trim());
      }
    }
  }
  const lower = (name: string): string | undefined => {
    const text = query.get(name)?.toLowerCase();
    return text === undefined || text === '' || (name === 'spanName' && text === 'all') ? undefined : text;
  };
  const parsed: ParsedQuery = {
    serviceName: lower('serviceName'),
    spanName: lower('spanName'),
    annotations,
    minDuration: values.minDuration,
    maxDuration: values.maxDuration,
    endTs: values.endTs ?? BigInt(Date.now()),
    lookback: values.lookback ?? 86_400_000n,
    limit: Number(values.limit ?? 10n),
  };
  if (parsed.endTs <= 0n) return new Error('endTs <= 0');
  if (parsed.limit <= 0) return new Error('limit <= 0');
  if (parsed.lookback <= 0n) return new Error('lookback <= 0');
  if (parsed.minDuration !== undefined) {
    if (parsed.minDuration <= 0n) return new Error('minDuration <= 0');
    if (parsed.maxDuration !== undefined && parsed.maxDuration < parsed.minDuration) return new Error('maxDuration < minDuration');
  } else if (parsed.maxDuration !== undefined) {
    return new Error('maxDuration is only valid with minDuration');
  }
  return parsed;
}

/** QueryRequest.test: window on the root (or earliest) timestamp, the rest per span of the service. */
function traceMatches(spans: readonly IndexedSpan[], request: ParsedQuery): boolean {
  const timestampMicros = (spans.find((span) => span.parentSpanId === undefined) ?? spans[0]).startUnixNano / 1000n;
  const earliest = traceBounds(spans).start / 1000n;
  const timestamp = spans.some((span) => span.parentSpanId === undefined) ? timestampMicros : earliest;
  if (timestamp === 0n || timestamp < (request.endTs - request.lookback) * 1000n || timestamp > request.endTs * 1000n) return false;
  let serviceSeen = request.serviceName === undefined;
  let spanNameSeen = request.spanName === undefined;
  let durationSeen = request.minDuration === undefined && request.maxDuration === undefined;
  const remaining = new Map(request.annotations);
  for (const span of spans) {
    if (request.serviceName !== undefined && request.serviceName !== span.service) continue;
    serviceSeen = true;
    for (const annotation of span.annotations) if (remaining.get(annotation) === '') remaining.delete(annotation);
    for (const [key, value] of span.attributes) {
      const wanted = remaining.get(key);
      if (wanted !== undefined && (wanted === '' || wanted === String(value))) remaining.delete(key);
    }
    if (request.spanName !== undefined && request.spanName === span.name.toLowerCase()) spanNameSeen = true;
    if (!durationSeen && request.minDuration !== undefined) {
      const micros = span.durationNano / 1000n;
      durationSeen = micros >= request.minDuration && (request.maxDuration === undefined || micros <= request.maxDuration);
    }
  }
  return serviceSeen && spanNameSeen && durationSeen && remaining.size === 0;
}

function findTraces(request: RecordedRequest, response: ServerResponse, traces: Map<string, StoredTrace>): void {
  const parsed = parseQuery(request.query);
  if (parsed instanceof Error) return badRequest(response, parsed.message);
  const found = [...traces.values()].filter((trace) => traceMatches(trace.spans, parsed));
  found.sort((a, b) => Number(traceBounds(b.spans).start - traceBounds(a.spans).start));
  sendJson(response, 200, found.slice(0, parsed.limit).map((trace) => trace.doc));
}
