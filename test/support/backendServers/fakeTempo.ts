// A Grafana Tempo query frontend on a random port speaking fixtures/API.md §3: trace by ID in the gogo
// jsonpb spelling (base64 IDs, enum names; v1 `batches`, v2 `trace`), TraceQL search with Tempo's
// response fields, tag names/values (v1 and v2), TraceQL metrics query_range, plain-text errors,
// X-Scope-OrgID multi-tenancy ("no org id"). `version: 'legacy'` drops the /api/v2 routes and metrics,
// like Tempo releases before them.

import type { ServerResponse } from 'node:http';
import { exampleOtlpTrace, hotrodTraces } from './fixtureData';
import { parseGoDuration } from './goDuration';
import { send, sendJson, startRecordingServer } from './recordingServer';
import type { RecordedRequest, RecordingServer, RecordingServerOptions } from './recordingServer';
import { groupByTrace, otlpForTrace, rootOf, spansFromOtlp, toGogoJsonpb, traceBounds } from './spanIndex';
import type { IndexedSpan, Scalar } from './spanIndex';
import { operandLabel, operandValue, parseTraceQL, spanMatches, TraceQLError } from './traceQLSubset';
import type { Operand, ParsedTraceQL, TraceContext } from './traceQLSubset';

export interface FakeTempoOptions extends RecordingServerOptions {
  /** OTLP TracesData documents with hex IDs; default: two HotROD captures and a 3-service example. */
  readonly traces?: readonly unknown[];
  /** Multi-tenancy on: X-Scope-OrgID is required and the data belongs to this tenant. */
  readonly tenant?: string;
  readonly version?: 'current' | 'legacy';
  /** An authenticating reverse proxy in front: this exact Authorization value or 401. */
  readonly requireAuthorization?: string;
}

interface StoredTrace {
  readonly traceId: string;
  readonly spans: IndexedSpan[];
  readonly doc: { resourceSpans: unknown[] };
  readonly context: TraceContext;
}

const TEXT = 'text/plain; charset=utf-8';
const MAX_SEARCH_SECONDS = 168 * 3600;
const INTRINSIC_TAGS = ['duration', 'event:name', 'kind', 'name', 'rootName', 'rootServiceName', 'status', 'statusMessage', 'traceDuration'];

function badRequest(response: ServerResponse, message: string): void {
  send(response, 400, message, TEXT);
}

export async function startFakeTempo(options: FakeTempoOptions = {}): Promise<RecordingServer> {
  const traces = new Map<string, StoredTrace>();
  for (const doc of options.traces ?? [...hotrodTraces(), exampleOtlpTrace()]) {
    for (const [traceId, spans] of groupByTrace(spansFromOtlp(doc))) {
      const { start, end } = traceBounds(spans);
      traces.set(traceId, { traceId, spans, doc: otlpForTrace(doc, traceId), context: { root: rootOf(spans), durationNano: end - start } });
    }
  }
  const legacy = options.version === 'legacy';

  return startRecordingServer((request, response) => {
    if (options.requireAuthorization !== undefined && request.headers.authorization !== options.requireAuthorization) {
      send(response, 401, 'Unauthorized', TEXT, { 'www-authenticate': 'Basic realm="tempo"' });
      return;
    }
    let visible = traces;
    if (options.tenant !== undefined) {
      const orgId = request.headers['x-scope-orgid'];
      if (orgId === undefined || orgId === '') return send(response, 401, 'no org id\n', TEXT);
      // Unknown tenants simply have no data; `a|b` queries several.
      if (!String(orgId).split('|').includes(options.tenant)) visible = new Map();
    }
    const { path } = request;
    if (path === '/api/echo') return send(response, 200, 'echo', TEXT);
    if (path === '/api/status/buildinfo') {
      return sendJson(response, 200, { version: legacy ? '2.1.1' : '3.0.2', revision: 'fake', branch: 'HEAD', buildDate: '', buildUser: '', goVersion: 'go1.24' });
    }
    const v1Trace = /^\/api\/traces\/([^/]+)$/.exec(path);
    if (v1Trace !== null) return getTrace(decodeURIComponent(v1Trace[1]), 'v1', request, response, visible);
    const v2Trace = /^\/api\/v2\/traces\/([^/]+)$/.exec(path);
    if (v2Trace !== null && !legacy) return getTrace(decodeURIComponent(v2Trace[1]), 'v2', request, response, visible);
    if (path === '/api/search') return search(request, response, visible);
    if (path === '/api/search/tags') return tagNames(request, response, visible, 'v1');
    if (path === '/api/v2/search/tags' && !legacy) return tagNames(request, response, visible, 'v2');
    const v1Values = /^\/api\/search\/tag\/([^/]+)\/values$/.exec(path);
    if (v1Values !== null) return tagValuesV1(decodeURIComponent(v1Values[1]), response, visible);
    const v2Values = /^\/api\/v2\/search\/tag\/([^/]+)\/values$/.exec(path);
    if (v2Values !== null && !legacy) return tagValuesV2(decodeURIComponent(v2Values[1]), request, response, visible);
    if (path === '/api/metrics/query_range' && !legacy) return queryRange(request, response, visible);
    send(response, 404, '404 page not found\n', TEXT);
  }, options);
}

