// A Jaeger query service on a random port that speaks the wire formats of fixtures/API.md §1 exactly:
// api_v3 (OTLP JSON in {"result":…}, errors as {"error":{…}} sent as text/plain) and the internal v1 API
// ({"data":…} envelope, errors via Go's http.Error). Modes reproduce the version differences a client meets:
//
//   v1-only  a server without api_v3 (before v1.35): /api/v3/* answers 404
//   v1.53    api_v3 with base64 IDs and enum names; snake_case parameters only; no query.attributes
//   v2.10    api_v3 with hex IDs; snake_case parameters only; query.attributes ignored; no trace-summaries
//   v2.20    camelCase and snake_case; query.attributes; /api/v3/trace-summaries (from v2.19)
//   main     like v2.20, but v1 /api/services, /api/operations, /api/services/{s}/operations and
//            /api/traces (search) removed (404), as on Jaeger's main branch since 2026-08
//
// api_v3 serves `otlpTraces` (OTLP with hex IDs); the v1 API serves `v1Traces` (UI-model trace objects).

import type { ServerResponse } from 'node:http';
import { exampleOtlpTrace, hotrodTraces, jaegerV1Traces } from './fixtureData';
import { parseGoDuration } from './goDuration';
import { send, sendGoError, sendJson, startRecordingServer } from './recordingServer';
import type { RecordedRequest, RecordingServer, RecordingServerOptions } from './recordingServer';
import { groupByTrace, otlpForTrace, rootOf, spansFromJaegerV1, spansFromOtlp, toGogoJsonpb, traceBounds } from './spanIndex';
import type { IndexedSpan } from './spanIndex';

export type FakeJaegerMode = 'v1-only' | 'v1.53' | 'v2.10' | 'v2.20' | 'main';

export interface FakeJaegerOptions extends RecordingServerOptions {
  readonly mode?: FakeJaegerMode;
  /** OTLP TracesData documents (hex IDs, integer enums); default: two HotROD captures and a 3-service example. */
  readonly otlpTraces?: readonly unknown[];
  /** Jaeger UI-model trace objects for the v1 API; default: two fixture traces. */
  readonly v1Traces?: readonly unknown[];
  /** Multi-tenancy on: the `x-tenant` header must name one of these. */
  readonly tenants?: readonly string[];
  /** `query.base_path`, e.g. `/jaeger`. */
  readonly basePath?: string;
  /** An authenticating reverse proxy in front: this exact Authorization value or 401. */
  readonly requireAuthorization?: string;
}

export interface FakeJaeger extends RecordingServer {
  readonly mode: FakeJaegerMode;
}

interface StoredOtlpTrace {
  readonly spans: IndexedSpan[];
  readonly doc: { resourceSpans: unknown[] };
}

interface StoredV1Trace {
  readonly spans: IndexedSpan[];
  readonly doc: unknown;
}

const NOT_FOUND_PAGE = '404 page not found';

export async function startFakeJaeger(options: FakeJaegerOptions = {}): Promise<FakeJaeger> {
  const mode = options.mode ?? 'v2.20';
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  const otlp = indexOtlp(options.otlpTraces ?? [...hotrodTraces(), exampleOtlpTrace()]);
  const v1 = indexV1(options.v1Traces ?? jaegerV1Traces());
  const api = new JaegerApi(mode, otlp, v1);

  const server = await startRecordingServer((request, response) => {
    if (options.requireAuthorization !== undefined && request.headers.authorization !== options.requireAuthorization) {
      send(response, 401, 'Unauthorized\n', 'text/plain; charset=utf-8', { 'www-authenticate': 'Bearer' });
      return;
    }
    if (!request.path.startsWith(`${basePath}/`)) {
      sendGoError(response, 404, NOT_FOUND_PAGE);
      return;
    }
    const path = request.path.slice(basePath.length);
    if (options.tenants !== undefined && path.startsWith('/api/')) {
      const tenant = request.headers['x-tenant'];
      if (tenant === undefined) return sendGoError(response, 401, 'missing tenant header');
      if (!options.tenants.includes(String(tenant))) return sendGoError(response, 401, 'unknown tenant');
    }
    if (request.method !== 'GET') return sendGoError(response, 405, 'Method Not Allowed');
    api.route(path, request, response);
  }, options);
  return { ...server, mode };
}

