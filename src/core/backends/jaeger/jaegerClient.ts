// Jaeger: query API v3 (/api/v3, OTLP JSON) where the server has it, the internal v1 API (/api/) where it
// does not. Jaeger's main branch removed v1 search and services (2026); servers before v1.35 lack v3.
// The version is found once per client: a 404 on /api/v3/services means no v3.

import { BackendError } from '../backendError';
import type { HttpClient, HttpResponse } from '../http/httpClient';
import { summariesFromTraces } from '../searchFromTraces';
import { resolveAttributes, resolveDurations, resolveLimit, resolveSearchWindow } from '../traceQueryParts';
import type {
  BackendCapabilities,
  FetchedTrace,
  GetTraceOptions,
  MetricsQueryResult,
  Operation,
  RequestOptions,
  TagName,
  TagValue,
  TraceBackend,
  TraceQuery,
  TraceSearchResult,
} from '../traceBackend';
import { fetchedTraceFrom, parseResponseTraces, traceNotFound } from '../traceDocument';
import { requireTraceId } from '../traceIdArgument';
import { newestFirst } from '../traceSummary';
import { v1SearchParams, v1TraceParams, v3SearchParams, v3TraceParams } from './jaegerQueryParams';
import type { JaegerSearchFields } from './jaegerQueryParams';
import { JaegerShapeError, v1Operations, v1Services, v3Operations, v3Services, v3Summaries } from './jaegerResponses';

export type JaegerApiVersion = 'v3' | 'v1';

const CAPABILITIES: BackendCapabilities = {
  traceQL: false,
  attributeSearch: true,
  operations: true,
  tagCompletion: false,
  metricsQuery: false,
  searchNeedsService: true,
};

export class JaegerClient implements TraceBackend {
  readonly type = 'jaeger';
  readonly capabilities = CAPABILITIES;
  readonly displayName: string;
  private apiVersion: JaegerApiVersion | undefined;
  /** /api/v3/trace-summaries exists from v2.19; undefined until tried. */
  private summaries: boolean | undefined;

  constructor(
    private readonly http: HttpClient,
    private readonly now: () => number = Date.now,
  ) {
    this.displayName = http.target;
  }

  /** Which API the server speaks; found with one request and remembered. */
  async detectApiVersion(options: RequestOptions = {}): Promise<JaegerApiVersion> {
    if (this.apiVersion === undefined) await this.probeServices(options.signal);
    return this.apiVersion ?? 'v1';
  }

  async getTrace(traceId: string, options: GetTraceOptions = {}): Promise<FetchedTrace> {
    const id = requireTraceId(traceId);
    const version = await this.detectApiVersion(options);
    const request = { signal: options.signal, subject: `Trace ${id}` };
    const response =
      version === 'v3'
        ? await this.http.get(`/api/v3/traces/${id}`, { ...request, query: v3TraceParams(options) })
        : await this.http.get(`/api/traces/${id}`, { ...request, query: v1TraceParams(options) });
    // Both APIs answer 404 for an unknown trace ("No traces found" / "trace not found").
    if (response.status === 404) throw traceNotFound(id, this.http.target);
    if (response.status !== 200) throw this.fail(response);
    return fetchedTraceFrom(this.http, response, this.http.json(response), id);
  }

  async searchTraces(query: TraceQuery, options: RequestOptions = {}): Promise<TraceSearchResult> {
    if (query.traceQL !== undefined && query.traceQL.trim() !== '') {
      throw new BackendError('unsupported', `${this.http.target} does not understand TraceQL; search by service, operation and attributes`);
    }
    if (query.service === undefined || query.service.trim() === '') {
      throw new BackendError('invalidInput', 'Jaeger searches need a service: pick one first');
    }
    const durations = resolveDurations(query);
    const fields: JaegerSearchFields = {
      service: query.service,
      operation: query.operation,
      window: resolveSearchWindow(query, this.now()),
      limit: resolveLimit(query),
      minDurationNano: durations.min,
      maxDurationNano: durations.max,
      attributes: resolveAttributes(query),
    };
    const version = await this.detectApiVersion(options);
    return version === 'v3' ? this.searchV3(fields, options.signal) : this.searchV1(fields, options.signal);
  }

  async listServices(options: RequestOptions = {}): Promise<readonly string[]> {
    if (this.apiVersion === undefined) {
      const services = await this.probeServices(options.signal);
      if (services !== undefined) return services;
    }
    if (this.apiVersion === 'v3') {
      const response = await this.http.get('/api/v3/services', { signal: options.signal });
      if (response.status !== 200) throw this.fail(response);
      return this.shape(response, () => v3Services(this.http.json(response))).sort();
    }
    const response = await this.http.get('/api/services', { signal: options.signal });
    if (response.status !== 200) throw this.fail(response);
    return this.shape(response, () => v1Services(this.http.json(response))).sort();
  }

