import type { TraceBackend } from '../../core/backends/traceBackend';
import type { Span } from '../../core/model/trace';
import type { SlowSpanRef } from '../../core/stats/codeStats';

const MAX_CACHED = 200;
const MAX_MESSAGE_CHARS = 500;

/** The error message of a span: its status message, else the message of its last exception event. */
export function errorMessageOf(span: Span): string | undefined {
  if (span.status.message !== undefined && span.status.message !== '') return span.status.message;
  for (let i = span.events.length - 1; i >= 0; i--) {
    const event = span.events[i];
    if (event.name !== 'exception') continue;
    const type = event.attributes.find((attribute) => attribute.key === 'exception.type')?.value;
    const message = event.attributes.find((attribute) => attribute.key === 'exception.message')?.value;
    const text = message?.type === 'string' ? message.value : undefined;
    const prefix = type?.type === 'string' ? `${type.value}: ` : '';
    if (text !== undefined || prefix !== '') return `${prefix}${text ?? ''}`.replace(/: $/, '');
  }
  return undefined;
}

/**
 * Error messages of spans, fetched one trace at a time when a hover asks and kept, since a span's message
 * never changes. A failed or cancelled fetch is not kept, so the next hover tries again.
 */
export class ErrorMessages {
  private readonly known = new Map<string, string | undefined>();

  cached(ref: SlowSpanRef): { message: string | undefined } | undefined {
    const key = `${ref.traceId}:${ref.spanId}`;
    return this.known.has(key) ? { message: this.known.get(key) } : undefined;
  }

  /**
   * The message, or undefined when the span has none; rejects when the trace cannot be fetched in time or
   * there is no backend to fetch it from.
   */
  async fetch(backend: TraceBackend | undefined, ref: SlowSpanRef, signal: AbortSignal): Promise<string | undefined> {
    const cached = this.cached(ref);
    if (cached !== undefined) return cached.message;
    if (backend === undefined) throw new Error('the backend of these statistics is no longer configured');
    const fetched = await backend.getTrace(ref.traceId, {
      signal,
      startUnixMillis: ref.startUnixMillis - 60_000,
      endUnixMillis: ref.startUnixMillis + 60_000 + Math.ceil(ref.durationNano / 1e6),
    });
    const span = fetched.trace.spans.find((candidate) => candidate.spanId === ref.spanId);
    const message = span === undefined ? undefined : errorMessageOf(span);
    const shortened = message !== undefined && message.length > MAX_MESSAGE_CHARS ? `${message.slice(0, MAX_MESSAGE_CHARS)}…` : message;
    this.known.set(`${ref.traceId}:${ref.spanId}`, shortened);
    if (this.known.size > MAX_CACHED) this.known.delete(this.known.keys().next().value as string);
    return shortened;
  }
}