function indexOtlp(docs: readonly unknown[]): Map<string, StoredOtlpTrace> {
  const traces = new Map<string, StoredOtlpTrace>();
  for (const doc of docs) {
    for (const [traceId, spans] of groupByTrace(spansFromOtlp(doc))) {
      traces.set(traceId, { spans, doc: otlpForTrace(doc, traceId) });
    }
  }
  return traces;
}

function indexV1(docs: readonly unknown[]): Map<string, StoredV1Trace> {
  const traces = new Map<string, StoredV1Trace>();
  for (const doc of docs) {
    const spans = spansFromJaegerV1(doc);
    if (spans.length > 0) traces.set(spans[0].traceId, { spans, doc });
  }
  return traces;
}

/** RFC 3339 with optional fraction, as Go's time.RFC3339Nano parser reads it; ms since epoch or an Error. */
function parseRfc3339(value: string, param: string): bigint {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(value);
  const millis = match === null ? Number.NaN : Date.parse(`${match[1]}${match[3]}`);
  if (match === null || Number.isNaN(millis)) {
    throw new Error(`malformed parameter ${param}: parsing time "${value}" as "2006-01-02T15:04:05.999999999Z07:00": cannot parse`);
  }
  const fraction = (match[2] ?? '').padEnd(9, '0');
  return BigInt(millis) * 1_000_000n + BigInt(fraction);
}

function attributeMatches(span: IndexedSpan, key: string, expected: string): boolean {
  const value = span.attributes.get(key) ?? span.resourceAttributes.get(key);
  return value !== undefined && String(value) === expected;
}

interface SpanFilter {
  readonly service: string;
  readonly operation: string;
  readonly minStart: bigint;
  readonly maxStart: bigint;
  readonly minDuration: bigint | undefined;
  readonly maxDuration: bigint | undefined;
  readonly attributes: Readonly<Record<string, string>>;
  /** v1 also matches tags in logs. */
  readonly includeLogs: boolean;
}

function spanMatches(span: IndexedSpan, filter: SpanFilter): boolean {
  if (filter.service !== '' && span.service !== filter.service) return false;
  if (filter.operation !== '' && span.name !== filter.operation) return false;
  if (span.startUnixNano < filter.minStart || span.startUnixNano > filter.maxStart) return false;
  if (filter.minDuration !== undefined && span.durationNano < filter.minDuration) return false;
  if (filter.maxDuration !== undefined && span.durationNano > filter.maxDuration) return false;
  return Object.entries(filter.attributes).every(
    ([key, value]) => attributeMatches(span, key, value) || (filter.includeLogs && span.annotations.includes(value)),
  );
}

function newestTraces<T extends { spans: IndexedSpan[] }>(traces: Iterable<T>, filter: SpanFilter, limit: number): T[] {
  const found = [...traces].filter((trace) => trace.spans.some((span) => spanMatches(span, filter)));
  found.sort((a, b) => Number(traceBounds(b.spans).start - traceBounds(a.spans).start));
  return limit > 0 ? found.slice(0, limit) : found;
}

class JaegerApi {
  private readonly hasV3: boolean;
  private readonly legacyEncoding: boolean;
  /** v2.19+: camelCase names, query.attributes, trace-summaries. */
  private readonly modern: boolean;
  private readonly v1Search: boolean;

  constructor(
    mode: FakeJaegerMode,
    private readonly otlp: Map<string, StoredOtlpTrace>,
    private readonly v1: Map<string, StoredV1Trace>,
  ) {
    this.hasV3 = mode !== 'v1-only';
    this.legacyEncoding = mode === 'v1.53';
    this.modern = mode === 'v2.20' || mode === 'main';
    this.v1Search = mode !== 'main';
  }

  route(path: string, request: RecordedRequest, response: ServerResponse): void {
    if (path.startsWith('/api/v3/')) {
      if (!this.hasV3) return sendGoError(response, 404, NOT_FOUND_PAGE);
      return this.v3(path, request, response);
    }
    return this.v1Api(path, request, response);
  }

