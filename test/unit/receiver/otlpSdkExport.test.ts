import { strict as assert } from 'node:assert';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { AttributeValue, Attributes } from '@opentelemetry/api';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { AnyValue, Attribute, Span } from '../../../src/core/model/trace';
import { OtlpWorkerClient } from '../../../src/core/otlpWorker/otlpWorkerClient';
import { OtlpReceiver } from '../../../src/core/receiver/otlpReceiver';
import type { ExportEvent, ReceiverAddresses } from '../../../src/core/receiver/otlpReceiver';
import { LocalTraceStore } from '../../../src/core/store/localTraceStore';
import { exportSdkSpans, hrTimeToNano, SDK_SCOPE, SDK_SERVICE } from '../../support/otelSdkSpans';
import { TEST_WORKER_PATH } from '../../support/receiverHarness';

const KINDS: Readonly<Record<SpanKind, Span['kind']>> = {
  [SpanKind.INTERNAL]: 'internal',
  [SpanKind.SERVER]: 'server',
  [SpanKind.CLIENT]: 'client',
  [SpanKind.PRODUCER]: 'producer',
  [SpanKind.CONSUMER]: 'consumer',
};

const STATUSES: Readonly<Record<SpanStatusCode, Span['status']['code']>> = {
  [SpanStatusCode.UNSET]: 'unset',
  [SpanStatusCode.OK]: 'ok',
  [SpanStatusCode.ERROR]: 'error',
};

/** What OTLP makes of an SDK attribute value: integers become intValue, other numbers doubleValue. */
function expectedValue(value: AttributeValue | undefined): AnyValue {
  if (Array.isArray(value)) return { type: 'array', value: value.map((item) => expectedValue(item ?? undefined)) };
  switch (typeof value) {
    case 'string':
      return { type: 'string', value };
    case 'boolean':
      return { type: 'bool', value };
    case 'number':
      return Number.isInteger(value) ? { type: 'int', value: String(value) } : { type: 'double', value };
    default:
      return { type: 'empty', value: null };
  }
}

function expectedAttributes(attributes: Attributes): Attribute[] {
  return Object.entries(attributes).map(([key, value]) => ({ key, value: expectedValue(value) }));
}

function byKey(attributes: readonly Attribute[]): Map<string, AnyValue> {
  return new Map(attributes.map((attribute) => [attribute.key, attribute.value]));
}

function assertSpanIntact(actual: Span, expected: ReadableSpan): void {
  const context = expected.spanContext();
  const where = `span "${expected.name}"`;
  assert.equal(actual.traceId, context.traceId, where);
  assert.equal(actual.parentSpanId, expected.parentSpanContext?.spanId, `${where} parent`);
  assert.equal(actual.name, expected.name);
  assert.equal(actual.kind, KINDS[expected.kind], `${where} kind`);
  assert.equal(actual.status.code, STATUSES[expected.status.code], `${where} status`);
  assert.equal(actual.status.message, expected.status.message || undefined, `${where} status message`);
  assert.equal(actual.startTimeUnixNano, hrTimeToNano(expected.startTime), `${where} start`);
  assert.equal(actual.durationNano, hrTimeToNano(expected.endTime) - hrTimeToNano(expected.startTime), `${where} duration`);
  assert.deepEqual(byKey(actual.attributes), byKey(expectedAttributes(expected.attributes)), `${where} attributes`);
  assert.deepEqual(
    actual.events.map((event) => ({ name: event.name, time: event.timeUnixNano, attributes: byKey(event.attributes) })),
    expected.events.map((event) => ({ name: event.name, time: hrTimeToNano(event.time), attributes: byKey(expectedAttributes(event.attributes ?? {})) })),
    `${where} events`,
  );
  assert.deepEqual(
    actual.links.map((link) => ({ traceId: link.traceId, spanId: link.spanId, traceState: link.traceState, attributes: byKey(link.attributes) })),
    expected.links.map((link) => ({
      traceId: link.context.traceId,
      spanId: link.context.spanId,
      traceState: link.context.traceState?.serialize(),
      attributes: byKey(expectedAttributes(link.attributes ?? {})),
    })),
    `${where} links`,
  );
  assert.equal(actual.resource.serviceName, SDK_SERVICE);
  const resource = byKey(actual.resource.attributes);
  for (const [key, value] of Object.entries(expected.resource.attributes)) {
    assert.deepEqual(resource.get(key), expectedValue(value), `${where} resource attribute ${key}`);
  }
  assert.equal(actual.scope.name, SDK_SCOPE.name);
  assert.equal(actual.scope.version, SDK_SCOPE.version);
}

