// Realistic OTLP request bodies for the ingest benchmarks: spans made by the OpenTelemetry JS SDK for a
// web service (an HTTP handler, database calls, internal steps; about ten attributes each, code attributes
// on most) and exported by the real protobuf and JSON exporters in batches of 512, captured as they arrive.

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { HrTime } from '@opentelemetry/api';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { createRandom } from '../test/support/traceGenerator';

export interface CapturedBodies {
  readonly protobuf: readonly Buffer[];
  readonly json: readonly Buffer[];
  /** Spans in each list of bodies. */
  readonly spanCount: number;
}

const SPANS_PER_TRACE = 12;
const BATCH_SIZE = 512;

/**
 * Exports about `spanCount` spans (whole traces of 12) through the protobuf exporter and, when `withJson`,
 * the JSON exporter too, and returns the bodies they sent.
 */
export async function captureSdkExports(spanCount: number, withJson: boolean, seed = 7): Promise<CapturedBodies> {
  const bodies = { protobuf: [] as Buffer[], json: [] as Buffer[] };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const isJson = String(request.headers['content-type']).startsWith('application/json');
      (isJson ? bodies.json : bodies.protobuf).push(Buffer.concat(chunks));
      response.writeHead(200, { 'content-type': isJson ? 'application/json' : 'application/x-protobuf' }).end(isJson ? '{}' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`;
  const batchOptions = { maxExportBatchSize: BATCH_SIZE, maxQueueSize: spanCount + BATCH_SIZE, scheduledDelayMillis: 60_000 };
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      'service.name': 'orders-api',
      'service.version': '3.14.1',
      'service.instance.id': 'b1f2c3d4-0000-4000-8000-000000000001',
      'deployment.environment.name': 'staging',
      'host.name': 'ip-10-0-3-17',
      'process.pid': 48211,
      'process.runtime.name': 'nodejs',
      'process.runtime.version': '20.19.0',
    }),
    spanProcessors: [
      new BatchSpanProcessor(new ProtoExporter({ url, concurrencyLimit: 10_000 }), batchOptions),
      ...(withJson ? [new BatchSpanProcessor(new JsonExporter({ url, concurrencyLimit: 10_000 }), batchOptions)] : []),
    ],
  });
  const http = provider.getTracer('@opentelemetry/instrumentation-http', '0.203.0');
  const pg = provider.getTracer('@opentelemetry/instrumentation-pg', '0.55.0');
  const app = provider.getTracer('orders-api', '3.14.1');
  const random = createRandom(seed);
  const int = (low: number, high: number): number => low + Math.floor(random() * (high - low + 1));

  const traces = Math.ceil(spanCount / SPANS_PER_TRACE);
  let clockMicros = 1_760_000_000_000_000;
  const at = (micros: number): HrTime => [Math.floor(micros / 1e6), (micros % 1e6) * 1000 + int(0, 999)];
  for (let t = 0; t < traces; t++) {
    const start = (clockMicros += int(200, 5000));
    const orderId = int(10_000, 99_999);
    const root = http.startSpan('GET /api/orders/:id', {
      kind: SpanKind.SERVER,
      startTime: at(start),
      attributes: {
        'http.request.method': 'GET',
        'http.route': '/api/orders/:id',
        'url.path': `/api/orders/${orderId}`,
        'url.scheme': 'https',
        'server.address': 'orders.internal',
        'server.port': 8443,
        'client.address': `10.0.${int(0, 9)}.${int(1, 254)}`,
        'user_agent.original': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
        'network.protocol.version': '1.1',
        'http.response.status_code': random() < 0.03 ? 500 : 200,
      },
    });
    const rootContext = trace.setSpan(context.active(), root);
    let cursor = start + int(50, 300);
    for (let q = 0; q < 8; q++) {
      const duration = int(200, 4000);
      const query = pg.startSpan(q === 0 ? 'SELECT orders' : 'SELECT order_items', {
        kind: SpanKind.CLIENT,
        startTime: at(cursor),
        attributes: {
          'db.system.name': 'postgresql',
          'db.namespace': 'orders',
          'db.operation.name': 'SELECT',
          'db.collection.name': q === 0 ? 'orders' : 'order_items',
          'db.query.text': q === 0 ? 'SELECT * FROM orders WHERE id = $1' : 'SELECT * FROM order_items WHERE order_id = $1 AND line = $2',
          'server.address': 'db-primary.internal',
          'server.port': 5432,
          'db.response.returned_rows': int(0, 40),
          'code.function.name': q === 0 ? 'OrderRepository.find' : 'OrderRepository.findItems',
          'code.file.path': '/srv/orders-api/src/orders/orderRepository.ts',
          'code.line.number': q === 0 ? 42 : 77,
        },
      }, rootContext);
      if (random() < 0.02) query.setStatus({ code: SpanStatusCode.ERROR, message: 'canceling statement due to statement timeout' });
      query.end(at(cursor + duration));
      cursor += duration + int(10, 200);
    }
    for (const step of ['validateOrder', 'priceOrder', 'renderOrder']) {
      const duration = int(50, 900);
      const span = app.startSpan(step, {
        kind: SpanKind.INTERNAL,
        startTime: at(cursor),
        attributes: {
          'code.function.name': `OrderService.${step}`,
          'code.file.path': '/srv/orders-api/src/orders/orderService.ts',
          'code.line.number': int(20, 400),
          'order.id': orderId,
          'order.items': int(1, 12),
          'order.total': Math.round(random() * 50_000) / 100,
          'order.currency': 'EUR',
          'customer.tier': random() < 0.2 ? 'gold' : 'standard',
          'feature.flags': ['new-pricing', 'fast-render'],
          'cache.hit': random() < 0.6,
        },
      }, rootContext);
      span.end(at(cursor + duration));
      cursor += duration;
    }
    root.end(at(cursor + int(20, 200)));
  }
  await provider.forceFlush();
  await provider.shutdown();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return { ...bodies, spanCount: traces * SPANS_PER_TRACE };
}
