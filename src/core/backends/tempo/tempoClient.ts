// Grafana Tempo: trace by ID (v2, falling back to v1), TraceQL search, tag names and values for
// completion, TraceQL metrics. Paths, parameters and units per fixtures/API.md §3.

import { BackendError } from '../backendError';
import { millisToUnixNanos, millisToUnixSeconds } from '../durations';
import type { HttpClient, HttpResponse } from '../http/httpClient';
import { resolveAttributes, resolveDurations, resolveLimit, resolveSearchWindow } from '../traceQueryParts';
import type {
  BackendCapabilities,
  FetchedTrace,
  GetTraceOptions,
  MetricsQueryResult,
  MetricsRange,
  Operation,
  RequestOptions,
  TagName,
  TagValue,
  TagValuesOptions,
  TraceBackend,
  TraceQuery,
  TraceSearchResult,
} from '../traceBackend';
import { fetchedTraceFrom, traceNotFound } from '../traceDocument';
import { requireTraceId } from '../traceIdArgument';
import { newestFirst } from '../traceSummary';
import { mapQueryRange, mapSearchResponse, mapTagNamesV1, mapTagNamesV2, mapTagValues, TempoShapeError } from './tempoResponses';
import { buildTraceQLFilter, TEMPO_TAG_SCOPES, traceQLString, traceQLTagIdentifier } from './traceQL';

const CAPABILITIES: BackendCapabilities = {
  traceQL: true,
  attributeSearch: true,
  operations: true,
  tagCompletion: true,
  metricsQuery: true,
  searchNeedsService: false,
};

export class TempoClient implements TraceBackend {
  readonly type = 'tempo';
  readonly capabilities = CAPABILITIES;
  readonly displayName: string;
  /** Undefined until a lookup shows whether /api/v2/traces exists. */
  private traceV2: boolean | undefined;
  private tagsV2: boolean | undefined;

  constructor(
    private readonly http: HttpClient,
    private readonly now: () => number = Date.now,
  ) {
    this.displayName = http.target;
  }

  async getTrace(traceId: string, options: GetTraceOptions = {}): Promise<FetchedTrace> {
    const id = requireTraceId(traceId);
    const query = {
      start: options.startUnixMillis === undefined ? undefined : millisToUnixSeconds(options.startUnixMillis, 'floor'),
      end: options.endUnixMillis === undefined ? undefined : millisToUnixSeconds(options.endUnixMillis, 'ceil'),
    };
    const request = { query, signal: options.signal, subject: `Trace ${id}` };
    if (this.traceV2 !== false) {
      const response = await this.http.get(`/api/v2/traces/${id}`, request);
      if (response.status === 200) {
        this.traceV2 = true;
        return this.readTrace(response, id);
      }
      if (response.status !== 404) throw this.fail(response);
      // 404 is both "no such trace" and "no v2 endpoint" (Tempo < 2.5); v1 tells them apart.
      if (this.traceV2 === true) throw traceNotFound(id, this.http.target);
    }
    const response = await this.http.get(`/api/traces/${id}`, request);
    if (response.status === 404) throw traceNotFound(id, this.http.target);
    if (response.status !== 200) throw this.fail(response);
    // v1 answered, so the earlier 404 was v2 missing.
    this.traceV2 = false;
    return this.readTrace(response, id);
  }

