// Spans made by the real OpenTelemetry JS SDK and exported by a real OTLP exporter, with an in-memory copy
// of what the SDK handed over, to compare against what arrived.

import { context, createTraceState, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { HrTime } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

export const SDK_SERVICE = 'checkout';
export const SDK_SCOPE = { name: 'spanlens-test-scope', version: '0.9.1' };

/** A start time with nanoseconds that a float64 could not hold. */
const BASE_SECONDS = 1_760_000_000;

function at(offsetNanos: number): HrTime {
  return [BASE_SECONDS + Math.floor(offsetNanos / 1e9), 123_456_789 + (offsetNanos % 1e9)];
}

/**
 * Exports one trace of five spans (every span kind, attributes of every type, events, a link with a trace
 * state, an error status, code attributes) through `exporter`; returns what the SDK exported.
 */
export async function exportSdkSpans(exporter: SpanExporter, batch = true): Promise<ReadableSpan[]> {
  const memory = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      'service.name': SDK_SERVICE,
      'service.version': '1.4.2',
      'deployment.environment.name': 'test',
      'process.pid': 4242,
    }),
    spanProcessors: [new SimpleSpanProcessor(memory), batch ? new BatchSpanProcessor(exporter) : new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer(SDK_SCOPE.name, SDK_SCOPE.version);
  const linked = trace.wrapSpanContext({
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    traceFlags: 1,
    traceState: createTraceState('vendor=value,other=2'),
  });

  const root = tracer.startSpan(
    'POST /api/checkout',
    {
      kind: SpanKind.SERVER,
      startTime: at(0),
      attributes: {
        'http.request.method': 'POST',
        'http.response.status_code': 200,
        'big.int': 2 ** 40 + 7,
        'negative.int': -42,
        'ratio': 0.125,
        'cache.hit': true,
        'tags': ['a', 'b', ''],
        'counts': [1, 2, 3],
        'weights': [0.5, 1.5],
        'flags': [true, false],
        'empty.string': '',
        'unicode': 'grüße ✓ 日本',
      },
      links: [{ context: linked.spanContext(), attributes: { 'link.reason': 'retry-of', 'link.attempt': 2 } }],
    },
    context.active(),
  );
  const rootContext = trace.setSpan(context.active(), root);

  const client = tracer.startSpan('SELECT orders', { kind: SpanKind.CLIENT, startTime: at(1_000_001) }, rootContext);
  client.setAttributes({ 'db.system': 'postgresql', 'code.function.name': 'orders.Repository.find', 'code.file.path': '/srv/app/orders/repository.ts', 'code.line.number': 88 });
  client.addEvent('rows fetched', { 'db.rows': 12, 'db.cursor': 'c-1' }, at(2_500_003));
  client.addEvent('no attributes', at(2_600_004));
  client.setStatus({ code: SpanStatusCode.ERROR, message: 'deadline exceeded' });
  client.end(at(3_000_007));

  const internal = tracer.startSpan('compute total', { kind: SpanKind.INTERNAL, startTime: at(3_100_000), attributes: { 'code.function': 'total', 'code.namespace': 'pricing', 'code.filepath': 'pricing.py', 'code.lineno': 12 } }, rootContext);
  internal.setStatus({ code: SpanStatusCode.OK });
  internal.end(at(4_000_000));

  const producer = tracer.startSpan('publish order', { kind: SpanKind.PRODUCER, startTime: at(4_100_000) }, rootContext);
  producer.end(at(4_200_000));
  const consumer = tracer.startSpan('consume order', { kind: SpanKind.CONSUMER, startTime: at(4_300_000) }, trace.setSpan(context.active(), producer));
  consumer.end(at(5_000_000));

  root.end(at(9_999_999));
  await provider.forceFlush();
  // The in-memory exporter forgets its spans on shutdown.
  const spans = memory.getFinishedSpans();
  await provider.shutdown();
  return spans;
}

export function hrTimeToNano(time: HrTime): bigint {
  return BigInt(time[0]) * 1_000_000_000n + BigInt(time[1]);
}
