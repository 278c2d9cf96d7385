// The backend a `get` or `search` command talks to, built from its flags and the environment in one place:
// a server at --url, or a trace store directory with --store.

import { version } from '../../package.json';
import { BackendError } from '../core/backends/backendError';
import { createBackend } from '../core/backends/createBackend';
import type { BackendConfig } from '../core/backends/createBackend';
import { originOf } from '../core/backends/http/credentials';
import type { BackendCredential } from '../core/backends/http/credentials';
import type { ProxyConfig } from '../core/backends/http/dispatchers';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../core/backends/http/httpClient';
import type { HttpTimeouts } from '../core/backends/http/networkErrors';
import { REMOTE_BACKEND_TYPES } from '../core/backends/traceBackend';
import type { BackendType, TraceBackend } from '../core/backends/traceBackend';
import { CliUsageError } from './cliCommand';
import { MAX_TRACE_INPUT_BYTES } from './readTraceInput';
import { openStoreDirectory } from './storeDirectory';

/** The flags both commands take, for parseCommandArguments. */
export const BACKEND_OPTIONS = {
  backend: { type: 'string' },
  url: { type: 'string' },
  store: { type: 'string' },
  tenant: { type: 'string' },
  header: { type: 'string', multiple: true },
  timeout: { type: 'string' },
  'max-response-mb': { type: 'string' },
  insecure: { type: 'boolean' },
} as const;

export interface BackendOptionValues {
  readonly backend?: string;
  readonly url?: string;
  readonly store?: string;
  readonly tenant?: string;
  readonly header?: readonly string[];
  readonly timeout?: string;
  readonly 'max-response-mb'?: string;
  readonly insecure?: boolean;
}

export type Environment = Readonly<Record<string, string | undefined>>;

// The local store is opened with --store, not reached at a URL.
const BACKEND_TYPES: readonly BackendType[] = REMOTE_BACKEND_TYPES;

/** Flags that only mean something for a server at --url. */
const URL_ONLY_FLAGS = ['backend', 'url', 'tenant', 'header', 'timeout', 'max-response-mb', 'insecure'] as const;

const DEFAULT_TIMEOUT_SECONDS = 30;
const MAX_TIMEOUT_SECONDS = 86_400;
const CONNECT_TIMEOUT_MILLIS = 10_000;
const BYTES_PER_MB = 1024 * 1024;
const DEFAULT_MAX_RESPONSE_MB = DEFAULT_MAX_RESPONSE_BYTES / BYTES_PER_MB;
const MAX_RESPONSE_MB = MAX_TRACE_INPUT_BYTES / BYTES_PER_MB;

/** The help text for BACKEND_OPTIONS and the environment variables they read. */
export const BACKEND_OPTIONS_HELP = `Backend:
  --backend TYPE           ${BACKEND_TYPES.join(', ')}
  --url URL                Base URL of the query service, e.g. http://localhost:16686 (Jaeger),
                           http://localhost:9411 (Zipkin), http://localhost:3200 (Tempo)
  --tenant TENANT          Tenant: X-Scope-OrgID for Tempo, x-tenant for Jaeger
  --header 'NAME: VALUE'   Extra HTTP header sent to the --url origin; may repeat
  --timeout SECONDS        How long to wait for the server to answer (default ${DEFAULT_TIMEOUT_SECONDS})
  --max-response-mb N      Largest response to read, in MiB (default ${DEFAULT_MAX_RESPONSE_MB})
  --insecure               Do not verify TLS certificates
  --store DIR              Read the trace store directory 'spanlens serve --store DIR' writes, instead of
                           a server (it may be running); takes none of the flags above

Environment:
  SPANLENS_TOKEN           Sent as "Authorization: Bearer TOKEN", only to the --url origin
  SPANLENS_USER, SPANLENS_PASSWORD
                           Sent as HTTP Basic credentials instead, only to the --url origin
  HTTPS_PROXY, HTTP_PROXY  Proxy for https:// and http:// URLs (http://[user:password@]host:port)
  NO_PROXY                 Comma-separated hosts reached without the proxy
`;

/**
 * Opens the backend the flags describe; every problem with the flags is a usage error of `command`, a
 * --store directory that cannot be read is an exit-1 failure, and damage in one that only costs data goes to
 * `warn`.
 */
export async function openBackend(command: string, values: BackendOptionValues, env: Environment, warn: (message: string) => void): Promise<TraceBackend> {
  if (values.store !== undefined) {
    const conflicting = URL_ONLY_FLAGS.find((flag) => values[flag] !== undefined);
    if (conflicting !== undefined) throw new CliUsageError(`--${conflicting} does not apply to --store, which reads a directory rather than a server`, command);
    return openStoreDirectory(command, values.store, warn);
  }
  if (values.backend === undefined && values.url === undefined) throw new CliUsageError('missing --backend TYPE and --url URL, or --store DIR', command);
  return remoteBackend(command, values, env);
}

