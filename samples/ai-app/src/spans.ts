// The one way this sample makes spans: active for the work they wrap, tagged with the code site that produced
// them, failed (status, exception event, error.type) when the work throws, and always ended.

import type { Attributes, Span, SpanKind, Tracer } from '@opentelemetry/api';
import { SpanStatusCode } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE } from '@opentelemetry/semantic-conventions';
import type { CodeSite } from './codeLocation';
import { codeAttributes } from './codeLocation';

export interface SpanSpec {
  readonly name: string;
  readonly kind?: SpanKind;
  readonly site: CodeSite;
  readonly attributes?: Attributes;
}

export function inSpan<T>(tracer: Tracer, spec: SpanSpec, work: (span: Span) => Promise<T>): Promise<T> {
  const attributes = { ...spec.attributes, ...codeAttributes(spec.site) };
  return tracer.startActiveSpan(spec.name, { kind: spec.kind, attributes }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      markFailed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

export function markFailed(span: Span, error: unknown): void {
  const failure = error instanceof Error ? error : new Error(String(error));
  span.recordException(failure);
  span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
  span.setAttribute(ATTR_ERROR_TYPE, failure.name);
}
