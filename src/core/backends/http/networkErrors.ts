// Socket, DNS, TLS, proxy and timeout failures (Node and undici error codes) as messages that say what
// happened and what to try.

import { BackendError } from '../backendError';
import { formatWaitMillis } from '../durations';

export interface HttpTimeouts {
  /** TCP connect plus TLS handshake. */
  readonly connectMillis: number;
  /** From sending the request to the response headers. */
  readonly headersMillis: number;
  /** Longest pause while the body streams in. */
  readonly bodyMillis: number;
}

/** Names of the settings messages point to; the editor and the CLI name them differently. */
export interface SettingNames {
  readonly maxResponse: string;
  readonly strictSSL: string;
  readonly proxy: string;
}

export interface FailureContext {
  /** "Jaeger at http://localhost:16686". */
  readonly target: string;
  readonly timeouts: HttpTimeouts;
  /** The proxy in use for this request, without credentials. */
  readonly proxy: string | undefined;
  readonly settingNames: SettingNames;
}

const CERTIFICATE_CODES: ReadonlySet<string> = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
  'CERT_SIGNATURE_FAILURE',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
]);

interface ErrorFacts {
  readonly code: string | undefined;
  readonly message: string;
}

function errorFacts(error: unknown): ErrorFacts {
  const queue: unknown[] = [error];
  let code: string | undefined;
  let message = '';
  // Node wraps the cause (AggregateError for happy eyeballs, `cause` for undici); a short bounded walk.
  for (let i = 0; i < queue.length && i < 8; i++) {
    const item = queue[i];
    if (typeof item !== 'object' || item === null) continue;
    const record = item as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    if (code === undefined && typeof record.code === 'string') code = record.code;
    if (message === '' && typeof record.message === 'string') message = record.message;
    if (record.cause !== undefined) queue.push(record.cause);
    if (Array.isArray(record.errors)) queue.push(...record.errors);
  }
  return { code, message };
}

/** Maps a failed request (no HTTP response) to a BackendError. */
export function requestFailure(error: unknown, context: FailureContext): BackendError {
  const { code, message } = errorFacts(error);
  const { target } = context;
  const via = context.proxy === undefined ? '' : ` through the proxy ${context.proxy}`;
  const proxyHint = context.proxy === undefined ? '' : ` Check the proxy setting (${context.settingNames.proxy}).`;

  // undici words a refused tunnel "Proxy response (407) !== 200 …" and a refused forward "Proxy Authentication Required (407)".
  const proxyMatch = /^Proxy response \((\d{3})\)|^Proxy Authentication Required \((407)\)/.exec(message);
  const proxyStatus = proxyMatch?.[1] ?? proxyMatch?.[2];
  if (proxyStatus !== undefined) {
    const hint =
      proxyStatus === '407'
        ? `The proxy needs credentials: put them in ${context.settingNames.proxy} as http://user:password@host:port.`
        : `Check ${context.settingNames.proxy} and whether the proxy allows this host.`;
    return new BackendError('proxy', `The proxy ${context.proxy ?? ''} refused to connect to ${target} (HTTP ${proxyStatus}). ${hint}`);
  }

  switch (code) {
    case 'ECONNREFUSED':
      return new BackendError(
        'unreachable',
        context.proxy === undefined
          ? `Cannot reach ${target} (connection refused). Is it running?`
          : `Cannot reach ${target}${via} (connection refused).${proxyHint}`,
      );
    case 'ENOTFOUND':
      return new BackendError('unreachable', `Cannot reach ${target}${via} (host not found). Check the URL.${proxyHint}`);
    case 'EAI_AGAIN':
      return new BackendError('unreachable', `Cannot reach ${target}${via} (DNS lookup failed). Check your network connection.`);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ENETDOWN':
      return new BackendError('unreachable', `Cannot reach ${target}${via} (no route to the host). Check your network or VPN.`);
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
      return new BackendError(
        'unreachable',
        `${target} closed the connection unexpectedly${via}. ` +
          'Try again; if it keeps happening, check any proxy or load balancer in between.',
      );
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return new BackendError(
        'timeout',
        `Cannot connect to ${target}${via}: no connection within ${formatWaitMillis(context.timeouts.connectMillis)}. ` +
          'Check the URL, firewall and VPN.',
      );
    case 'UND_ERR_HEADERS_TIMEOUT':
      return new BackendError(
        'timeout',
        `${target} did not answer within ${formatWaitMillis(context.timeouts.headersMillis)}. ` +
          'The server may be overloaded; narrow the search or try again.',
      );
    case 'UND_ERR_BODY_TIMEOUT':
      return new BackendError(
        'timeout',
        `${target} stopped sending its response for ${formatWaitMillis(context.timeouts.bodyMillis)}. Try again later.`,
      );
    case 'UND_ERR_PRX_TLS':
      return new BackendError('tls', `TLS error talking to the proxy ${context.proxy ?? ''}: ${message}.${proxyHint}`);
  }
  if (code !== undefined && CERTIFICATE_CODES.has(code)) {
    return new BackendError(
      'tls',
      `TLS error talking to ${target}: ${message} (${code}). If you trust this server, add its certificate authority ` +
        `to NODE_EXTRA_CA_CERTS, or turn off certificate checks with ${context.settingNames.strictSSL}.`,
    );
  }
  if (code === 'EPROTO' || code?.startsWith('ERR_SSL_') === true || code?.startsWith('ERR_TLS_') === true) {
    const scheme = /wrong version number|packet length too long|http request/i.test(message)
      ? ' Does the server speak plain HTTP? Then the URL must start with http://.'
      : '';
    return new BackendError('tls', `TLS error talking to ${target}: ${message}.${scheme}`);
  }
  const detail = code === undefined ? message : `${message} (${code})`;
  return new BackendError('unreachable', `The request to ${target}${via} failed: ${detail || 'unknown network error'}.`);
}