  // ---- api_v3 -------------------------------------------------------------------------------------------

  private v3Error(response: ServerResponse, status: number, message: string): void {
    sendGoError(response, status, JSON.stringify({ error: { httpCode: status, message } }));
  }

  private param(request: RecordedRequest, canonical: string, snake: string): string {
    if (this.modern) {
      const value = request.query.get(canonical);
      if (value !== null && value !== '') return value;
    }
    return request.query.get(snake) ?? '';
  }

  private v3(path: string, request: RecordedRequest, response: ServerResponse): void {
    try {
      if (path === '/api/v3/services') {
        const services = [...new Set([...this.otlp.values()].flatMap((trace) => trace.spans.map((span) => span.service)))].sort();
        return sendJson(response, 200, services.length === 0 ? {} : { services });
      }
      if (path === '/api/v3/operations') return this.v3Operations(request, response);
      if (path === '/api/v3/traces') return this.v3FindTraces(request, response);
      if (path === '/api/v3/trace-summaries' && this.modern) return this.v3Summaries(request, response);
      const byId = /^\/api\/v3\/traces\/([^/]+)$/.exec(path);
      if (byId !== null) return this.v3GetTrace(decodeURIComponent(byId[1]), request, response);
      return sendGoError(response, 404, NOT_FOUND_PAGE);
    } catch (error) {
      return this.v3Error(response, 400, (error as Error).message);
    }
  }

  private v3Operations(request: RecordedRequest, response: ServerResponse): void {
    const service = request.query.get('service') ?? '';
    const kind = this.param(request, 'spanKind', 'span_kind');
    const seen = new Map<string, { name: string; spanKind: string }>();
    for (const trace of this.otlp.values()) {
      for (const span of trace.spans) {
        const spanKind = span.kind === 'unspecified' ? 'internal' : span.kind;
        if (span.service !== service || (kind !== '' && kind !== spanKind)) continue;
        seen.set(`${span.name}\u0000${spanKind}`, { name: span.name, spanKind });
      }
    }
    const operations = [...seen.values()];
    sendJson(response, 200, operations.length === 0 ? {} : { operations });
  }

  private encodeTrace(doc: { resourceSpans: unknown[] }): unknown {
    return this.legacyEncoding ? toGogoJsonpb(doc, 'keep') : doc;
  }

  private v3GetTrace(rawId: string, request: RecordedRequest, response: ServerResponse): void {
    if (!/^[0-9a-fA-F]{1,32}$/.test(rawId)) {
      return this.v3Error(response, 400, `malformed parameter trace_id: strconv.ParseUint: parsing "${rawId}": invalid syntax`);
    }
    const start = this.param(request, 'startTime', 'start_time');
    const end = this.param(request, 'endTime', 'end_time');
    if (start !== '') parseRfc3339(start, 'start_time');
    if (end !== '') parseRfc3339(end, 'end_time');
    const trace = this.otlp.get(rawId.toLowerCase().padStart(32, '0'));
    if (trace === undefined) return this.v3Error(response, 404, 'No traces found');
    sendJson(response, 200, { result: this.encodeTrace(trace.doc) });
  }

  private v3Filter(request: RecordedRequest): { filter: SpanFilter; limit: number } {
    const minText = this.param(request, 'query.startTimeMin', 'query.start_time_min');
    const maxText = this.param(request, 'query.startTimeMax', 'query.start_time_max');
    if (minText === '' || maxText === '') throw new Error('query.start_time_min and query.start_time_max are required');
    const minStart = parseRfc3339(minText, 'query.start_time_min');
    const maxStart = parseRfc3339(maxText, 'query.start_time_max');
    const duration = (canonical: string, snake: string): bigint | undefined => {
      const text = this.param(request, canonical, snake);
      if (text === '') return undefined;
      try {
        return parseGoDuration(text);
      } catch (error) {
        throw new Error(`malformed parameter ${snake}: ${(error as Error).message}`);
      }
    };
    let depthText = this.modern ? this.param(request, 'query.searchDepth', 'query.search_depth') : '';
    if (depthText === '') depthText = request.query.get('query.num_traces') ?? '';
    if (depthText !== '' && !/^\d+$/.test(depthText)) throw new Error(`malformed parameter query.num_traces: strconv.Atoi: parsing "${depthText}": invalid syntax`);
    let attributes: Record<string, string> = {};
    const attributesText = this.modern ? (request.query.get('query.attributes') ?? '') : '';
    if (attributesText !== '') {
      try {
        attributes = JSON.parse(attributesText) as Record<string, string>;
      } catch (error) {
        throw new Error(`malformed parameter query.attributes: ${(error as Error).message}`);
      }
    }
    return {
      filter: {
        service: this.param(request, 'query.serviceName', 'query.service_name'),
        operation: this.param(request, 'query.operationName', 'query.operation_name'),
        minStart,
        maxStart,
        minDuration: duration('query.durationMin', 'query.duration_min'),
        maxDuration: duration('query.durationMax', 'query.duration_max'),
        attributes,
        includeLogs: false,
      },
      limit: depthText === '' ? 100 : Number(depthText),
    };
  }