/** pkg/util/traceid.go hexStringToID: ≤ 32 hex digits, any case, left-padded. */
function parseTraceId(raw: string): string | undefined {
  return /^[0-9a-fA-F]{1,32}$/.test(raw) ? raw.toLowerCase().padStart(32, '0') : undefined;
}

/** Unix seconds as uint32 (ParseSearchRequest) or undefined when absent; an Error when malformed. */
function unixSeconds(query: URLSearchParams, name: string): number | undefined | Error {
  const text = query.get(name);
  if (text === null || text === '') return undefined;
  if (!/^\d{1,10}$/.test(text) || Number(text) > 0xffffffff) return new Error(`invalid ${name}: strconv.ParseUint: parsing "${text}": invalid syntax`);
  return Number(text);
}

function inWindow(spans: readonly IndexedSpan[], start: number | undefined, end: number | undefined): boolean {
  if (start === undefined || end === undefined) return true;
  const { start: first, end: last } = traceBounds(spans);
  return last >= BigInt(start) * 1_000_000_000n && first <= BigInt(end) * 1_000_000_000n;
}

function getTrace(raw: string, version: 'v1' | 'v2', request: RecordedRequest, response: ServerResponse, traces: Map<string, StoredTrace>): void {
  const traceId = parseTraceId(raw);
  if (traceId === undefined) return badRequest(response, `invalid trace id: ${raw}`);
  const start = unixSeconds(request.query, 'start');
  const end = unixSeconds(request.query, 'end');
  if (start instanceof Error) return badRequest(response, start.message);
  if (end instanceof Error) return badRequest(response, end.message);
  const trace = traces.get(traceId);
  // Not found is 404 with an empty body (combiner/trace_by_id.go).
  if (trace === undefined || !inWindow(trace.spans, start, end)) return send(response, 404, '', TEXT);
  const encoded = toGogoJsonpb(trace.doc, 'omit') as { resourceSpans: unknown[] };
  if (version === 'v1') return sendJson(response, 200, { batches: encoded.resourceSpans });
  sendJson(response, 200, { trace: encoded, metrics: { inspectedBytes: '4096', completedJobs: 1, totalJobs: 1 } });
}

function parseQuery(text: string, response: ServerResponse): ParsedTraceQL | undefined {
  try {
    return parseTraceQL(text);
  } catch (error) {
    if (error instanceof TraceQLError || error instanceof Error) badRequest(response, `invalid TraceQL query: ${error.message}`);
    return undefined;
  }
}

function scalarKeyValue(key: string, value: Scalar | bigint): Record<string, unknown> {
  if (typeof value === 'string') return { key, value: { stringValue: value } };
  if (typeof value === 'boolean') return { key, value: { boolValue: value } };
  if (typeof value === 'bigint' || Number.isInteger(value)) return { key, value: { intValue: String(value) } };
  return { key, value: { doubleValue: value } };
}