function remoteBackend(command: string, values: BackendOptionValues, env: Environment): TraceBackend {
  const type = backendType(command, values.backend);
  const url = values.url?.trim();
  if (url === undefined || url === '') throw new CliUsageError('missing --url URL', command);
  if (type === 'zipkin' && values.tenant !== undefined) {
    throw new CliUsageError('--tenant does not apply to Zipkin, which has no tenants', command);
  }
  const insecure = values.insecure === true;
  const config: BackendConfig = {
    type,
    url,
    tenant: values.tenant,
    headers: headerFlags(command, values.header ?? []),
    credential: credentialFromEnv(command, url, env),
    proxy: proxyFromEnv(command, url, env, !insecure),
    strictSSL: !insecure,
    timeouts: timeoutsFrom(command, values.timeout),
    maxResponseBytes: (positiveNumber(command, '--max-response-mb', values['max-response-mb'], MAX_RESPONSE_MB) ?? DEFAULT_MAX_RESPONSE_MB) * BYTES_PER_MB,
    settingNames: { maxResponse: '--max-response-mb', strictSSL: '--insecure', proxy: 'HTTPS_PROXY/HTTP_PROXY' },
    userAgent: `spanlens-cli/${version}`,
  };
  try {
    return createBackend(config);
  } catch (error) {
    if (error instanceof BackendError && error.kind === 'invalidInput') throw new CliUsageError(error.message, command);
    throw error;
  }
}

function backendType(command: string, text: string | undefined): BackendType {
  const supported = `supported: ${BACKEND_TYPES.join(', ')}`;
  if (text === undefined) throw new CliUsageError(`missing --backend TYPE (${supported})`, command);
  const type = BACKEND_TYPES.find((candidate) => candidate === text.trim().toLowerCase());
  if (type === undefined) throw new CliUsageError(`unknown --backend "${text}" (${supported})`, command);
  return type;
}

/** `--header 'Name: value'` flags; a later flag for the same name wins. */
function headerFlags(command: string, flags: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const flag of flags) {
    const colon = flag.indexOf(':');
    const name = colon === -1 ? '' : flag.slice(0, colon).trim();
    if (name === '') throw new CliUsageError(`--header "${flag}" is not of the form 'Name: value'`, command);
    headers[name] = flag.slice(colon + 1).trim();
  }
  return headers;
}

/** SPANLENS_TOKEN, or SPANLENS_USER with SPANLENS_PASSWORD, bound to the origin of the --url. */
function credentialFromEnv(command: string, url: string, env: Environment): BackendCredential | undefined {
  const token = nonEmpty(env.SPANLENS_TOKEN);
  const user = nonEmpty(env.SPANLENS_USER);
  const password = env.SPANLENS_PASSWORD ?? '';
  if (token !== undefined && user !== undefined) {
    throw new CliUsageError('set SPANLENS_TOKEN or SPANLENS_USER and SPANLENS_PASSWORD, not both', command);
  }
  if (user === undefined && password !== '') throw new CliUsageError('SPANLENS_PASSWORD is set but SPANLENS_USER is not', command);
  let header: string;
  if (token !== undefined) {
    header = `Authorization: Bearer ${token}`;
  } else if (user !== undefined) {
    if (password === '') throw new CliUsageError('SPANLENS_USER is set but SPANLENS_PASSWORD is not', command);
    header = `Authorization: Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
  } else {
    return undefined;
  }
  if (/[\r\n\0]/.test(header)) throw new CliUsageError('the credential in SPANLENS_* contains a line break', command);
  const origin = originOf(url);
  // Without a valid URL there is no origin to bind to; createBackend then reports the URL.
  return origin === undefined ? undefined : { origin, header };
}

/** HTTPS_PROXY for https:// URLs and HTTP_PROXY for http:// ones (upper case first, as Go reads them), with NO_PROXY. */
function proxyFromEnv(command: string, url: string, env: Environment, strictSSL: boolean): ProxyConfig | undefined {
  const upper = /^https:/i.test(url) ? 'HTTPS_PROXY' : 'HTTP_PROXY';
  const name = [upper, upper.toLowerCase()].find((candidate) => nonEmpty(env[candidate]) !== undefined);
  const value = name === undefined ? undefined : nonEmpty(env[name]);
  if (name === undefined || value === undefined) return undefined;
  // `proxy:3128` without a scheme is common in these variables and means http://.
  const proxyUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  let parsed: URL | undefined;
  try {
    parsed = new URL(proxyUrl);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    // The value may hold a password, so it is not repeated.
    throw new CliUsageError(`${name} is not an http:// or https:// proxy URL (SOCKS proxies are not supported)`, command);
  }
  const noProxy = (nonEmpty(env.NO_PROXY) ?? nonEmpty(env.no_proxy) ?? '').split(/[\s,]+/).filter((entry) => entry !== '');
  return { url: proxyUrl, strictSSL, noProxy };
}

/** --timeout bounds the wait for the answer; the body may take twice as long, as in the editor. */
function timeoutsFrom(command: string, text: string | undefined): Partial<HttpTimeouts> {
  const seconds = positiveNumber(command, '--timeout', text, MAX_TIMEOUT_SECONDS) ?? DEFAULT_TIMEOUT_SECONDS;
  const millis = Math.max(1, Math.round(seconds * 1000));
  return { connectMillis: Math.min(CONNECT_TIMEOUT_MILLIS, millis), headersMillis: millis, bodyMillis: 2 * millis };
}

function positiveNumber(command: string, flag: string, text: string | undefined, max: number): number | undefined {
  if (text === undefined) return undefined;
  const value = /^\s*\d+(\.\d+)?\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!(value > 0)) throw new CliUsageError(`${flag} needs a positive number, not "${text}"`, command);
  if (value > max) throw new CliUsageError(`${flag} is at most ${max}`, command);
  return value;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}
