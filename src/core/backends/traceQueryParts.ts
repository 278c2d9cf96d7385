// The parts of a TraceQuery every backend reads the same way: window, limit, durations, attribute filters.

import { BackendError } from './backendError';
import type { TraceQuery } from './traceBackend';

export const DEFAULT_LOOKBACK_MILLIS = 60 * 60 * 1000;

export const DEFAULT_SEARCH_LIMIT = 20;

export interface SearchWindow {
  readonly startUnixMillis: number;
  readonly endUnixMillis: number;
  /** The caller gave no end, so the window ends now. */
  readonly endsNow: boolean;
}

/** The window a query asks for; throws `invalidInput` for windows that cannot be searched. */
export function resolveSearchWindow(query: TraceQuery, nowUnixMillis: number): SearchWindow {
  const endsNow = query.endUnixMillis === undefined;
  const end = query.endUnixMillis ?? nowUnixMillis;
  const lookback = query.lookbackMillis ?? DEFAULT_LOOKBACK_MILLIS;
  if (!Number.isFinite(lookback) || lookback <= 0) throw new BackendError('invalidInput', 'The lookback must be a positive duration');
  const start = query.startUnixMillis ?? end - lookback;
  if (!Number.isFinite(start) || !Number.isFinite(end)) throw new BackendError('invalidInput', 'The search window has an invalid time');
  if (start >= end) throw new BackendError('invalidInput', 'The search window must start before it ends');
  return { startUnixMillis: start, endUnixMillis: end, endsNow };
}

/** The limit a query asks for, checked. */
export function resolveLimit(query: TraceQuery): number {
  const limit = query.limit ?? DEFAULT_SEARCH_LIMIT;
  if (!Number.isSafeInteger(limit) || limit <= 0) {
    throw new BackendError('invalidInput', 'The result limit must be a positive whole number');
  }
  return limit;
}

/** Checks the duration filters; returns them for convenience. */
export function resolveDurations(query: TraceQuery): { readonly min: bigint | undefined; readonly max: bigint | undefined } {
  const min = query.minDurationNano;
  const max = query.maxDurationNano;
  if ((min !== undefined && min < 0n) || (max !== undefined && max < 0n)) {
    throw new BackendError('invalidInput', 'Durations cannot be negative');
  }
  if (min !== undefined && max !== undefined && max < min) {
    throw new BackendError('invalidInput', 'The maximum duration must not be smaller than the minimum duration');
  }
  return { min, max };
}

/** The attribute filters with empty keys rejected. */
export function resolveAttributes(query: TraceQuery): readonly [string, string][] {
  const entries = Object.entries(query.attributes ?? {});
  for (const [key] of entries) {
    if (key.trim() === '') throw new BackendError('invalidInput', 'An attribute filter has an empty name');
  }
  return entries;
}
