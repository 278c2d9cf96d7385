// HTTP statuses the caller did not expect, as messages that say what the server said and what to do.

import { STATUS_CODES } from 'node:http';
import type { BackendErrorKind } from '../backendError';
import { formatWaitMillis } from '../durations';

export interface StatusFacts {
  /** "Jaeger at http://localhost:16686". */
  readonly target: string;
  readonly status: number;
  /** Request path without query. */
  readonly path: string;
  /** The server's own error text, one line. */
  readonly detail: string | undefined;
  readonly attempts: number;
  readonly requestedWaitMillis: number | undefined;
  /** Advice that replaces the generic one. */
  readonly hint: string | undefined;
  /** What to do about 401/403 when no hint is given. */
  readonly authHint: string;
  readonly proxySetting: string;
}

export function describeStatus(facts: StatusFacts): { readonly kind: BackendErrorKind; readonly message: string } {
  const { target, status, path, hint } = facts;
  const statusText = `${status} ${STATUS_CODES[status] ?? 'Unknown Status'}`;
  const said = facts.detail === undefined ? '' : `: ${facts.detail}`;
  const advice = hint === undefined ? '' : ` — ${hint}`;
  if (status === 401 || status === 403) {
    return { kind: 'unauthorized', message: `${target} answered ${statusText}${said} — ${hint ?? facts.authHint}` };
  }
  if (status === 404) {
    const next = hint ?? 'check the URL (including any base path) and the server version';
    return { kind: 'endpointNotFound', message: `${target} answered ${statusText} for ${path}${said} — ${next}` };
  }
  if (status === 407) {
    return { kind: 'proxy', message: `The proxy in front of ${target} asks for credentials (${statusText}) — put them in ${facts.proxySetting}` };
  }
  if (status === 429 || status === 503) {
    const kind = status === 429 ? 'rateLimited' : 'server';
    const what = status === 429 ? 'is rate limiting requests' : 'is unavailable';
    if (facts.requestedWaitMillis !== undefined) {
      const wait = formatWaitMillis(facts.requestedWaitMillis);
      return { kind, message: `${target} ${what} (${statusText}) and asks to wait ${wait}${said} — try again then` };
    }
    const tries = facts.attempts === 1 ? 'once' : `${facts.attempts} times`;
    return { kind, message: `${target} ${what} (${statusText}, tried ${tries})${said} — ${hint ?? 'try again in a minute'}` };
  }
  if (status >= 500) return { kind: 'server', message: `${target} failed with ${statusText} on ${path}${said}${advice}` };
  if (status >= 400) return { kind: 'badRequest', message: `${target} rejected the request to ${path} (${statusText})${said}${advice}` };
  if (status >= 300) {
    return { kind: 'malformed', message: `${target} answered ${path} with a redirect (${statusText}) that could not be followed` };
  }
  return { kind: 'malformed', message: `${target} answered ${path} with the unexpected status ${statusText}` };
}
