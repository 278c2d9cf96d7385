import { strict as assert } from 'node:assert';
import * as grpc from '@grpc/grpc-js';
import { decodeExportTraceResponse, TRACE_EXPORT_METHOD_PATH } from '../../../src/core/otlp/otlpProtobuf';
import { otlpJsonToProtobuf } from '../../support/otlpProtoRequests';
import { otlpRequest, traceIdOf } from '../../support/otlpRequests';
import { startReceiverHarness } from '../../support/receiverHarness';
import type { ReceiverHarness } from '../../support/receiverHarness';

const MAX_MESSAGE = 64 * 1024;

type ExportReply = { ok: true; response: Buffer } | { ok: false; error: grpc.ServiceError };

describe('OTLP/gRPC receiver', function () {
  this.timeout(20_000);
  let harness: ReceiverHarness;
  let client: grpc.Client;

  before(async () => {
    harness = await startReceiverHarness({ receiver: { httpPort: null, maxDecompressedBytes: MAX_MESSAGE }, store: { maxSpans: 50 } });
    const target = (harness.addresses.grpc?.url ?? assert.fail('no gRPC endpoint')).replace('http://', '');
    client = new grpc.Client(target, grpc.credentials.createInsecure());
  });

  after(async () => {
    client.close();
    await harness.close();
  });

  function callExport(body: Uint8Array): Promise<ExportReply> {
    return new Promise((resolve) => {
      client.makeUnaryRequest(
        TRACE_EXPORT_METHOD_PATH,
        (value: Buffer) => value,
        (bytes: Buffer) => bytes,
        Buffer.from(body),
        (error: grpc.ServiceError | null, response?: Buffer) => resolve(error === null ? { ok: true, response: response ?? Buffer.alloc(0) } : { ok: false, error }),
      );
    });
  }

  async function assertStillServing(trace: number): Promise<void> {
    const reply = await callExport(otlpJsonToProtobuf(otlpRequest([{ trace, spans: 1 }])));
    assert.ok(reply.ok, 'a good export failed');
    assert.ok(harness.store.hasTrace(traceIdOf(trace)));
  }

  it('answers INVALID_ARGUMENT for a message that is not an ExportTraceServiceRequest', async () => {
    const reply = await callExport(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01]));
    assert.ok(!reply.ok);
    assert.equal(reply.error.code, grpc.status.INVALID_ARGUMENT);
    assert.match(reply.error.details, /not a protobuf ExportTraceServiceRequest/);
    await assertStillServing(1);
  });

  it('answers RESOURCE_EXHAUSTED for a message over the limit', async () => {
    const reply = await callExport(otlpJsonToProtobuf(otlpRequest([{ trace: 2, spans: 3, padding: MAX_MESSAGE }])));
    assert.ok(!reply.ok);
    assert.equal(reply.error.code, grpc.status.RESOURCE_EXHAUSTED);
    await assertStillServing(3);
  });

  it('answers a partial success when the store has no room', async () => {
    const reply = await callExport(otlpJsonToProtobuf(otlpRequest([{ trace: 4, spans: 60 }])));
    assert.ok(reply.ok);
    const partial = decodeExportTraceResponse(reply.response);
    assert.equal(partial?.rejectedSpans, 60);
    assert.match(partial?.errorMessage ?? '', /keeps at most 50/);
    await assertStillServing(5);
  });
});
