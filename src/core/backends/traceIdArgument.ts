// Trace IDs handed to a client are checked before anything is sent.

import { BackendError } from './backendError';
import { parseTraceIdInput } from './traceIdInput';

/** The ID as 32 lowercase hex digits; `invalidInput` if it is not a trace ID. */
export function requireTraceId(traceId: string): string {
  const result = parseTraceIdInput(traceId);
  if (!result.ok) throw new BackendError('invalidInput', result.message);
  return result.traceId;
}
