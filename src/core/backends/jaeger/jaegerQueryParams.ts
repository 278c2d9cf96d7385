// Query parameters for Jaeger's two HTTP APIs (fixtures/API.md §1.2, §1.4.2). api_v3 uses the snake_case
// names and query.num_traces, the spelling every version from v1.54 to main accepts.

import { formatGoDuration, millisToRfc3339, millisToUnixMicros } from '../durations';
import type { QueryValue } from '../http/httpClient';
import type { SearchWindow } from '../traceQueryParts';
import type { GetTraceOptions } from '../traceBackend';

export interface JaegerSearchFields {
  readonly service: string | undefined;
  readonly operation: string | undefined;
  readonly window: SearchWindow;
  readonly limit: number;
  readonly minDurationNano: bigint | undefined;
  readonly maxDurationNano: bigint | undefined;
  readonly attributes: readonly (readonly [string, string])[];
}

/** A window ending "now" is pushed a minute ahead: a max of exactly now can miss fresh spans (PR #9263). */
export const V3_NOW_MARGIN_MILLIS = 60_000;

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function attributesJson(attributes: JaegerSearchFields['attributes']): string | undefined {
  if (attributes.length === 0) return undefined;
  const map: Record<string, string> = {};
  for (const [key, value] of attributes) map[key] = value;
  return JSON.stringify(map);
}

/** `GET /api/v3/traces` and `GET /api/v3/trace-summaries`. */
export function v3SearchParams(fields: JaegerSearchFields): Record<string, QueryValue> {
  const end = fields.window.endUnixMillis + (fields.window.endsNow ? V3_NOW_MARGIN_MILLIS : 0);
  return {
    'query.service_name': nonEmpty(fields.service),
    'query.operation_name': nonEmpty(fields.operation),
    'query.start_time_min': millisToRfc3339(fields.window.startUnixMillis),
    'query.start_time_max': millisToRfc3339(end),
    'query.num_traces': fields.limit,
    'query.duration_min': fields.minDurationNano === undefined ? undefined : formatGoDuration(fields.minDurationNano),
    'query.duration_max': fields.maxDurationNano === undefined ? undefined : formatGoDuration(fields.maxDurationNano),
    // Read since v2.19; older servers ignore it and the client filters instead.
    'query.attributes': attributesJson(fields.attributes),
  };
}

/** `GET /api/v3/traces/{id}`. */
export function v3TraceParams(options: GetTraceOptions): Record<string, QueryValue> {
  return {
    start_time: options.startUnixMillis === undefined ? undefined : millisToRfc3339(options.startUnixMillis),
    end_time: options.endUnixMillis === undefined ? undefined : millisToRfc3339(options.endUnixMillis),
  };
}

/** `GET /api/traces` (search). */
export function v1SearchParams(fields: JaegerSearchFields): Record<string, QueryValue> {
  return {
    service: nonEmpty(fields.service),
    operation: nonEmpty(fields.operation),
    start: millisToUnixMicros(fields.window.startUnixMillis),
    end: millisToUnixMicros(fields.window.endUnixMillis),
    limit: fields.limit,
    minDuration: fields.minDurationNano === undefined ? undefined : formatGoDuration(fields.minDurationNano),
    maxDuration: fields.maxDurationNano === undefined ? undefined : formatGoDuration(fields.maxDurationNano),
    tags: attributesJson(fields.attributes),
  };
}

/** `GET /api/traces/{id}`. */
export function v1TraceParams(options: GetTraceOptions): Record<string, QueryValue> {
  return {
    start: options.startUnixMillis === undefined ? undefined : millisToUnixMicros(options.startUnixMillis),
    end: options.endUnixMillis === undefined ? undefined : millisToUnixMicros(options.endUnixMillis),
  };
}
