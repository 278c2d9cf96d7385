// A backend client from a plain configuration, as the editor settings and the CLI flags describe one.

import { BackendError } from './backendError';
import type { BackendCredential } from './http/credentials';
import type { ProxyConfig } from './http/dispatchers';
import { HttpClient } from './http/httpClient';
import type { HttpTimeouts, SettingNames } from './http/networkErrors';
import type { RetryPolicy } from './http/retryPolicy';
import { JaegerClient } from './jaeger/jaegerClient';
import { TempoClient } from './tempo/tempoClient';
import { BACKEND_LABELS } from './traceBackend';
import type { BackendType, RemoteBackendType, TraceBackend } from './traceBackend';
import { ZipkinClient } from './zipkin/zipkinClient';

export interface BackendConfig {
  readonly type: BackendType;
  /** Base URL, e.g. `http://localhost:16686` or `https://host/jaeger` behind a base path. */
  readonly url: string;
  /** Jaeger: `x-tenant` header; Tempo: `X-Scope-OrgID`. Zipkin has no tenants. */
  readonly tenant?: string;
  /** Extra headers for this backend's origin. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent only to `credential.origin`. */
  readonly credential?: BackendCredential;
  readonly proxy?: ProxyConfig;
  /** Verify server certificates on direct HTTPS connections (default true). */
  readonly strictSSL?: boolean;
  readonly timeouts?: Partial<HttpTimeouts>;
  readonly maxResponseBytes?: number;
  readonly retry?: Partial<RetryPolicy>;
  /** Setting names that messages point to (defaults are the editor's). */
  readonly settingNames?: Partial<SettingNames>;
  readonly userAgent?: string;
}

const TENANT_HEADERS: Readonly<Record<RemoteBackendType, string | undefined>> = {
  jaeger: 'x-tenant',
  tempo: 'x-scope-orgid',
  zipkin: undefined,
};

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Creates the client for `config.type`; throws `invalidInput` for a configuration that cannot work. */
export function createBackend(config: BackendConfig, now: () => number = Date.now): TraceBackend {
  const label = BACKEND_LABELS[config.type];
  if (label === undefined) {
    throw new BackendError('invalidInput', `Unknown backend type "${String(config.type)}"; use jaeger, zipkin or tempo`);
  }
  if (config.type === 'local') {
    throw new BackendError('invalidInput', 'The local store has no URL; it is opened from its store directory');
  }
  const { baseUrl, urlCredential } = readBaseUrl(config.url, label);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(config.headers ?? {})) {
    if (!HEADER_NAME.test(name)) throw new BackendError('invalidInput', `"${name}" is not a valid HTTP header name`);
    if (/[\r\n\0]/.test(value)) throw new BackendError('invalidInput', `The value of header "${name}" contains a line break`);
    headers[name.toLowerCase()] = value;
  }
  const tenant = config.tenant?.trim() ?? '';
  if (tenant !== '') {
    const tenantHeader = TENANT_HEADERS[config.type];
    if (tenantHeader === undefined) throw new BackendError('invalidInput', `${label} has no tenants; remove the tenant from this backend`);
    if (/[\r\n\0]/.test(tenant)) throw new BackendError('invalidInput', 'The tenant contains a line break');
    headers[tenantHeader] = tenant;
  }
  if (config.credential !== undefined && /[\r\n\0]/.test(config.credential.header)) {
    throw new BackendError('invalidInput', 'The saved credential contains a line break');
  }
  const maxResponseBytes = config.maxResponseBytes;
  if (maxResponseBytes !== undefined && !(Number.isFinite(maxResponseBytes) && maxResponseBytes > 0)) {
    throw new BackendError('invalidInput', 'The response size limit must be a positive number');
  }
  if (config.proxy !== undefined) checkProxyUrl(config.proxy.url);
  const http = new HttpClient({
    baseUrl,
    backendLabel: label,
    headers,
    credential: config.credential ?? urlCredential,
    proxy: config.proxy,
    strictSSL: config.strictSSL,
    timeouts: config.timeouts,
    maxResponseBytes,
    retry: config.retry,
    settingNames: config.settingNames,
    userAgent: config.userAgent,
  });
  switch (config.type) {
    case 'jaeger':
      return new JaegerClient(http, now);
    case 'zipkin':
      return new ZipkinClient(http, now);
    case 'tempo':
      return new TempoClient(http, now);
  }
}

/** Checks the URL; `user:password@` in it becomes a Basic credential for its origin and is removed. */
function readBaseUrl(text: string, label: string): { baseUrl: string; urlCredential: BackendCredential | undefined } {
  const trimmed = text.trim();
  if (trimmed === '') throw new BackendError('invalidInput', `Enter the URL of the ${label} server`);
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    throw new BackendError('invalidInput', `"${trimmed}" needs a scheme: write http://${trimmed} or https://${trimmed}`);
  }
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new BackendError('invalidInput', `"${trimmed}" is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BackendError('invalidInput', `The ${label} URL must start with http:// or https://`);
  }
  let urlCredential: BackendCredential | undefined;
  if (url.username !== '' || url.password !== '') {
    const pair = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    urlCredential = { origin: url.origin, header: `Authorization: Basic ${Buffer.from(pair).toString('base64')}` };
    url.username = '';
    url.password = '';
  }
  url.search = '';
  url.hash = '';
  return { baseUrl: url.toString(), urlCredential };
}

function checkProxyUrl(text: string): void {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new BackendError('invalidInput', `The proxy "${text.replace(/\/\/[^@/]*@/, '//***@')}" is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BackendError('invalidInput', 'The proxy URL must start with http:// or https:// (SOCKS proxies are not supported)');
  }
}