describe('OTLP receiver with the OpenTelemetry JS SDK', function () {
  this.timeout(30_000);
  let worker: OtlpWorkerClient;
  let store: LocalTraceStore;
  let receiver: OtlpReceiver;
  let addresses: ReceiverAddresses;
  const events: ExportEvent[] = [];

  before(async () => {
    worker = new OtlpWorkerClient({ workerPath: TEST_WORKER_PATH });
    store = await LocalTraceStore.open({ decoder: worker });
    receiver = new OtlpReceiver({ sink: store, processor: worker, httpPort: 0, grpcPort: 0 });
    addresses = await receiver.start();
    receiver.onDidExport((event) => events.push(event));
  });

  after(async () => {
    await receiver.stop();
    await store.close();
    await worker.close();
  });

  beforeEach(async () => {
    events.length = 0;
    await store.clear();
  });

  async function exportAndCompare(exporter: SpanExporter, protocol: ExportEvent['protocol'], encoding: ExportEvent['encoding']): Promise<void> {
    const sdkSpans = await exportSdkSpans(exporter);
    assert.equal(sdkSpans.length, 5);
    assert.ok(events.length > 0, 'the receiver saw no export');
    for (const event of events) {
      assert.equal(event.protocol, protocol);
      assert.equal(event.encoding, encoding);
      assert.equal(event.outcome.kind, 'ok');
    }
    const traceId = sdkSpans[0].spanContext().traceId;
    const fetched = await store.getTrace(traceId);
    assert.deepEqual(fetched.warnings, []);
    const stored = new Map(fetched.trace.spans.map((span) => [span.spanId, span]));
    assert.equal(stored.size, sdkSpans.length);
    for (const expected of sdkSpans) {
      const actual = stored.get(expected.spanContext().spanId);
      assert.ok(actual, `span ${expected.name} did not arrive`);
      assertSpanIntact(actual, expected);
    }
    assert.equal(store.stats().spans, 5);
    assert.deepEqual(await store.listServices(), [SDK_SERVICE]);
  }

  it('takes OTLP/HTTP protobuf from the proto exporter', async () => {
    await exportAndCompare(new ProtoExporter({ url: `${addresses.http?.url}/v1/traces` }), 'http', 'protobuf');
  });

  it('takes OTLP/HTTP JSON from the http exporter', async () => {
    await exportAndCompare(new JsonExporter({ url: `${addresses.http?.url}/v1/traces` }), 'http', 'json');
  });

  it('takes OTLP/gRPC from the grpc exporter', async () => {
    await exportAndCompare(new GrpcExporter({ url: addresses.grpc?.url }), 'grpc', 'protobuf');
  });

  it('takes gzip-compressed exports over HTTP and gRPC', async () => {
    const previous = process.env.OTEL_EXPORTER_OTLP_COMPRESSION;
    process.env.OTEL_EXPORTER_OTLP_COMPRESSION = 'gzip';
    try {
      await exportAndCompare(new ProtoExporter({ url: `${addresses.http?.url}/v1/traces` }), 'http', 'protobuf');
      await store.clear();
      events.length = 0;
      await exportAndCompare(new GrpcExporter({ url: addresses.grpc?.url }), 'grpc', 'protobuf');
    } finally {
      if (previous === undefined) delete process.env.OTEL_EXPORTER_OTLP_COMPRESSION;
      else process.env.OTEL_EXPORTER_OTLP_COMPRESSION = previous;
    }
  });

  it('indexes the exported spans by service, span name and code location', async () => {
    const sdkSpans = await exportSdkSpans(new ProtoExporter({ url: `${addresses.http?.url}/v1/traces` }));
    const traceId = sdkSpans[0].spanContext().traceId;
    const operations = await store.listOperations(SDK_SERVICE);
    assert.deepEqual(
      operations.map((operation) => `${operation.spanKind} ${operation.name}`),
      ['server POST /api/checkout', 'client SELECT orders', 'internal compute total', 'consumer consume order', 'producer publish order'],
    );
    const found = await store.searchTraces({ service: SDK_SERVICE, operation: 'SELECT orders', startUnixMillis: 1_759_999_999_000, endUnixMillis: 1_760_000_001_000 });
    assert.deepEqual(found.summaries.map((summary) => summary.traceId), [traceId]);
    const [summary] = found.summaries;
    assert.equal(summary.rootSpanName, 'POST /api/checkout');
    assert.equal(summary.spanCount, 5);
    assert.equal(summary.errorCount, 1);
    assert.equal(summary.durationNano, 9_999_999n);
    assert.deepEqual(summary.matchedSpans.map((span) => span.name), ['SELECT orders']);

    const [repository] = store.findSpansByCode({ functionName: 'orders.Repository.find' });
    assert.equal(repository.filePath, '/srv/app/orders/repository.ts');
    assert.equal(repository.lineNumber, 88);
    assert.equal(repository.durationNano, 2_000_006n);
    assert.equal(repository.status, 'error');
    // Deprecated attribute names map to the same lookups: code.namespace + code.function, code.filepath, code.lineno.
    const [legacy] = store.findSpansByCode({ filePath: 'pricing.py' });
    assert.equal(legacy.functionName, 'pricing.total');
    assert.equal(legacy.lineNumber, 12);
  });
});
