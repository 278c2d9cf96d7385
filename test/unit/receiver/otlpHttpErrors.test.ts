import { strict as assert } from 'node:assert';
import { once } from 'node:events';
import { createGzip, deflateSync, gzipSync } from 'node:zlib';
import { decodeExportTraceResponse } from '../../../src/core/otlp/otlpProtobuf';
import { decodeRpcStatus, RpcCode } from '../../../src/core/otlp/rpcStatus';
import { ProcessorBusyError } from '../../../src/core/otlpWorker/otlpProcessor';
import type { OtlpProcessor } from '../../../src/core/otlpWorker/otlpProcessor';
import { OtlpReceiver } from '../../../src/core/receiver/otlpReceiver';
import { LocalTraceStore } from '../../../src/core/store/localTraceStore';
import { otlpJsonToProtobuf } from '../../support/otlpProtoRequests';
import { otlpRequest, otlpRequestText, spanIdOf, traceIdOf } from '../../support/otlpRequests';
import { sendRaw } from '../../support/rawHttp';
import type { RawResponse } from '../../support/rawHttp';
import { startReceiverHarness } from '../../support/receiverHarness';
import type { ReceiverHarness } from '../../support/receiverHarness';

const MAX_BODY = 256 * 1024;
const MAX_INFLATED = 1024 * 1024;
const JSON_TYPE = { 'content-type': 'application/json' };
const PROTO_TYPE = { 'content-type': 'application/x-protobuf' };

function jsonBody(response: RawResponse): unknown {
  assert.match(String(response.headers['content-type']), /^application\/json/);
  return JSON.parse(response.body.toString('utf8'));
}

/** `bytes` of zeros, gzipped without ever holding them in memory. */
async function gzipBomb(bytes: number): Promise<Buffer> {
  const gzip = createGzip({ level: 9 });
  const chunks: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => chunks.push(chunk));
  const zeros = Buffer.alloc(1024 * 1024);
  for (let written = 0; written < bytes; written += zeros.length) {
    if (!gzip.write(zeros)) await once(gzip, 'drain');
  }
  gzip.end();
  await once(gzip, 'end');
  return Buffer.concat(chunks);
}

