// Small OTLP/JSON ExportTraceServiceRequests with predictable IDs and times, for receiver and store tests.

export interface RequestShape {
  /** Index that makes the trace ID unique (trace IDs are `trace` in hex, padded to 32 digits). */
  readonly trace: number;
  readonly spans: number;
  readonly service?: string;
  /** Start of the first span, Unix ms; spans follow 1 ms apart. */
  readonly startUnixMillis?: number;
  /** Span attributes added to every span. */
  readonly attributes?: Readonly<Record<string, string>>;
  /** Characters of filler in one attribute per span, to make records bigger. */
  readonly padding?: number;
}

export const TEST_START_MILLIS = 1_760_000_000_000;

export function traceIdOf(trace: number): string {
  return (trace + 1).toString(16).padStart(32, '0');
}

export function spanIdOf(trace: number, span: number): string {
  return ((trace + 1) * 4096 + span + 1).toString(16).padStart(16, '0');
}

export function otlpRequest(shapes: readonly RequestShape[]): { resourceSpans: unknown[] } {
  return {
    resourceSpans: shapes.map((shape) => {
      const start = BigInt(shape.startUnixMillis ?? TEST_START_MILLIS) * 1_000_000n;
      return {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: shape.service ?? 'shop' } }] },
        scopeSpans: [
          {
            scope: { name: 'test' },
            spans: Array.from({ length: shape.spans }, (_, i) => ({
              traceId: traceIdOf(shape.trace),
              spanId: spanIdOf(shape.trace, i),
              parentSpanId: i === 0 ? undefined : spanIdOf(shape.trace, 0),
              name: i === 0 ? 'GET /cart' : `step ${i}`,
              kind: i === 0 ? 2 : 1,
              startTimeUnixNano: String(start + BigInt(i) * 1_000_000n),
              endTimeUnixNano: String(start + BigInt(i) * 1_000_000n + 500_000n),
              attributes: [
                ...Object.entries(shape.attributes ?? {}).map(([key, value]) => ({ key, value: { stringValue: value } })),
                ...(shape.padding === undefined ? [] : [{ key: 'padding', value: { stringValue: 'x'.repeat(shape.padding) } }]),
              ],
            })),
          },
        ],
      };
    }),
  };
}

export function otlpRequestText(shapes: readonly RequestShape[]): string {
  return JSON.stringify(otlpRequest(shapes));
}
