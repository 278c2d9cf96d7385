// 429 and 503 are retried a bounded number of times, waiting as long as Retry-After asks, up to a cap.
// A server asking for a longer wait than the cap gets no retry: the user hears how long to wait instead.

export interface RetryPolicy {
  /** Retries after the first attempt. */
  readonly maxRetries: number;
  /** The longest wait between attempts; a longer Retry-After ends the retries. */
  readonly maxDelayMillis: number;
  /** Wait before the first retry when the server gives no Retry-After; doubles each time. */
  readonly baseDelayMillis: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 2, maxDelayMillis: 10_000, baseDelayMillis: 500 };

export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 503]);

/** Retry-After as delay-seconds or an HTTP date, in ms from now; undefined if absent or unreadable. */
export function parseRetryAfterMillis(value: string | undefined, nowUnixMillis: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (text === '' || /^[\d.+-]+$/.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowUnixMillis);
}

export type RetryDecision =
  | { readonly retry: true; readonly delayMillis: number }
  | { readonly retry: false; readonly waitMillis?: number };

/**
 * Whether to retry after attempt number `attempt` (1-based) failed with a retryable status. `waitMillis`
 * is set when the server asked for a wait longer than the policy allows.
 */
export function decideRetry(attempt: number, retryAfterMillis: number | undefined, policy: RetryPolicy): RetryDecision {
  if (attempt > policy.maxRetries) return { retry: false };
  if (retryAfterMillis !== undefined) {
    if (retryAfterMillis > policy.maxDelayMillis) return { retry: false, waitMillis: retryAfterMillis };
    return { retry: true, delayMillis: retryAfterMillis };
  }
  return { retry: true, delayMillis: Math.min(policy.maxDelayMillis, policy.baseDelayMillis * 2 ** (attempt - 1)) };
}