  async searchTraces(query: TraceQuery, options: RequestOptions = {}): Promise<TraceSearchResult> {
    const window = resolveSearchWindow(query, this.now());
    const limit = resolveLimit(query);
    const durations = resolveDurations(query);
    const attributes = resolveAttributes(query);
    const warnings: string[] = [];
    let q: string;
    if (query.traceQL !== undefined && query.traceQL.trim() !== '') {
      q = query.traceQL.trim();
      const ignored = [
        query.service ? 'service' : '',
        query.operation ? 'operation' : '',
        durations.min !== undefined || durations.max !== undefined ? 'duration' : '',
        attributes.length > 0 ? 'attribute' : '',
      ].filter((item) => item !== '');
      if (ignored.length > 0) warnings.push(`The TraceQL query was used as written; the ${ignored.join(', ')} filters were not applied`);
    } else {
      q = buildTraceQLFilter({
        service: query.service,
        operation: query.operation,
        minDurationNano: durations.min,
        maxDurationNano: durations.max,
        attributes,
      });
    }
    const spss = query.spansPerSpanSet;
    if (spss !== undefined && (!Number.isSafeInteger(spss) || spss <= 0)) {
      throw new BackendError('invalidInput', 'Spans per span set must be a positive whole number');
    }
    const response = await this.http.get('/api/search', {
      query: {
        q,
        start: millisToUnixSeconds(window.startUnixMillis, 'floor'),
        end: millisToUnixSeconds(window.endUnixMillis, 'ceil'),
        limit,
        spss,
      },
      signal: options.signal,
    });
    if (response.status !== 200) throw this.fail(response);
    const summaries = this.mapShape(response, () => mapSearchResponse(this.http.json(response), warnings));
    // Tempo returns the first traces it finds, in no particular order.
    return { summaries: newestFirst(summaries), warnings };
  }

  async listServices(options: RequestOptions = {}): Promise<readonly string[]> {
    const values = await this.tagValuesOf({ scope: 'resource', name: 'service.name' }, undefined, options.signal);
    return values.map((item) => item.value).sort();
  }

  async listOperations(service: string, options: RequestOptions = {}): Promise<readonly Operation[]> {
    const filter = `{ resource.service.name = ${traceQLString(service)} }`;
    const response = await this.http.get('/api/v2/search/tag/name/values', { query: { q: filter }, signal: options.signal });
    if (response.status === 404) {
      throw new BackendError('unsupported', `${this.http.target} cannot list span names: it has no /api/v2 tag API (newer Tempo versions have)`, 404);
    }
    if (response.status !== 200) throw this.fail(response);
    const values = this.mapShape(response, () => mapTagValues(this.http.json(response)));
    return values.map((item) => ({ name: item.value, spanKind: undefined })).sort((a, b) => a.name.localeCompare(b.name));
  }

  async tagNames(scope?: string, options: RequestOptions = {}): Promise<readonly TagName[]> {
    if (scope !== undefined && !TEMPO_TAG_SCOPES.includes(scope)) {
      throw new BackendError('invalidInput', `Unknown tag scope "${scope}"; Tempo knows ${TEMPO_TAG_SCOPES.join(', ')}`);
    }
    if (this.tagsV2 !== false) {
      const response = await this.http.get('/api/v2/search/tags', { query: { scope }, signal: options.signal });
      if (response.status === 200) {
        this.tagsV2 = true;
        return this.mapShape(response, () => mapTagNamesV2(this.http.json(response)));
      }
      if (response.status !== 404) throw this.fail(response);
      this.tagsV2 = false;
    }
    const response = await this.http.get('/api/search/tags', { query: { scope }, signal: options.signal });
    if (response.status !== 200) throw this.fail(response);
    return this.mapShape(response, () => mapTagNamesV1(this.http.json(response), scope));
  }

  /** Values of a tag: a TraceQL identifier (`resource.service.name`, `span.http.method`, `.foo`, `name`) or a bare attribute name. */
  async tagValues(tag: string, options: TagValuesOptions = {}): Promise<readonly TagValue[]> {
    return this.tagValuesOf(parseTagIdentifier(tag), options.filterTraceQL, options.signal);
  }