function search(request: RecordedRequest, response: ServerResponse, traces: Map<string, StoredTrace>): void {
  const { query } = request;
  const q = query.get('q');
  const tags = query.get('tags');
  if (q !== null && tags !== null) return badRequest(response, "invalid request: can't specify tags and q in the same query");
  const start = unixSeconds(query, 'start');
  const end = unixSeconds(query, 'end');
  if (start instanceof Error) return badRequest(response, start.message);
  if (end instanceof Error) return badRequest(response, end.message);
  if (start !== undefined && end !== undefined) {
    if (end <= start) return badRequest(response, `http parameter start must be before end. received start=${start} end=${end}`);
    if (end - start > MAX_SEARCH_SECONDS) {
      return badRequest(response, `range specified by start and end exceeds 168h0m0s. received start=${start} end=${end}`);
    }
  }
  const limitText = query.get('limit');
  if (limitText !== null && (!/^\d+$/.test(limitText) || Number(limitText) === 0)) return badRequest(response, 'invalid limit: must be a positive number');
  const limit = limitText === null ? 20 : Number(limitText);
  const spssText = query.get('spss');
  if (spssText !== null && (!/^\d+$/.test(spssText) || Number(spssText) === 0)) return badRequest(response, 'invalid spss: must be a positive number');
  const spss = spssText === null ? 3 : Math.min(100, Number(spssText));
  const durations: (bigint | undefined)[] = [];
  for (const name of ['minDuration', 'maxDuration']) {
    const text = query.get(name);
    try {
      // Whole milliseconds (MinDurationMs), like the real frontend.
      durations.push(text === null || text === '' ? undefined : (parseGoDuration(text) / 1_000_000n) * 1_000_000n);
    } catch (error) {
      return badRequest(response, `invalid ${name}: ${(error as Error).message}`);
    }
  }
  const parsed = parseQuery(q ?? '{}', response);
  if (parsed === undefined) return;
  if (parsed.metrics !== undefined) return badRequest(response, 'invalid TraceQL query: metrics queries are served by /api/metrics/query_range');

  const results: Record<string, unknown>[] = [];
  let inspectedSpans = 0;
  const ordered = [...traces.values()].sort((a, b) => Number(traceBounds(b.spans).start - traceBounds(a.spans).start));
  for (const trace of ordered) {
    inspectedSpans += trace.spans.length;
    if (!inWindow(trace.spans, start, end)) continue;
    const { durationNano } = trace.context;
    if (durations[0] !== undefined && durationNano < durations[0]) continue;
    if (durations[1] !== undefined && durationNano > durations[1]) continue;
    const matched = trace.spans.filter((span) => spanMatches(parsed.filter, span, trace.context));
    if (matched.length === 0) continue;
    results.push(searchResult(trace, matched, [...parsed.mentioned, ...parsed.selects], spss));
    if (results.length >= limit) break;
  }
  sendJson(response, 200, {
    traces: results,
    metrics: { inspectedTraces: traces.size, inspectedBytes: String(inspectedSpans * 400), totalBlocks: 1, completedJobs: 1, totalJobs: 1, inspectedSpans: String(inspectedSpans) },
  });
}

function searchResult(trace: StoredTrace, matched: readonly IndexedSpan[], shown: readonly Operand[], spss: number): Record<string, unknown> {
  const { root } = trace.context;
  const { start, end } = traceBounds(trace.spans);
  const spans = matched.slice(0, spss).map((span) => {
    const attributes = shown.flatMap((operand) => {
      if (operand.kind !== 'attribute') return [];
      const value = operandValue(operand, span, trace.context);
      return value === undefined || value === null ? [] : [scalarKeyValue(operand.name, value)];
    });
    const entry: Record<string, unknown> = {
      spanID: span.spanId,
      name: span.name,
      startTimeUnixNano: String(span.startUnixNano),
      durationNanos: String(span.durationNano),
    };
    if (attributes.length > 0) entry.attributes = attributes;
    return entry;
  });
  const spanSet = { spans, matched: matched.length };
  const serviceStats: Record<string, { spanCount: number; errorCount?: number }> = {};
  for (const span of trace.spans) {
    const stats = (serviceStats[span.service] ??= { spanCount: 0 });
    stats.spanCount++;
    if (span.isError) stats.errorCount = (stats.errorCount ?? 0) + 1;
  }
  const result: Record<string, unknown> = {
    // TraceIDToHexString trims leading zeros.
    traceID: trace.traceId.replace(/^0+(?=.)/, ''),
    rootServiceName: root?.service ?? '<root span not yet received>',
    rootTraceName: root?.name ?? '<root span not yet received>',
    startTimeUnixNano: String(start),
  };
  const durationMs = Number((end - start) / 1_000_000n);
  if (durationMs > 0) result.durationMs = durationMs;
  result.spanSet = spanSet;
  result.spanSets = [spanSet];
  result.serviceStats = serviceStats;
  return result;
}

