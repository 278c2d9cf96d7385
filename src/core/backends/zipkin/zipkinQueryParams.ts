// Query parameters of Zipkin's GET /api/v2/traces (fixtures/API.md §2.1; zipkin2-api.yaml): durations in
// µs, endTs and lookback in ms, tag filters as an `annotationQuery` of `k=v` terms joined by " and ".

import { BackendError } from '../backendError';
import { nanosToMicros } from '../durations';
import type { QueryValue } from '../http/httpClient';
import type { SearchWindow } from '../traceQueryParts';

export interface ZipkinSearchFields {
  readonly service: string | undefined;
  readonly operation: string | undefined;
  readonly window: SearchWindow;
  readonly limit: number;
  readonly minDurationNano: bigint | undefined;
  readonly maxDurationNano: bigint | undefined;
  readonly attributes: readonly (readonly [string, string])[];
}

/** `k=v and k2=v2`; throws `invalidInput` for filters the syntax cannot express. */
export function annotationQuery(attributes: ZipkinSearchFields['attributes']): string | undefined {
  if (attributes.length === 0) return undefined;
  const terms: string[] = [];
  for (const [key, value] of attributes) {
    // Zipkin splits on " and " and the first "=", and trims both sides (QueryRequest.parseAnnotationQuery).
    if (key.includes('=') || / and /i.test(key) || key.trim() !== key) {
      throw new BackendError('invalidInput', `Zipkin cannot search for the tag name "${key}" (no "=", " and ", or surrounding spaces)`);
    }
    if (/ and /.test(value) || value.trim() !== value) {
      throw new BackendError('invalidInput', `Zipkin cannot search for the tag value "${value}" (no " and " or surrounding spaces)`);
    }
    terms.push(value === '' ? key : `${key}=${value}`);
  }
  return terms.join(' and ');
}

export function zipkinSearchParams(fields: ZipkinSearchFields): Record<string, QueryValue> {
  const { window } = fields;
  let minMicros = fields.minDurationNano === undefined ? undefined : nanosToMicros(fields.minDurationNano, 'floor');
  const maxMicros = fields.maxDurationNano === undefined ? undefined : nanosToMicros(fields.maxDurationNano, 'ceil');
  // minDuration must be > 0 and maxDuration is only valid with it (QueryRequest.build).
  if (minMicros === 0n) minMicros = undefined;
  if (maxMicros !== undefined && minMicros === undefined) minMicros = 1n;
  return {
    serviceName: fields.service === '' ? undefined : fields.service,
    spanName: fields.operation === '' ? undefined : fields.operation,
    annotationQuery: annotationQuery(fields.attributes),
    minDuration: minMicros,
    maxDuration: maxMicros,
    endTs: Math.ceil(window.endUnixMillis),
    lookback: Math.ceil(window.endUnixMillis - window.startUnixMillis),
    limit: fields.limit,
  };
}
