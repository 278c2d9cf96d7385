import { strict as assert } from 'node:assert';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { InProcessOtlpProcessor } from '../../../src/core/otlpWorker/otlpProcessor';
import { otlpEnvironment } from '../../../src/core/receiver/otlpEnvironment';
import { OtlpReceiver } from '../../../src/core/receiver/otlpReceiver';
import { ReceiverError } from '../../../src/core/receiver/receiverError';
import { LocalTraceStore } from '../../../src/core/store/localTraceStore';
import { otlpRequestText, traceIdOf } from '../../support/otlpRequests';
import { sendRaw } from '../../support/rawHttp';

async function occupyPort(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

async function startFailure(receiver: OtlpReceiver): Promise<ReceiverError> {
  try {
    await receiver.start();
  } catch (error) {
    assert.ok(error instanceof ReceiverError, `expected a ReceiverError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected start() to fail');
}

describe('OtlpReceiver lifecycle', () => {
  let store: LocalTraceStore;
  const processor = new InProcessOtlpProcessor();

  beforeEach(async () => {
    store = await LocalTraceStore.open();
  });

  afterEach(async () => {
    await store.close();
  });

  it('reports a taken HTTP port as portInUse, with the port, and leaves nothing listening', async () => {
    const taken = await occupyPort();
    try {
      const receiver = new OtlpReceiver({ sink: store, processor, httpPort: taken.port, grpcPort: null });
      const error = await startFailure(receiver);
      assert.equal(error.kind, 'portInUse');
      assert.equal(error.protocol, 'http');
      assert.equal(error.port, taken.port);
      assert.match(error.message, new RegExp(`Port ${taken.port} is already in use`));
      assert.equal(receiver.running, false);
    } finally {
      taken.server.close();
    }
  });

  it('reports a taken gRPC port as portInUse and closes the HTTP server it had started', async () => {
    const taken = await occupyPort();
    const free = await occupyPort();
    free.server.close();
    try {
      const receiver = new OtlpReceiver({ sink: store, processor, httpPort: free.port, grpcPort: taken.port });
      const error = await startFailure(receiver);
      assert.equal(error.kind, 'portInUse');
      assert.equal(error.protocol, 'grpc');
      assert.equal(error.port, taken.port);
      // The HTTP port is free again.
      const again = new OtlpReceiver({ sink: store, processor, httpPort: free.port, grpcPort: null });
      await again.start();
      await again.stop();
    } finally {
      taken.server.close();
    }
  });

  it('reports a bind address that is not this machine’s as addressUnavailable', async () => {
    const receiver = new OtlpReceiver({ sink: store, processor, host: '192.0.2.1', httpPort: 0, grpcPort: null });
    const error = await startFailure(receiver);
    assert.equal(error.kind, 'addressUnavailable');
  });

  it('rejects impossible ports before listening', () => {
    assert.throws(() => new OtlpReceiver({ sink: store, processor, httpPort: 70_000 }), (error: unknown) => error instanceof ReceiverError && error.kind === 'invalidOptions');
  });

  it('serves, counts, stops and frees its port, and gives the SDK environment', async () => {
    const receiver = new OtlpReceiver({ sink: store, processor, httpPort: 0, grpcPort: 0 });
    const addresses = await receiver.start();
    assert.equal(addresses.http?.host, '127.0.0.1');
    assert.match(addresses.http?.url ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await sendRaw(addresses.http?.url ?? '', { headers: { 'content-type': 'application/json' }, body: Buffer.from(otlpRequestText([{ trace: 1, spans: 4 }])) });
    assert.equal(response.status, 200);
    assert.deepEqual(receiver.stats(), { requests: 1, acceptedSpans: 4, rejectedSpans: 0, refusedRequests: 0, deferredRequests: 0 });
    assert.ok(store.hasTrace(traceIdOf(1)));
    assert.deepEqual(otlpEnvironment(addresses, 'grpc'), {
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_ENDPOINT: addresses.grpc?.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
    });
    await receiver.stop();
    assert.equal(receiver.running, false);
    const port = addresses.http?.port ?? 0;
    const reuse = new OtlpReceiver({ sink: store, processor, httpPort: port, grpcPort: null });
    await reuse.start();
    await reuse.stop();
  });
});