  async listOperations(service: string, options: RequestOptions = {}): Promise<readonly Operation[]> {
    if (service.trim() === '') throw new BackendError('invalidInput', 'Pick a service to list its operations');
    const version = await this.detectApiVersion(options);
    let operations: Operation[];
    if (version === 'v3') {
      const response = await this.http.get('/api/v3/operations', { query: { service }, signal: options.signal });
      if (response.status !== 200) throw this.fail(response);
      operations = this.shape(response, () => v3Operations(this.http.json(response)));
    } else {
      let response = await this.http.get('/api/operations', { query: { service }, signal: options.signal });
      // Servers before v1.13 only have the older per-service route.
      if (response.status === 404) {
        response = await this.http.get(`/api/services/${encodeURIComponent(service)}/operations`, { signal: options.signal });
      }
      if (response.status !== 200) throw this.fail(response);
      operations = this.shape(response, () => v1Operations(this.http.json(response)));
    }
    return operations.sort((a, b) => a.name.localeCompare(b.name));
  }

  tagNames(): Promise<readonly TagName[]> {
    return Promise.reject(new BackendError('unsupported', `${this.http.target} has no API for tag names; type the attribute name`));
  }

  tagValues(): Promise<readonly TagValue[]> {
    return Promise.reject(new BackendError('unsupported', `${this.http.target} has no API for tag values; type the value`));
  }

  queryRange(): Promise<MetricsQueryResult> {
    return Promise.reject(new BackendError('unsupported', `${this.http.target} does not run TraceQL metrics queries (Tempo does)`));
  }

  async dispose(): Promise<void> {
    await this.http.dispose();
  }

  /** GET /api/v3/services: its services when v3 exists, undefined (and v1 remembered) when it does not. */
  private async probeServices(signal: AbortSignal | undefined): Promise<string[] | undefined> {
    const response = await this.http.get('/api/v3/services', { signal });
    if (response.status === 404) {
      this.apiVersion = 'v1';
      return undefined;
    }
    if (response.status !== 200) throw this.fail(response);
    const services = this.shape(response, () => v3Services(this.http.json(response)));
    this.apiVersion = 'v3';
    return services.sort();
  }

  private async searchV3(fields: JaegerSearchFields, signal: AbortSignal | undefined): Promise<TraceSearchResult> {
    const params = v3SearchParams(fields);
    if (this.summaries !== false) {
      const response = await this.http.get('/api/v3/trace-summaries', { query: params, signal });
      if (response.status === 200) {
        this.summaries = true;
        const summaries = this.shape(response, () => v3Summaries(this.http.json(response)));
        return { summaries: newestFirst(summaries).slice(0, fields.limit), warnings: [] };
      }
      if (response.status !== 404) throw this.fail(response);
      // Before v2.19: no summaries endpoint.
      this.summaries = false;
    }
    const response = await this.http.get('/api/v3/traces', { query: params, signal, subject: 'The search result' });
    // api_v3 answers an empty search with 404 "No traces found".
    if (response.status === 404) return { summaries: [], warnings: [] };
    if (response.status !== 200) throw this.fail(response);
    const warnings: string[] = [];
    const parsed = parseResponseTraces(this.http, response, this.http.json(response));
    const summaries = summariesFromTraces(parsed, { attributes: fields.attributes, limit: fields.limit }, warnings);
    return { summaries, warnings };
  }

  private async searchV1(fields: JaegerSearchFields, signal: AbortSignal | undefined): Promise<TraceSearchResult> {
    const response = await this.http.get('/api/traces', { query: v1SearchParams(fields), signal, subject: 'The search result' });
    if (response.status === 404) {
      throw this.http.statusError(response, 'this Jaeger has neither api_v3 nor the v1 search API; check the URL and base path');
    }
    if (response.status !== 200) throw this.fail(response);
    const warnings: string[] = [];
    const parsed = parseResponseTraces(this.http, response, this.http.json(response));
    // v1 matches tags in span tags, logs and process tags itself; no client-side pass.
    const summaries = summariesFromTraces(parsed, { attributes: [], limit: fields.limit }, warnings);
    return { summaries, warnings };
  }

  private shape<T>(response: HttpResponse, map: () => T): T {
    try {
      return map();
    } catch (error) {
      if (error instanceof JaegerShapeError) throw this.http.malformed(response, error.message);
      throw error;
    }
  }

  private fail(response: HttpResponse): BackendError {
    if (response.status === 401 || response.status === 403) {
      const body = this.http.text(response);
      if (/missing tenant header/i.test(body)) return this.http.statusError(response, 'set a tenant for this backend');
      if (/unknown tenant/i.test(body)) {
        return this.http.statusError(response, 'the tenant set for this backend is not known to the server');
      }
    }
    return this.http.statusError(response);
  }
}
