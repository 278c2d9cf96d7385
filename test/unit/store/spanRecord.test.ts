import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import * as zlib from 'node:zlib';
import { runIngestJob } from '../../../src/core/otlpWorker/otlpJobs';
import { crc32, crc32Portable } from '../../../src/core/store/crc32';
import { framedLength, frameRecord, readFrame } from '../../../src/core/store/recordFrame';
import type { FramedRecord } from '../../../src/core/store/recordFrame';
import { FRAME_HEADER_BYTES } from '../../../src/core/store/recordLayout';
import { parseFramedRecord, parseRecord, RecordFormatError } from '../../../src/core/store/spanRecord';
import type { SpanRecord } from '../../../src/core/store/spanRecord';
import { encodeTombstone, MAX_RECORD_TAGS, MAX_RECORD_VALUES_PER_KEY, TAG_SAMPLE_HEAD, TAG_SAMPLE_STRIDE } from '../../../src/core/store/spanRecordWriter';
import { otlpJsonToProtobuf } from '../../support/otlpProtoRequests';
import { otlpRequest, spanIdOf, TEST_START_MILLIS, traceIdOf } from '../../support/otlpRequests';
import type { RequestShape } from '../../support/otlpRequests';

/** Reads the record both ways: as the worker hands it over, and as replay reads it from the log. */
function spansRecord(framed: FramedRecord): SpanRecord {
  const contiguous = Buffer.concat([framed.head, framed.body]);
  const check = readFrame(contiguous, 0);
  assert.ok(check.ok && check.end === contiguous.length, 'the frame does not check out');
  const fromLog = parseRecord(check.payload);
  const parsed = parseFramedRecord(framed);
  assert.deepEqual(fromLog.kind === 'spans' ? fromLog.record.traces : [], parsed.kind === 'spans' ? parsed.record.traces : []);
  assert.equal(parsed.kind, 'spans');
  return parsed.kind === 'spans' ? parsed.record : assert.fail();
}