describe('OTLP/HTTP receiver: status codes and bad input', function () {
  this.timeout(30_000);
  let harness: ReceiverHarness;
  let url: string;
  let traceCounter = 100;

  before(async () => {
    harness = await startReceiverHarness({ receiver: { grpcPort: null, maxBodyBytes: MAX_BODY, maxDecompressedBytes: MAX_INFLATED } });
    url = harness.addresses.http?.url ?? assert.fail('no HTTP endpoint');
  });

  after(async () => {
    await harness.close();
  });

  /** A good request still works: the receiver keeps serving after whatever came before. */
  async function assertStillServing(): Promise<void> {
    const trace = traceCounter++;
    const response = await sendRaw(url, { headers: JSON_TYPE, body: Buffer.from(otlpRequestText([{ trace, spans: 2 }])) });
    assert.equal(response.status, 200);
    assert.deepEqual(jsonBody(response), {});
    assert.ok(harness.store.hasTrace(traceIdOf(trace)));
  }

  afterEach(async () => {
    await assertStillServing();
  });

  it('answers 200 with {} for JSON and an empty ExportTraceServiceResponse for protobuf', async () => {
    const json = await sendRaw(url, { headers: JSON_TYPE, body: Buffer.from(otlpRequestText([{ trace: 1, spans: 3 }])) });
    assert.equal(json.status, 200);
    assert.deepEqual(jsonBody(json), {});
    const proto = await sendRaw(url, { headers: PROTO_TYPE, body: otlpJsonToProtobuf(otlpRequest([{ trace: 2, spans: 3 }])) });
    assert.equal(proto.status, 200);
    assert.equal(proto.headers['content-type'], 'application/x-protobuf');
    assert.equal(proto.body.length, 0);
    assert.equal(decodeExportTraceResponse(proto.body), undefined);
    assert.ok(harness.store.hasTrace(traceIdOf(1)) && harness.store.hasTrace(traceIdOf(2)));
  });

  it('takes gzip and deflate (zlib or raw) bodies', async () => {
    const text = Buffer.from(otlpRequestText([{ trace: 3, spans: 1 }]));
    for (const [encoding, body] of [['gzip', gzipSync(text)], ['deflate', deflateSync(text)]] as const) {
      const response = await sendRaw(url, { headers: { ...JSON_TYPE, 'content-encoding': encoding }, body });
      assert.equal(response.status, 200, encoding);
    }
    const raw = await sendRaw(url, { headers: { ...PROTO_TYPE, 'content-encoding': 'deflate' }, body: deflateRaw(otlpJsonToProtobuf(otlpRequest([{ trace: 4, spans: 1 }]))) });
    assert.equal(raw.status, 200);
    assert.ok(harness.store.hasTrace(traceIdOf(4)));
  });

  it('answers a partial success when spans are invalid, keeping the valid ones', async () => {
    const doc = otlpRequest([{ trace: 5, spans: 3 }]) as { resourceSpans: { scopeSpans: { spans: { spanId: string }[] }[] }[] };
    doc.resourceSpans[0].scopeSpans[0].spans[1].spanId = 'not-an-id';
    const json = await sendRaw(url, { headers: JSON_TYPE, body: Buffer.from(JSON.stringify(doc)) });
    assert.equal(json.status, 200);
    const partial = (jsonBody(json) as { partialSuccess: { rejectedSpans: string; errorMessage: string } }).partialSuccess;
    assert.equal(partial.rejectedSpans, '1');
    assert.match(partial.errorMessage, /1 span was rejected \(first: resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[1\] has no valid "spanId"\)/);
    const stored = await harness.store.getTrace(traceIdOf(5));
    assert.deepEqual(stored.trace.spans.map((span) => span.spanId).sort(), [spanIdOf(5, 0), spanIdOf(5, 2)]);

    // In protobuf an ID must be exactly 16 / 8 bytes; a 4-byte span ID is rejected.
    const short = otlpRequest([{ trace: 6, spans: 2 }]) as typeof doc;
    short.resourceSpans[0].scopeSpans[0].spans[0].spanId = 'deadbeef';
    const proto = await sendRaw(url, { headers: PROTO_TYPE, body: otlpJsonToProtobuf(short) });
    assert.equal(proto.status, 200);
    const decoded = decodeExportTraceResponse(proto.body);
    assert.equal(decoded?.rejectedSpans, 1);
    assert.match(decoded?.errorMessage ?? '', /no valid "spanId"/);
  });

  it('answers 400 with a google.rpc.Status for malformed protobuf, in protobuf', async () => {
    const response = await sendRaw(url, { headers: PROTO_TYPE, body: Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01]) });
    assert.equal(response.status, 400);
    assert.equal(response.headers['content-type'], 'application/x-protobuf');
    const status = decodeRpcStatus(response.body);
    assert.equal(status.code, RpcCode.INVALID_ARGUMENT);
    assert.match(status.message, /not a protobuf ExportTraceServiceRequest/);
  });

  it('answers 400 for malformed JSON and for JSON that is not OTLP', async () => {
    const broken = await sendRaw(url, { headers: JSON_TYPE, body: Buffer.from('{"resourceSpans": [\n{"resource": }]}') });
    assert.equal(broken.status, 400);
    assert.deepEqual(Object.keys(jsonBody(broken) as object), ['code', 'message']);
    assert.match((jsonBody(broken) as { message: string }).message, /not valid JSON: .* at line 2 column 14/);
    const wrongShape = await sendRaw(url, { headers: JSON_TYPE, body: Buffer.from('{"resourceSpans": 5}') });
    assert.equal(wrongShape.status, 400);
    assert.match((jsonBody(wrongShape) as { message: string }).message, /resourceSpans is not a list/);
  });

  it('answers 415 for other content types and encodings', async () => {
    const refusedBefore = harness.receiver.stats().refusedRequests;
    const text = await sendRaw(url, { headers: { 'content-type': 'text/plain' }, body: Buffer.from('hello') });
    assert.equal(text.status, 415);
    assert.match((jsonBody(text) as { message: string }).message, /Unsupported Content-Type "text\/plain"/);
    const brotli = await sendRaw(url, { headers: { ...PROTO_TYPE, 'content-encoding': 'br' }, body: Buffer.from('x') });
    assert.equal(brotli.status, 415);
    assert.match(decodeRpcStatus(brotli.body).message, /Unsupported Content-Encoding "br"/);
    assert.equal(harness.receiver.stats().refusedRequests, refusedBefore + 2);
  });

  it('answers 404 for other paths and 405 for other methods', async () => {
    const metrics = await sendRaw(url, { path: '/v1/metrics', headers: JSON_TYPE, body: Buffer.from('{}') });
    assert.equal(metrics.status, 404);
    assert.equal((jsonBody(metrics) as { code: number }).code, RpcCode.NOT_FOUND);
    const get = await sendRaw(url, { method: 'GET' });
    assert.equal(get.status, 405);
    assert.equal(get.headers.allow, 'POST');
  });

  it('answers 413 for a body over the limit, declared or chunked', async () => {
    const big = Buffer.alloc(MAX_BODY + 1, 0x20);
    const declared = await sendRaw(url, { headers: JSON_TYPE, body: big });
    assert.equal(declared.status, 413);
    assert.match((jsonBody(declared) as { message: string }).message, /larger than 256 KiB/);
    const chunks = Array.from({ length: 5 }, () => Buffer.alloc(64 * 1024, 0x20));
    const chunked = await sendRaw(url, { headers: JSON_TYPE, body: chunks });
    assert.equal(chunked.status, 413);
  });

  it('answers 413 for a gzip bomb without inflating it', async () => {
    const inflated = 200 * 1024 * 1024;
    const bomb = await gzipBomb(inflated);
    assert.ok(bomb.length < MAX_BODY, `the bomb is ${bomb.length} bytes`);
    const peakBefore = process.resourceUsage().maxRSS;
    const response = await sendRaw(url, { headers: { ...JSON_TYPE, 'content-encoding': 'gzip' }, body: bomb });
    assert.equal(response.status, 413);
    assert.match((jsonBody(response) as { message: string }).message, /inflates to more than 1 MiB/);
    const peakGrowthKib = process.resourceUsage().maxRSS - peakBefore;
    assert.ok(peakGrowthKib < 64 * 1024, `peak memory grew by ${peakGrowthKib} KiB`);
  });

  it('answers a partial success when the store has no room for a request', async () => {
    const small = await LocalTraceStore.open({ maxSpans: 3 });
    const receiver = new OtlpReceiver({ sink: small, processor: harness.worker, httpPort: 0, grpcPort: null });
    const { http } = await receiver.start();
    try {
      const response = await sendRaw(http?.url ?? '', { headers: PROTO_TYPE, body: otlpJsonToProtobuf(otlpRequest([{ trace: 7, spans: 5 }])) });
      assert.equal(response.status, 200);
      const partial = decodeExportTraceResponse(response.body);
      assert.equal(partial?.rejectedSpans, 5);
      assert.match(partial?.errorMessage ?? '', /holds 5 spans; the local store keeps at most 3/);
      assert.equal(small.stats().droppedSpans, 5);
      assert.equal(small.stats().spans, 0);
    } finally {
      await receiver.stop();
      await small.close();
    }
  });

  it('answers 429 with Retry-After while the processor is busy', async () => {
    const busy: OtlpProcessor = {
      ingest: () => Promise.reject(new ProcessorBusyError('64 requests are still being processed')),
      decode: () => Promise.reject(new Error('not used')),
      close: async () => undefined,
    };
    const receiver = new OtlpReceiver({ sink: harness.store, processor: busy, httpPort: 0, grpcPort: null });
    const { http } = await receiver.start();
    try {
      const response = await sendRaw(http?.url ?? '', { headers: JSON_TYPE, body: Buffer.from(otlpRequestText([{ trace: 8, spans: 1 }])) });
      assert.equal(response.status, 429);
      assert.equal(response.headers['retry-after'], '1');
      assert.match((jsonBody(response) as { message: string }).message, /busy/);
    } finally {
      await receiver.stop();
    }
  });
});

function deflateRaw(bytes: Uint8Array): Buffer {
  // zlib's raw deflate: the zlib format without its 2-byte header and 4-byte checksum.
  const wrapped = deflateSync(bytes);
  return wrapped.subarray(2, wrapped.length - 4);
}