  private v3FindTraces(request: RecordedRequest, response: ServerResponse): void {
    const { filter, limit } = this.v3Filter(request);
    const found = newestTraces(this.otlp.values(), filter, limit);
    if (found.length === 0) return this.v3Error(response, 404, 'No traces found');
    const resourceSpans = found.flatMap((trace) => trace.doc.resourceSpans);
    sendJson(response, 200, { result: this.encodeTrace({ resourceSpans }) });
  }

  private v3Summaries(request: RecordedRequest, response: ServerResponse): void {
    const { filter, limit } = this.v3Filter(request);
    const summaries = newestTraces(this.otlp.values(), filter, limit).map((trace) => summaryOf(trace.spans));
    sendJson(response, 200, summaries.length === 0 ? {} : { summaries });
  }

  // ---- internal v1 API ----------------------------------------------------------------------------------

  private envelope(response: ServerResponse, data: unknown, total = 0): void {
    sendJson(response, 200, { data, total, limit: 0, offset: 0, errors: null });
  }

  private v1Error(response: ServerResponse, status: number, message: string, traceId?: string): void {
    const error: Record<string, unknown> = { code: status, msg: message };
    if (traceId !== undefined) error.traceID = traceId;
    sendGoError(response, status, JSON.stringify({ data: null, total: 0, limit: 0, offset: 0, errors: [error] }));
  }

  private v1Services(): string[] {
    return [...new Set([...this.v1.values()].flatMap((trace) => trace.spans.map((span) => span.service)))].sort();
  }

  private v1Api(path: string, request: RecordedRequest, response: ServerResponse): void {
    const traceById = /^\/api\/traces\/([^/]+)$/.exec(path);
    if (traceById !== null) return this.v1GetTrace(decodeURIComponent(traceById[1]), response);
    if (!this.v1Search) return sendGoError(response, 404, NOT_FOUND_PAGE);
    if (path === '/api/services') {
      const services = this.v1Services();
      return this.envelope(response, services, services.length);
    }
    const legacyOperations = /^\/api\/services\/([^/]+)\/operations$/.exec(path);
    if (legacyOperations !== null) {
      const service = decodeURIComponent(legacyOperations[1]);
      const names = [...new Set(this.v1SpansOf(service).map((span) => span.name))];
      return this.envelope(response, names.length === 0 ? null : names, names.length);
    }
    if (path === '/api/operations') {
      const service = request.query.get('service') ?? '';
      if (service === '') return this.v1Error(response, 400, "parameter 'service' is required");
      const kind = request.query.get('spanKind') ?? '';
      const seen = new Map<string, { name: string; spanKind: string }>();
      for (const span of this.v1SpansOf(service)) {
        const spanKind = span.kind === 'unspecified' ? '' : span.kind;
        if (kind !== '' && spanKind !== kind) continue;
        seen.set(`${span.name}\u0000${spanKind}`, { name: span.name, spanKind });
      }
      return this.envelope(response, [...seen.values()], seen.size);
    }
    if (path === '/api/traces') return this.v1FindTraces(request, response);
    return sendGoError(response, 404, NOT_FOUND_PAGE);
  }

  private v1SpansOf(service: string): IndexedSpan[] {
    return [...this.v1.values()].flatMap((trace) => trace.spans.filter((span) => span.service === service));
  }