describe('store records', () => {
  it('index every span of a request and keep the body as it arrived', () => {
    const doc = otlpRequest([{ trace: 1, spans: 3, service: 'api' }, { trace: 2, spans: 1, service: 'db' }]) as {
      resourceSpans: { scopeSpans: { spans: { attributes: unknown[]; status?: object }[] }[] }[];
    };
    const span = doc.resourceSpans[0].scopeSpans[0].spans[1];
    span.attributes.push(
      { key: 'code.function.name', value: { stringValue: 'cart.load' } },
      { key: 'code.file.path', value: { stringValue: '/src/cart.ts' } },
      { key: 'code.line.number', value: { intValue: '17' } },
    );
    span.status = { code: 2 };
    const body = otlpJsonToProtobuf(doc);
    const result = runIngestJob({ body, format: { encoding: 'protobuf', compression: 'none' }, maxDecompressedBytes: 1 << 20 });
    assert.ok(result.ok && result.record !== undefined);
    const record = spansRecord(result.record);

    assert.deepEqual(record.format, { encoding: 'protobuf', compression: 'none' });
    assert.deepEqual(Buffer.from(record.body()), Buffer.from(body));
    assert.equal(record.spanCount, 4);
    assert.equal(record.byteLength, framedLength(result.record));
    const start = BigInt(TEST_START_MILLIS) * 1_000_000n;
    assert.deepEqual(record.traces, [
      { traceId: traceIdOf(1), firstRow: 0, rowCount: 3, startTimeUnixNano: start, endTimeUnixNano: start + 2_500_000n, errorCount: 1 },
      { traceId: traceIdOf(2), firstRow: 3, rowCount: 1, startTimeUnixNano: start, endTimeUnixNano: start + 500_000n, errorCount: 0 },
    ]);
    assert.equal(record.spanId(1), spanIdOf(1, 1));
    assert.equal(record.parentSpanId(0), undefined);
    assert.equal(record.parentSpanId(1), spanIdOf(1, 0));
    assert.equal(record.startTimeUnixNano(1), start + 1_000_000n);
    assert.equal(record.durationNano(1), 500_000);
    assert.deepEqual([record.service(1), record.service(3)], ['api', 'db']);
    assert.deepEqual([record.name(0), record.kind(0), record.kind(1), record.status(1), record.status(0)], ['GET /cart', 'server', 'internal', 'error', 'unset']);
    assert.deepEqual([record.codeFunction(1), record.codeFile(1), record.codeLine(1)], ['cart.load', '/src/cart.ts', 17]);
    assert.deepEqual([record.codeFunction(0), record.codeFile(0), record.codeLine(0)], [undefined, undefined, undefined]);
    const tags = Array.from({ length: record.tagsLength }, (_, i) => record.tag(i));
    assert.deepEqual(tags.filter((tag) => tag.scope === 'resource'), [
      { scope: 'resource', key: 'service.name', value: 'api' },
      { scope: 'resource', key: 'service.name', value: 'db' },
    ]);
    assert.ok(tags.some((tag) => tag.key === 'code.line.number' && tag.value === '17'));
  });

  it('list the attribute values of a sample of the spans, at most MAX_RECORD_VALUES_PER_KEY per key and MAX_RECORD_TAGS in all', () => {
    const ingest = (shapes: RequestShape[]): SpanRecord => {
      const result = runIngestJob({ body: Buffer.from(JSON.stringify(otlpRequest(shapes))), format: { encoding: 'json', compression: 'none' }, maxDecompressedBytes: 1 << 26 });
      assert.ok(result.ok && result.record !== undefined);
      return spansRecord(result.record);
    };
    const oneKey = ingest(Array.from({ length: 200 }, (_, trace) => ({ trace, spans: 1, attributes: { 'request.id': `r-${trace}` } })));
    const tags = Array.from({ length: oneKey.tagsLength }, (_, i) => oneKey.tag(i));
    assert.equal(tags.filter((tag) => tag.key === 'request.id').length, MAX_RECORD_VALUES_PER_KEY);
    assert.equal(oneKey.spanCount, 200);

    // Past the first TAG_SAMPLE_HEAD spans, one span in TAG_SAMPLE_STRIDE has its attributes listed.
    const sampled = ingest(Array.from({ length: 100 }, (_, trace) => ({ trace, spans: 1, attributes: { [`only.in.${trace}`]: 'x' } })));
    const sampledKeys = new Set(Array.from({ length: sampled.tagsLength }, (_, i) => sampled.tag(i).key));
    const expected = Array.from({ length: 100 }, (_, index) => index).filter((index) => index < TAG_SAMPLE_HEAD || index % TAG_SAMPLE_STRIDE === 0);
    assert.deepEqual([...sampledKeys].filter((key) => key.startsWith('only.in.')), expected.map((index) => `only.in.${index}`));

    const attributes = Object.fromEntries(Array.from({ length: 30 }, (_, key) => [`key.${key}`, '']));
    const manyKeys = ingest(Array.from({ length: 60 }, (_, trace) => ({ trace, spans: 1, attributes: Object.fromEntries(Object.keys(attributes).map((key) => [key, `v-${trace}`])) })));
    assert.equal(manyKeys.tagsLength, MAX_RECORD_TAGS);
  });

  it('frame payloads with their length and checksum, and tell torn from corrupt', () => {
    const framed = frameRecord([Buffer.from('hello ')], Buffer.from('world'));
    const frame = Buffer.concat([framed.head, framed.body]);
    const ok = readFrame(frame, 0);
    assert.ok(ok.ok);
    assert.equal(Buffer.from(ok.payload).toString(), 'hello world');
    assert.deepEqual(readFrame(frame.subarray(0, frame.length - 1), 0), { ok: false, problem: 'torn' });
    assert.deepEqual(readFrame(frame.subarray(0, 5), 0), { ok: false, problem: 'torn' });
    const flipped = Uint8Array.from(frame);
    flipped[FRAME_HEADER_BYTES + 2] ^= 1;
    assert.deepEqual(readFrame(flipped, 0), { ok: false, problem: 'corrupt' });
    assert.deepEqual(readFrame(new Uint8Array(16), 0), { ok: false, problem: 'corrupt' });
  });

  it('read tombstones and refuse payloads of unknown versions or kinds', () => {
    const tombstone = parseFramedRecord(encodeTombstone(traceIdOf(7)));
    assert.deepEqual(tombstone, { kind: 'tombstone', traceId: traceIdOf(7) });
    assert.throws(() => parseRecord(Uint8Array.from([1, 9, 0, 0])), RecordFormatError);
    assert.throws(() => parseRecord(Uint8Array.from([7, 1])), RecordFormatError);
    assert.throws(() => parseRecord(Uint8Array.from([1, 1, 0, 0, 255, 255, 255, 255])), RecordFormatError);
  });

  it('compute the CRC-32 zlib computes, with or without zlib.crc32', () => {
    assert.equal(crc32Portable(Buffer.from('123456789')), 0xcbf43926);
    const data = randomBytes(10_000);
    assert.equal(crc32(data), crc32Portable(data));
    const native = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;
    if (native !== undefined) assert.equal(crc32Portable(data), native(data) >>> 0);
  });
});
