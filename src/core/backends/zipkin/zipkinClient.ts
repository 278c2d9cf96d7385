// Zipkin API v2 (fixtures/API.md §2): trace by ID, search, services, span names, and the autocomplete
// keys and values a site configured.

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
  TagValuesOptions,
  TraceBackend,
  TraceQuery,
  TraceSearchResult,
} from '../traceBackend';
import { fetchedTraceFrom, parseResponseTraces, traceNotFound } from '../traceDocument';
import { requireTraceId } from '../traceIdArgument';
import { zipkinSearchParams } from './zipkinQueryParams';

const CAPABILITIES: BackendCapabilities = {
  traceQL: false,
  attributeSearch: true,
  operations: true,
  tagCompletion: true,
  metricsQuery: false,
  searchNeedsService: false,
};

export class ZipkinClient implements TraceBackend {
  readonly type = 'zipkin';
  readonly capabilities = CAPABILITIES;
  readonly displayName: string;

  constructor(
    private readonly http: HttpClient,
    private readonly now: () => number = Date.now,
  ) {
    this.displayName = http.target;
  }

  async getTrace(traceId: string, options: GetTraceOptions = {}): Promise<FetchedTrace> {
    const id = requireTraceId(traceId);
    // Zipkin stores 64-bit IDs as 16 digits and reduces a zero-padded 32-digit ID to them anyway.
    const pathId = id.startsWith('0000000000000000') ? id.slice(16) : id;
    const response = await this.http.get(`/api/v2/trace/${pathId}`, { signal: options.signal, subject: `Trace ${id}` });
    if (response.status === 404) throw traceNotFound(id, this.http.target);
    if (response.status !== 200) throw this.http.statusError(response);
    return fetchedTraceFrom(this.http, response, this.http.json(response), id);
  }

  async searchTraces(query: TraceQuery, options: RequestOptions = {}): Promise<TraceSearchResult> {
    if (query.traceQL !== undefined && query.traceQL.trim() !== '') {
      throw new BackendError('unsupported', `${this.http.target} does not understand TraceQL; search by service, span name and tags`);
    }
    const durations = resolveDurations(query);
    const limit = resolveLimit(query);
    const params = zipkinSearchParams({
      service: query.service,
      operation: query.operation,
      window: resolveSearchWindow(query, this.now()),
      limit,
      minDurationNano: durations.min,
      maxDurationNano: durations.max,
      attributes: resolveAttributes(query),
    });
    const response = await this.http.get('/api/v2/traces', { query: params, signal: options.signal, subject: 'The search result' });
    if (response.status !== 200) throw this.http.statusError(response);
    const warnings: string[] = [];
    const parsed = parseResponseTraces(this.http, response, this.http.json(response));
    // Zipkin filtered server-side, with its own tag semantics; no client-side pass.
    return { summaries: summariesFromTraces(parsed, { attributes: [], limit }, warnings), warnings };
  }

  async listServices(options: RequestOptions = {}): Promise<readonly string[]> {
    return this.names('/api/v2/services', undefined, options.signal);
  }

  async listOperations(service: string, options: RequestOptions = {}): Promise<readonly Operation[]> {
    if (service.trim() === '') throw new BackendError('invalidInput', 'Pick a service to list its span names');
    const names = await this.names('/api/v2/spans', { serviceName: service }, options.signal);
    return names.map((name) => ({ name, spanKind: undefined }));
  }

  async tagNames(_scope?: string, options: RequestOptions = {}): Promise<readonly TagName[]> {
    const names = await this.names('/api/v2/autocompleteKeys', undefined, options.signal);
    return names.map((name) => ({ scope: undefined, name }));
  }

  async tagValues(tag: string, options: TagValuesOptions = {}): Promise<readonly TagValue[]> {
    if (tag.trim() === '') throw new BackendError('invalidInput', 'Enter a tag name');
    const values = await this.names('/api/v2/autocompleteValues', { key: tag }, options.signal);
    return values.map((value) => ({ value, type: undefined }));
  }

  queryRange(): Promise<MetricsQueryResult> {
    return Promise.reject(new BackendError('unsupported', `${this.http.target} does not run TraceQL metrics queries (Tempo does)`));
  }

  async dispose(): Promise<void> {
    await this.http.dispose();
  }

  /** The JSON string lists of the names endpoints. */
  private async names(path: string, query: Record<string, string> | undefined, signal: AbortSignal | undefined): Promise<string[]> {
    const response = await this.http.get(path, { query, signal });
    if (response.status !== 200) throw this.http.statusError(response);
    return this.stringList(response);
  }

  private stringList(response: HttpResponse): string[] {
    const doc = this.http.json(response);
    if (!Array.isArray(doc)) throw this.http.malformed(response, 'expected a JSON list of names');
    return doc.filter((item): item is string => typeof item === 'string');
  }
}