  private v1GetTrace(rawId: string, response: ServerResponse): void {
    if (!/^[0-9a-fA-F]{1,32}$/.test(rawId)) {
      return this.v1Error(response, 400, `strconv.ParseUint: parsing "${rawId}": invalid syntax`);
    }
    const trace = this.v1.get(rawId.toLowerCase().padStart(32, '0'));
    if (trace === undefined) return this.v1Error(response, 404, 'trace not found');
    this.envelope(response, [trace.doc]);
  }

  private v1FindTraces(request: RecordedRequest, response: ServerResponse): void {
    const query = request.query;
    const service = query.get('service') ?? '';
    if (service === '') return this.v1Error(response, 400, "parameter 'service' is required");
    const micros = (name: string, fallback: bigint): bigint | Error => {
      const text = query.get(name);
      if (text === null || text === '') return fallback;
      if (!/^-?\d+$/.test(text)) return new Error(`unable to parse param '${name}': strconv.ParseInt: parsing "${text}": invalid syntax`);
      return BigInt(text) * 1000n;
    };
    const nowNano = BigInt(Date.now()) * 1_000_000n;
    const start = micros('start', nowNano - 48n * 3600n * 1_000_000_000n);
    const end = micros('end', nowNano);
    if (start instanceof Error) return this.v1Error(response, 400, start.message);
    if (end instanceof Error) return this.v1Error(response, 400, end.message);
    const durations: (bigint | undefined)[] = [];
    for (const name of ['minDuration', 'maxDuration']) {
      const text = query.get(name);
      if (text === null || text === '') {
        durations.push(undefined);
        continue;
      }
      try {
        durations.push(parseGoDuration(text));
      } catch (error) {
        return this.v1Error(response, 400, `unable to parse param '${name}': ${(error as Error).message}`);
      }
    }
    if (durations[0] !== undefined && durations[1] !== undefined && durations[1] < durations[0]) {
      return this.v1Error(response, 400, "'maxDuration' should be greater than 'minDuration'");
    }
    const attributes: Record<string, string> = {};
    for (const tags of query.getAll('tags')) {
      try {
        Object.assign(attributes, JSON.parse(tags));
      } catch (error) {
        return this.v1Error(response, 400, `malformed 'tags' parameter: ${(error as Error).message}`);
      }
    }
    for (const tag of query.getAll('tag')) {
      const colon = tag.indexOf(':');
      if (colon === -1) return this.v1Error(response, 400, "malformed 'tag' parameter, expecting key:value");
      attributes[tag.slice(0, colon)] = tag.slice(colon + 1);
    }
    const limitText = query.get('limit') ?? '';
    const limit = limitText === '' ? 100 : Number(limitText);
    const filter: SpanFilter = {
      service,
      operation: query.get('operation') ?? '',
      minStart: start,
      maxStart: end,
      minDuration: durations[0],
      maxDuration: durations[1],
      attributes,
      includeLogs: true,
    };
    this.envelope(response, newestTraces(this.v1.values(), filter, limit).map((trace) => trace.doc));
  }
}

/** A TraceSummary as jsonpb writes it: fixed64 as strings, zero counts omitted. */
function summaryOf(spans: readonly IndexedSpan[]): Record<string, unknown> {
  const root = rootOf(spans);
  const { start, end } = traceBounds(spans);
  const services = new Map<string, { name: string; spanCount: number; errorSpanCount?: number }>();
  let errors = 0;
  for (const span of spans) {
    const entry = services.get(span.service) ?? { name: span.service, spanCount: 0 };
    entry.spanCount++;
    if (span.isError) {
      errors++;
      entry.errorSpanCount = (entry.errorSpanCount ?? 0) + 1;
    }
    services.set(span.service, entry);
  }
  const summary: Record<string, unknown> = {
    traceId: spans[0].traceId,
    rootServiceName: root?.service,
    rootOperationName: root?.name,
    minStartTimeUnixNano: String(start),
    maxEndTimeUnixNano: String(end),
    spanCount: spans.length,
  };
  if (errors > 0) summary.errorSpanCount = errors;
  summary.services = [...services.values()];
  return summary;
}
