// GET requests to one backend over pooled undici connections: timeouts, size cap, gzip, bounded retries of
// 429/503, redirects that never carry headers to another origin, and failures as actionable messages.

import { request } from 'undici';
import { describeJsonSyntaxError } from '../../formats/jsonSyntaxError';
import { BackendError } from '../backendError';
import { formatByteSize } from '../durations';
import { credentialHeaderField, displayUrl, originOf, scrubSecrets, secretsOf } from './credentials';
import type { BackendCredential } from './credentials';
import { Dispatchers, proxyDisplay } from './dispatchers';
import type { ProxyConfig } from './dispatchers';
import { serverErrorText } from './errorBody';
import { requestFailure } from './networkErrors';
import type { HttpTimeouts, SettingNames } from './networkErrors';
import {
  ACCEPTED_ENCODINGS,
  BodyEncodingError,
  BodyTooLargeError,
  decodeContentEncoding,
  discardBody,
  readCappedBody,
} from './responseBody';
import { DEFAULT_RETRY_POLICY, decideRetry, parseRetryAfterMillis, RETRYABLE_STATUSES } from './retryPolicy';
import type { RetryPolicy } from './retryPolicy';
import { describeStatus } from './statusErrors';

export const DEFAULT_TIMEOUTS: HttpTimeouts = { connectMillis: 10_000, headersMillis: 30_000, bodyMillis: 60_000 };

export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

export const DEFAULT_SETTING_NAMES: SettingNames = {
  maxResponse: 'spanlens.maxResponseMB',
  strictSSL: 'http.proxyStrictSSL',
  proxy: 'http.proxy',
};

const MAX_REDIRECTS = 5;

export interface HttpClientConfig {
  /** Absolute http(s) URL, possibly with a base path; user info is not allowed here (use `credential`). */
  readonly baseUrl: string;
  /** "Jaeger", for messages. */
  readonly backendLabel: string;
  /** Sent only to the base URL's origin. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent only to `credential.origin`. */
  readonly credential?: BackendCredential;
  readonly proxy?: ProxyConfig;
  /** Verify server certificates on direct connections (default true). */
  readonly strictSSL?: boolean;
  readonly timeouts?: Partial<HttpTimeouts>;
  readonly maxResponseBytes?: number;
  readonly retry?: Partial<RetryPolicy>;
  readonly settingNames?: Partial<SettingNames>;
  readonly userAgent?: string;
}

export type QueryValue = string | number | bigint | boolean | readonly string[] | undefined;

export interface HttpGetOptions {
  readonly query?: Readonly<Record<string, QueryValue>>;
  readonly signal?: AbortSignal;
  /** Names the body in the size-limit message, e.g. "Trace 4bf9…". */
  readonly subject?: string;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Decompressed. */
  readonly body: Buffer;
  /** The path (without query) that was asked for, for messages. */
  readonly path: string;
  /** Requests made, retries included. */
  readonly attempts: number;
  /** Set when the server asked to wait longer than the retry policy allows. */
  readonly requestedWaitMillis: number | undefined;
}

export class HttpClient {
  /** "Jaeger at http://localhost:16686". */
  readonly target: string;
  private readonly base: URL;
  private readonly baseOrigin: string;
  private readonly extraHeaders: Readonly<Record<string, string>>;
  private readonly credentialOrigin: string | undefined;
  private readonly credentialField: { readonly name: string; readonly value: string } | undefined;
  private readonly secrets: readonly string[];
  private readonly timeouts: HttpTimeouts;
  private readonly maxResponseBytes: number;
  private readonly retry: RetryPolicy;
  private readonly settingNames: SettingNames;
  private readonly userAgent: string;
  private readonly proxyText: string | undefined;
  private readonly dispatchers: Dispatchers;
  private disposed = false;

