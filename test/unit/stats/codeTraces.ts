// Small traces with code attributes, written as OTLP JSON (fake Tempo, fake Jaeger api_v3) and as Zipkin v2
// span lists, for the remote statistics tests. The backend fixtures carry no code.* attributes.

export const BASE_UNIX_MILLIS = Date.parse('2026-11-26T11:30:00Z');

export interface CodeSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly service: string;
  readonly name: string;
  /** After BASE_UNIX_MILLIS. */
  readonly startMillis: number;
  readonly durationMillis: number;
  readonly functionName?: string;
  readonly filePath?: string;
  readonly lineNumber?: number;
  readonly error?: boolean;
}

/** Three services; `checkout.Cart.total` runs in two of them; `lib/tax.py:42` names only a file and line. */
export function codeSpans(): CodeSpan[] {
  const spans: CodeSpan[] = [];
  for (let t = 0; t < 12; t++) {
    const traceId = (0xabc000 + t).toString(16).padStart(32, '0');
    const id = (n: number): string => (t * 16 + n).toString(16).padStart(16, '0');
    const start = t * 60_000;
    spans.push({ traceId, spanId: id(1), service: 'frontend', name: 'GET /cart', startMillis: start, durationMillis: 100 + t * 10 });
    spans.push({
      traceId,
      spanId: id(2),
      parentSpanId: id(1),
      service: 'checkout',
      name: 'total',
      startMillis: start + 5,
      durationMillis: 20 + t * 5,
      functionName: 'checkout.Cart.total',
      filePath: '/srv/checkout/cart.py',
      lineNumber: 17,
      error: t % 4 === 3,
    });
    spans.push({
      traceId,
      spanId: id(3),
      parentSpanId: id(2),
      service: 'checkout',
      name: 'tax',
      startMillis: start + 6,
      durationMillis: 3 + t,
      filePath: '/srv/checkout/lib/tax.py',
      lineNumber: 42,
    });
    if (t % 3 === 0) {
      spans.push({
        traceId,
        spanId: id(4),
        parentSpanId: id(1),
        service: 'billing',
        name: 'total',
        startMillis: start + 50,
        durationMillis: 40,
        functionName: 'checkout.Cart.total',
        error: t === 6,
      });
    }
  }
  return spans;
}

function codeAttributes(span: CodeSpan): { key: string; value: Record<string, string> }[] {
  const attributes: { key: string; value: Record<string, string> }[] = [];
  if (span.functionName !== undefined) attributes.push({ key: 'code.function.name', value: { stringValue: span.functionName } });
  if (span.filePath !== undefined) attributes.push({ key: 'code.file.path', value: { stringValue: span.filePath } });
  if (span.lineNumber !== undefined) attributes.push({ key: 'code.line.number', value: { intValue: String(span.lineNumber) } });
  return attributes;
}

function nanos(millisAfterBase: number): string {
  return `${BigInt(BASE_UNIX_MILLIS + millisAfterBase) * 1_000_000n}`;
}

/** One OTLP TracesData document (hex IDs, integer enums) holding every span. */
export function otlpDocument(spans: readonly CodeSpan[]): unknown {
  const services = [...new Set(spans.map((span) => span.service))];
  return {
    resourceSpans: services.map((service) => ({
      resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
      scopeSpans: [
        {
          scope: { name: 'test' },
          spans: spans
            .filter((span) => span.service === service)
            .map((span) => ({
              traceId: span.traceId,
              spanId: span.spanId,
              ...(span.parentSpanId === undefined ? {} : { parentSpanId: span.parentSpanId }),
              name: span.name,
              kind: 1,
              startTimeUnixNano: nanos(span.startMillis),
              endTimeUnixNano: nanos(span.startMillis + span.durationMillis),
              attributes: codeAttributes(span),
              status: span.error === true ? { code: 2, message: 'failed' } : {},
            })),
        },
      ],
    })),
  };
}

/** Zipkin v2 span lists, one per trace. */
export function zipkinLists(spans: readonly CodeSpan[]): unknown[] {
  const traces = new Map<string, CodeSpan[]>();
  for (const span of spans) traces.set(span.traceId, [...(traces.get(span.traceId) ?? []), span]);
  return [...traces.values()].map((list) =>
    list.map((span) => {
      const tags: Record<string, string> = {};
      for (const { key, value } of codeAttributes(span)) tags[key] = value.stringValue ?? value.intValue;
      if (span.error === true) tags.error = 'failed';
      return {
        traceId: span.traceId,
        id: span.spanId,
        ...(span.parentSpanId === undefined ? {} : { parentId: span.parentSpanId }),
        name: span.name,
        timestamp: (BASE_UNIX_MILLIS + span.startMillis) * 1000,
        duration: span.durationMillis * 1000,
        localEndpoint: { serviceName: span.service },
        tags,
      };
    }),
  );
}

/** Nearest-rank quantile (the fake Tempo's): the ⌈q·n⌉-th smallest. */
export function nearestRank(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