  async queryRange(query: string, range: MetricsRange, options: RequestOptions = {}): Promise<MetricsQueryResult> {
    if (query.trim() === '') throw new BackendError('invalidInput', 'Enter a TraceQL metrics query');
    if (!(range.startUnixMillis < range.endUnixMillis)) {
      throw new BackendError('invalidInput', 'The metrics range must start before it ends');
    }
    const step = range.stepMillis;
    if (step !== undefined && (!Number.isFinite(step) || step <= 0)) {
      throw new BackendError('invalidInput', 'The metrics step must be positive');
    }
    const response = await this.http.get('/api/metrics/query_range', {
      query: {
        q: query,
        // More than 10 digits reads as nanoseconds (`ParseQueryRangeRequest`), exact at any precision.
        start: millisToUnixNanos(range.startUnixMillis),
        end: millisToUnixNanos(range.endUnixMillis),
        step: step === undefined ? undefined : step % 1000 === 0 ? `${step / 1000}s` : `${Math.round(step)}ms`,
      },
      signal: options.signal,
    });
    if (response.status === 404) {
      throw new BackendError('unsupported', `${this.http.target} has no TraceQL metrics API (/api/metrics/query_range); newer Tempo versions have`, 404);
    }
    if (response.status !== 200) throw this.fail(response);
    return this.mapShape(response, () => mapQueryRange(this.http.json(response)));
  }

  async dispose(): Promise<void> {
    await this.http.dispose();
  }

  private async tagValuesOf(tag: TagName, filter: string | undefined, signal: AbortSignal | undefined): Promise<TagValue[]> {
    if (this.tagsV2 !== false) {
      const identifier = traceQLTagIdentifier(tag);
      const response = await this.http.get(`/api/v2/search/tag/${encodeURIComponent(identifier)}/values`, { query: { q: filter }, signal });
      if (response.status === 200) {
        this.tagsV2 = true;
        return this.mapShape(response, () => mapTagValues(this.http.json(response)));
      }
      if (response.status !== 404) throw this.fail(response);
      this.tagsV2 = false;
    }
    // v1 knows bare attribute names only, and no filter.
    const response = await this.http.get(`/api/search/tag/${encodeURIComponent(tag.name)}/values`, { signal });
    if (response.status !== 200) throw this.fail(response);
    return this.mapShape(response, () => mapTagValues(this.http.json(response)));
  }

  private readTrace(response: HttpResponse, traceId: string): FetchedTrace {
    return fetchedTraceFrom(this.http, response, this.http.json(response), traceId);
  }

  private mapShape<T>(response: HttpResponse, map: () => T): T {
    try {
      return map();
    } catch (error) {
      if (error instanceof TempoShapeError) throw this.http.malformed(response, error.message);
      throw error;
    }
  }

  private fail(response: HttpResponse): BackendError {
    const body = this.http.text(response).trim();
    if (response.status === 401 && /no org id/i.test(body)) return this.http.statusError(response, 'set a tenant for this backend');
    if (response.status === 401 || response.status === 403) {
      if (/tenant|org ?id/i.test(body)) return this.http.statusError(response, 'check the tenant set for this backend');
    }
    return this.http.statusError(response);
  }
}

const SCOPED = /^(resource|span|event|link|instrumentation)\.(.+)$/;

const INTRINSICS: ReadonlySet<string> = new Set([
  'name',
  'status',
  'statusMessage',
  'kind',
  'duration',
  'rootName',
  'rootServiceName',
  'traceDuration',
  'event:name',
  'link:traceID',
  'link:spanID',
  'instrumentation:name',
  'instrumentation:version',
]);

/** Reads `resource.x`, `span.x`, `.x`, `span:name`, `name`, or a bare attribute name. */
function parseTagIdentifier(tag: string): TagName {
  const text = tag.trim();
  if (text === '') throw new BackendError('invalidInput', 'Enter a tag name');
  if (INTRINSICS.has(text) || /^[a-z]+:[A-Za-z.]+$/.test(text)) return { scope: 'intrinsic', name: text };
  const scoped = SCOPED.exec(text);
  if (scoped !== null) return { scope: scoped[1], name: scoped[2] };
  return { scope: undefined, name: text.startsWith('.') ? text.slice(1) : text };
}