  constructor(config: HttpClientConfig) {
    const base = new URL(config.baseUrl);
    if (base.protocol !== 'http:' && base.protocol !== 'https:') {
      throw new BackendError('invalidInput', `${config.baseUrl} is not an http(s) URL`);
    }
    base.search = '';
    base.hash = '';
    this.base = base;
    this.baseOrigin = base.origin;
    this.target = `${config.backendLabel} at ${displayUrl(base.toString())}`;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(config.headers ?? {})) headers[name.toLowerCase()] = value;
    this.extraHeaders = headers;
    if (config.credential !== undefined) {
      this.credentialOrigin = originOf(config.credential.origin);
      this.credentialField = credentialHeaderField(config.credential.header);
    }
    this.secrets = secretsOf(config.credential, headers);
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...config.timeouts };
    this.maxResponseBytes = config.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.retry = { ...DEFAULT_RETRY_POLICY, ...config.retry };
    this.settingNames = { ...DEFAULT_SETTING_NAMES, ...config.settingNames };
    this.userAgent = config.userAgent ?? 'SpanLens';
    this.proxyText = config.proxy === undefined ? undefined : proxyDisplay(config.proxy);
    this.dispatchers = new Dispatchers({ timeouts: this.timeouts, strictSSL: config.strictSSL ?? true, proxy: config.proxy });
  }

  /** GET `path` (relative to the base URL, already percent-encoded). Any HTTP status resolves; failures without one reject. */
  async get(path: string, options: HttpGetOptions = {}): Promise<HttpResponse> {
    const url = this.resolve(path, options.query);
    for (let attempt = 1; ; attempt++) {
      const response = await this.followRedirects(url, path, options);
      if (!RETRYABLE_STATUSES.has(response.status)) return { ...response, attempts: attempt, requestedWaitMillis: undefined };
      const retryAfter = parseRetryAfterMillis(headerText(response.headers['retry-after']), Date.now());
      const decision = decideRetry(attempt, retryAfter, this.retry);
      if (!decision.retry) return { ...response, attempts: attempt, requestedWaitMillis: decision.waitMillis };
      await sleep(decision.delayMillis, options.signal, () => this.cancelled());
    }
  }

  /** The body as UTF-8 text, BOM removed. */
  text(response: HttpResponse): string {
    const text = response.body.toString('utf8');
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }

  /** The body as JSON; a BackendError of kind `malformed` if it is not. */
  json(response: HttpResponse): unknown {
    const text = this.text(response);
    try {
      return JSON.parse(text);
    } catch (error) {
      const contentType = headerText(response.headers['content-type']) ?? 'no Content-Type';
      const start = text.trim().slice(0, 60).replace(/\s+/g, ' ');
      const detail = text.trim() === '' ? 'the body is empty' : `${describeJsonSyntaxError(text, error)}; it begins with "${start}"`;
      throw new BackendError(
        'malformed',
        this.scrub(
          `${this.target} sent a response to ${response.path} that is not valid JSON (${contentType}): ${detail}. ` +
            'Check that the URL points at the backend itself and not at a login page or proxy.',
        ),
        response.status,
      );
    }
  }

  /** A malformed-response error with the standard wording. */
  malformed(response: HttpResponse, problem: string): BackendError {
    const message = `${this.target} sent an unexpected response to ${response.path}: ${problem}`;
    return new BackendError('malformed', this.scrub(message), response.status);
  }

  /** The error for a status the caller did not handle. `hint` replaces the generic advice. */
  statusError(response: HttpResponse, hint?: string): BackendError {
    const { kind, message } = describeStatus({
      target: this.target,
      status: response.status,
      path: response.path,
      detail: serverErrorText(this.text(response)),
      attempts: response.attempts,
      requestedWaitMillis: response.requestedWaitMillis,
      hint,
      authHint: this.authHint(),
      proxySetting: this.settingNames.proxy,
    });
    return new BackendError(kind, this.scrub(message), response.status);
  }

  /** Closes the pooled connections; later calls do nothing. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.dispatchers.close();
  }

  private authHint(): string {
    const origin = this.baseOrigin;
    if (this.credentialField === undefined) return `this server needs credentials: save a credential for ${origin}`;
    if (this.credentialOrigin !== origin) {
      return `the saved credential is for ${this.credentialOrigin ?? 'an invalid origin'}, not ${origin}, so it was not sent`;
    }
    return `check the credential saved for ${origin}`;
  }

  private resolve(path: string, query: HttpGetOptions['query']): URL {
    const basePath = this.base.pathname.replace(/\/+$/, '');
    const url = new URL(`${basePath}${path}`, this.baseOrigin);
    const parts: string[] = [];
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value === undefined) continue;
      const values = Array.isArray(value) ? (value as readonly string[]) : [String(value)];
      for (const item of values) parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(item)}`);
    }
    url.search = parts.join('&');
    return url;
  }

  private headersFor(url: URL): Record<string, string> {
    const headers: Record<string, string> = {
      // Tempo answers protobuf to other Accept values; everything here reads JSON.
      accept: 'application/json',
      'accept-encoding': ACCEPTED_ENCODINGS,
      'user-agent': this.userAgent,
    };
    if (url.origin === this.baseOrigin) Object.assign(headers, this.extraHeaders);
    if (this.credentialField !== undefined && url.origin === this.credentialOrigin) {
      headers[this.credentialField.name] = this.credentialField.value;
    }
    return headers;
  }

  private async followRedirects(
    start: URL,
    path: string,
    options: HttpGetOptions,
  ): Promise<Omit<HttpResponse, 'attempts' | 'requestedWaitMillis'>> {
    let url = start;
    for (let redirects = 0; ; redirects++) {
      const response = await this.send(url, path, options);
      const location = headerText(response.headers.location);
      if (!isRedirect(response.status) || location === undefined) return response;
      if (redirects >= MAX_REDIRECTS) {
        throw new BackendError('malformed', `${this.target} redirected ${path} more than ${MAX_REDIRECTS} times — check the URL`);
      }
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw new BackendError('malformed', `${this.target} redirected ${path} to an invalid URL`);
      }
      if (next.protocol !== 'http:' && next.protocol !== 'https:') {
        throw new BackendError('malformed', `${this.target} redirected ${path} to a ${next.protocol} URL, which is not followed`);
      }
      url = next;
    }
  }

  private async send(url: URL, path: string, options: HttpGetOptions): Promise<Omit<HttpResponse, 'attempts' | 'requestedWaitMillis'>> {
    const { signal } = options;
    if (isAborted(signal)) throw this.cancelled();
    const { dispatcher, proxied } = this.dispatchers.forUrl(url);
    const failureContext = {
      target: this.target,
      timeouts: this.timeouts,
      proxy: proxied ? this.proxyText : undefined,
      settingNames: this.settingNames,
    };
    let response: Awaited<ReturnType<typeof request>>;
    try {
      response = await request(url, {
        dispatcher,
        method: 'GET',
        headers: this.headersFor(url),
        signal,
        headersTimeout: this.timeouts.headersMillis,
        bodyTimeout: this.timeouts.bodyMillis,
      });
    } catch (error) {
      if (isAborted(signal)) throw this.cancelled();
      throw this.scrubError(requestFailure(error, failureContext));
    }
    const { statusCode, headers } = response;
    if (isRedirect(statusCode) && headers.location !== undefined) {
      await response.body.dump().catch(() => undefined);
      return { status: statusCode, headers, body: Buffer.alloc(0), path };
    }
    const encoding = headerText(headers['content-encoding']);
    const declaredLength = Number(headerText(headers['content-length']));
    try {
      if (encoding === undefined && declaredLength > this.maxResponseBytes) throw new BodyTooLargeError(this.maxResponseBytes);
      const raw = await readCappedBody(response.body, this.maxResponseBytes);
      const body = await decodeContentEncoding(raw, encoding, this.maxResponseBytes);
      return { status: statusCode, headers, body, path };
    } catch (error) {
      discardBody(response.body);
      if (isAborted(signal)) throw this.cancelled();
      if (error instanceof BodyTooLargeError) {
        const subject = options.subject ?? `The response of ${this.target} to ${path}`;
        throw new BackendError(
          'tooLarge',
          `${subject} is larger than the ${formatByteSize(error.limitBytes)} response limit (${this.settingNames.maxResponse})`,
          statusCode,
        );
      }
      if (error instanceof BodyEncodingError) {
        throw new BackendError('malformed', `${this.target} sent a response to ${path} that cannot be read: ${error.message}`, statusCode);
      }
      throw this.scrubError(requestFailure(error, failureContext));
    }
  }

  private cancelled(): BackendError {
    return new BackendError('cancelled', `The request to ${this.target} was cancelled`);
  }

  private scrub(text: string): string {
    return scrubSecrets(text, this.secrets);
  }

  private scrubError(error: BackendError): BackendError {
    const message = this.scrub(error.message);
    return message === error.message ? error : new BackendError(error.kind, message, error.status);
  }
}

// A function, so TypeScript does not narrow `aborted` across awaits.
function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function sleep(millis: number, signal: AbortSignal | undefined, cancelled: () => Error): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(cancelled());
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(cancelled());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, millis);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
