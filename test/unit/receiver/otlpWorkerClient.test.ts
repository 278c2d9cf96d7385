import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { ProcessorBusyError, ProcessorFailedError } from '../../../src/core/otlpWorker/otlpProcessor';
import { OtlpWorkerClient } from '../../../src/core/otlpWorker/otlpWorkerClient';
import { parseFramedRecord } from '../../../src/core/store/spanRecord';
import { otlpRequestText, traceIdOf } from '../../support/otlpRequests';
import { TEST_WORKER_PATH } from '../../support/receiverHarness';

const FORMAT = { encoding: 'json', compression: 'none' } as const;

function job(trace: number): { body: Uint8Array; format: typeof FORMAT; maxDecompressedBytes: number } {
  return { body: new Uint8Array(Buffer.from(otlpRequestText([{ trace, spans: 3 }]))), format: FORMAT, maxDecompressedBytes: 1 << 20 };
}

describe('OtlpWorkerClient', function () {
  this.timeout(20_000);

  it('decodes on the worker, transfers the body there and the record back', async () => {
    const client = new OtlpWorkerClient({ workerPath: TEST_WORKER_PATH });
    try {
      const input = job(1);
      const result = await client.ingest(input);
      assert.equal(input.body.byteLength, 0, 'the body was not transferred');
      assert.ok(result.ok);
      assert.equal(result.acceptedSpans, 3);
      const parsed = parseFramedRecord(result.record ?? assert.fail('no record'));
      assert.equal(parsed.kind, 'spans');
      assert.deepEqual(parsed.kind === 'spans' ? parsed.record.traces.map((trace) => trace.traceId) : [], [traceIdOf(1)]);
      const decoded = await client.decode({ traceId: traceIdOf(1), bodies: [{ body: parsed.kind === 'spans' ? parsed.record.body() : new Uint8Array(), format: FORMAT }], maxDecompressedBytes: 1 << 20 });
      assert.equal(decoded.trace?.spans.length, 3);
    } finally {
      await client.close();
    }
  });

  it('refuses ingest work past its pending limit instead of queueing it', async () => {
    const client = new OtlpWorkerClient({ workerPath: TEST_WORKER_PATH, maxPendingJobs: 2 });
    try {
      const first = client.ingest(job(1));
      const second = client.ingest(job(2));
      await assert.rejects(client.ingest(job(3)), ProcessorBusyError);
      assert.ok((await first).ok);
      assert.ok((await second).ok);
      assert.equal(client.pendingJobs, 0);
      assert.ok((await client.ingest(job(4))).ok);
    } finally {
      await client.close();
    }
  });

  it('fails the jobs of a worker that dies, and starts a new one for the next job', async () => {
    const client = new OtlpWorkerClient({ workerPath: join(__dirname, '../../support/exitingWorker.mjs') });
    try {
      await assert.rejects(client.ingest(job(1)), (error: unknown) => error instanceof ProcessorFailedError && /exit code 3/.test(error.message));
      await assert.rejects(client.ingest(job(2)), ProcessorFailedError);
    } finally {
      await client.close();
    }
    await assert.rejects(client.ingest(job(3)), /stopped/);
  });
});