const SCOPES = ['resource', 'span', 'intrinsic', 'event', 'link', 'instrumentation'];

function tagNames(request: RecordedRequest, response: ServerResponse, traces: Map<string, StoredTrace>, version: 'v1' | 'v2'): void {
  const scope = request.query.get('scope') ?? '';
  if (scope !== '' && scope !== 'all' && !SCOPES.includes(scope)) return badRequest(response, `invalid scope: ${scope}`);
  const spans = [...traces.values()].flatMap((trace) => trace.spans);
  const resource = [...new Set(spans.flatMap((span) => ['service.name', ...span.resourceAttributes.keys()]))].sort();
  const span = [...new Set(spans.flatMap((item) => [...item.attributes.keys()]))].sort();
  const byScope: Record<string, string[]> = { resource, span, intrinsic: INTRINSIC_TAGS, event: [], link: [], instrumentation: [] };
  const wanted = scope === '' || scope === 'all' ? ['resource', 'span', 'intrinsic'] : [scope];
  const metrics = { inspectedBytes: '1024', totalJobs: 1, completedJobs: 1 };
  if (version === 'v1') {
    const names = [...new Set(wanted.filter((item) => item !== 'intrinsic' || scope === 'intrinsic').flatMap((item) => byScope[item]))];
    return sendJson(response, 200, { tagNames: names, metrics });
  }
  sendJson(response, 200, { scopes: wanted.map((name) => ({ name, tags: byScope[name] })), metrics });
}

function tagValuesV1(tag: string, response: ServerResponse, traces: Map<string, StoredTrace>): void {
  const values = new Set<string>();
  for (const trace of traces.values()) {
    for (const span of trace.spans) {
      const value = tag === 'service.name' ? span.service : (span.attributes.get(tag) ?? span.resourceAttributes.get(tag));
      if (value !== undefined) values.add(String(value));
    }
  }
  sendJson(response, 200, { tagValues: [...values].sort(), metrics: { inspectedBytes: '1024' } });
}

function typeOf(value: Scalar | bigint): string {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'bigint') return 'duration';
  return Number.isInteger(value) ? 'int' : 'float';
}

function tagValuesV2(identifier: string, request: RecordedRequest, response: ServerResponse, traces: Map<string, StoredTrace>): void {
  let operand: Operand;
  try {
    const parsed = parseTraceQL(`{ ${identifier} != nil }`);
    if (parsed.filter.kind !== 'compare') throw new TraceQLError('not an identifier');
    operand = parsed.filter.left;
  } catch {
    return badRequest(response, `invalid tag: ${identifier}`);
  }
  const filterText = request.query.get('q');
  const filter = filterText === null || filterText === '' ? undefined : parseQuery(filterText, response);
  if (filterText !== null && filterText !== '' && filter === undefined) return;
  const values = new Map<string, string>();
  for (const trace of traces.values()) {
    for (const span of trace.spans) {
      if (filter !== undefined && !spanMatches(filter.filter, span, trace.context)) continue;
      const value = operandValue(operand, span, trace.context);
      if (value === undefined || value === null) continue;
      const type = operand.kind === 'intrinsic' && (operand.name === 'status' || operand.name === 'kind') ? 'keyword' : typeOf(value);
      values.set(`${type}\u0000${String(value)}`, type);
    }
  }
  const tagValues = [...values].map(([key, type]) => ({ type, value: key.slice(type.length + 1) })).sort((a, b) => a.value.localeCompare(b.value));
  sendJson(response, 200, { tagValues, metrics: { inspectedBytes: '1024' } });
}

/** `parseTimestamp`: seconds (≤ 10 digits), nanoseconds (more), fractional seconds, or RFC 3339; as ns. */
function metricsTime(text: string): bigint | undefined {
  if (/^\d{1,10}$/.test(text)) return BigInt(text) * 1_000_000_000n;
  if (/^\d{11,}$/.test(text)) return BigInt(text);
  if (/^\d+\.\d+$/.test(text)) return BigInt(Math.round(Number(text) * 1e9));
  const millis = Date.parse(text);
  return Number.isNaN(millis) ? undefined : BigInt(millis) * 1_000_000n;
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index];
}

function queryRange(request: RecordedRequest, response: ServerResponse, traces: Map<string, StoredTrace>): void {
  const { query } = request;
  const q = query.get('q') ?? query.get('query') ?? '';
  const nowNano = BigInt(Date.now()) * 1_000_000n;
  const endText = query.get('end');
  const startText = query.get('start');
  const end = endText === null ? nowNano : metricsTime(endText);
  const start = startText === null ? (end ?? nowNano) - 3_600_000_000_000n : metricsTime(startText);
  if (end === undefined) return badRequest(response, `invalid end: ${endText}`);
  if (start === undefined) return badRequest(response, `invalid start: ${startText}`);
  if (end <= start) return badRequest(response, `http parameter start must be before end. received start=${start} end=${end}`);
  const stepText = query.get('step');
  let step: bigint;
  try {
    step = stepText === null ? (end - start) / 100n : /^\d+$/.test(stepText) ? BigInt(stepText) * 1_000_000_000n : parseGoDuration(stepText);
  } catch (error) {
    return badRequest(response, `invalid step: ${(error as Error).message}`);
  }
  if (step <= 0n) return badRequest(response, 'zero or negative query resolution step widths are not accepted. Try a positive integer');
  const parsed = parseQuery(q, response);
  if (parsed === undefined) return;
  const metrics = parsed.metrics;
  if (metrics === undefined) return badRequest(response, 'invalid TraceQL query: a metrics query needs a metrics function such as rate()');

  // series key → bucket index → durations in seconds
  const series = new Map<string, { labels: Record<string, unknown>[]; buckets: Map<number, number[]> }>();
  for (const trace of traces.values()) {
    for (const span of trace.spans) {
      if (span.startUnixNano < start || span.startUnixNano >= end) continue;
      if (!spanMatches(parsed.filter, span, trace.context)) continue;
      const labels: Record<string, unknown>[] = [];
      let complete = true;
      for (const operand of metrics.by) {
        const value = operandValue(operand, span, trace.context);
        if (value === undefined || value === null) complete = false;
        else labels.push(scalarKeyValue(operandLabel(operand), value));
      }
      if (!complete) continue;
      const key = JSON.stringify(labels);
      const entry = series.get(key) ?? { labels, buckets: new Map<number, number[]>() };
      const bucket = Number((span.startUnixNano - start) / step);
      const values = entry.buckets.get(bucket) ?? [];
      values.push(Number(span.durationNano) / 1e9);
      entry.buckets.set(bucket, values);
      series.set(key, entry);
    }
  }
  const stepSeconds = Number(step) / 1e9;
  const out: Record<string, unknown>[] = [];
  const quantiles = metrics.name === 'quantile_over_time' ? metrics.quantiles : [undefined];
  for (const { labels, buckets } of series.values()) {
    for (const q of quantiles) {
      const samples = [...buckets.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([bucket, values]) => {
          const sorted = [...values].sort((a, b) => a - b);
          const sum = sorted.reduce((total, value) => total + value, 0);
          const value =
            metrics.name === 'count_over_time'
              ? sorted.length
              : metrics.name === 'rate'
                ? sorted.length / stepSeconds
                : metrics.name === 'quantile_over_time'
                  ? quantile(sorted, q ?? 0)
                  : metrics.name === 'avg_over_time'
                    ? sum / sorted.length
                    : metrics.name === 'min_over_time'
                      ? sorted[0]
                      : metrics.name === 'max_over_time'
                        ? sorted[sorted.length - 1]
                        : sum;
          return { timestampMs: String((start + BigInt(bucket) * step) / 1_000_000n), value };
        });
      const seriesLabels = q === undefined ? labels : [...labels, { key: 'p', value: { doubleValue: q } }];
      out.push({ labels: seriesLabels, samples });
    }
  }
  sendJson(response, 200, { series: out, metrics: { inspectedBytes: '2048', totalJobs: 1, completedJobs: 1 } });
}
