import { strict as assert } from 'node:assert';
import { runIngestJob } from '../../../src/core/otlpWorker/otlpJobs';
import { ByteWriter } from '../../../src/core/store/byteWriter';
import { parseFramedRecord } from '../../../src/core/store/spanRecord';
import type { SpanRecord } from '../../../src/core/store/spanRecord';
import { otlpJsonToProtobuf } from '../../support/otlpProtoRequests';

/** What Buffer's own hex decoding writes into `byteLength` zeroed bytes. */
function bufferHex(hex: string | undefined, byteLength: number): Buffer {
  const expected = Buffer.alloc(byteLength);
  if (hex !== undefined && hex.length === byteLength * 2) expected.write(hex, 0, byteLength, 'hex');
  return expected;
}

function recordOf(doc: object): SpanRecord {
  const result = runIngestJob({ body: otlpJsonToProtobuf(doc), format: { encoding: 'protobuf', compression: 'none' }, maxDecompressedBytes: 1 << 20 });
  assert.ok(result.ok && result.record !== undefined);
  const parsed = parseFramedRecord(result.record);
  return parsed.kind === 'spans' ? parsed.record : assert.fail('not a spans record');
}

const traceHex = (trace: number): string => trace.toString(16).padStart(32, '0');
const spanHex = (span: number): string => span.toString(16).padStart(16, '0');

describe('record writer fast paths', () => {
  it('write short texts as UTF-8 exactly as Buffer does, ASCII or not', () => {
    const texts = ['', 'a', 'GET /cart', 'héllo', '日本語', '😀x', 'x'.repeat(128), 'y'.repeat(129), `${'z'.repeat(127)}é`, '\ud800 lone', 'lone \udc00', '\u007f\u0080'];
    const writer = new ByteWriter(16);
    const lengths = texts.map((text) => writer.utf8(text));
    assert.deepEqual(lengths, texts.map((text) => Buffer.byteLength(text, 'utf8')));
    assert.deepEqual(Buffer.from(writer.written()), Buffer.concat(texts.map((text) => Buffer.from(text, 'utf8'))));
  });

  it('decode hex IDs exactly as Buffer does, up to the first pair that is not hex', () => {
    const ids = [
      '0123456789abcdef0123456789abcdef',
      '0123456789ABCDEF0123456789abcdef',
      '0123456789abcdef0123456789abcdeg',
      'zz23456789abcdef0123456789abcdef',
      '01234567\u0130\u013189abcdef0123456789abcd',
      '0123456789abcdef',
      undefined,
    ];
    const writer = new ByteWriter(16);
    for (const id of ids) writer.hexId(id, 16);
    assert.deepEqual(Buffer.from(writer.written()), Buffer.concat(ids.map((id) => bufferHex(id, 16))));
  });

  it('copy short and long byte strings, growing as needed', () => {
    const short = Uint8Array.from({ length: 16 }, (_, i) => i + 1);
    const long = Uint8Array.from({ length: 100 }, (_, i) => 255 - i);
    const writer = new ByteWriter(16);
    writer.raw(short);
    writer.raw(long);
    const at = writer.claim(4);
    writer.dataView.setUint32(at, 0xdeadbeef, true);
    assert.equal(at, 116);
    assert.deepEqual(Buffer.from(writer.written()), Buffer.concat([short, long, Buffer.from([0xef, 0xbe, 0xad, 0xde])]));
  });

  it('keep rows grouped by trace, traces in first-seen order, whether or not the spans came grouped', () => {
    const span = (trace: number, id: number): object => ({
      traceId: traceHex(trace),
      spanId: spanHex(id),
      name: `op ${id}`,
      startTimeUnixNano: String(1_760_000_000_000_000_000n + BigInt(id) * 1000n),
      endTimeUnixNano: String(1_760_000_000_000_000_000n + BigInt(id) * 1000n + 10n),
    });
    const rowsOf = (record: SpanRecord): { trace: string; spans: string[] }[] =>
      record.traces.map((trace) => ({ trace: trace.traceId, spans: Array.from({ length: trace.rowCount }, (_, i) => record.spanId(trace.firstRow + i)) }));
    const request = (order: [number, number][]): object => ({ resourceSpans: [{ scopeSpans: [{ spans: order.map(([trace, id]) => span(trace, id)) }] }] });
    const expected = [
      { trace: traceHex(3), spans: [spanHex(1), spanHex(4), spanHex(5)] },
      { trace: traceHex(1), spans: [spanHex(2), spanHex(6)] },
      { trace: traceHex(2), spans: [spanHex(3)] },
    ];
    const interleaved = recordOf(request([[3, 1], [1, 2], [2, 3], [3, 4], [3, 5], [1, 6]]));
    assert.deepEqual(rowsOf(interleaved), expected);
    const grouped = recordOf(request([[3, 1], [3, 4], [3, 5], [1, 2], [1, 6], [2, 3]]));
    assert.deepEqual(rowsOf(grouped), expected);
    assert.deepEqual(interleaved.traces.map((trace) => trace.traceId), [traceHex(3), traceHex(1), traceHex(2)]);
  });

  it('name the function of spans named after it and of spans named otherwise', () => {
    const functions = ['Cart.load', 'Cart.load', 'Cart.save', 'Cart.load', undefined, ''];
    const names = ['Cart.load', 'GET /cart', 'Cart.save', 'Cart.save', 'Cart.load', ''];
    const record = recordOf({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: names.map((name, i) => ({
                traceId: traceHex(1),
                spanId: spanHex(i + 1),
                name,
                attributes: functions[i] === undefined ? [] : [{ key: 'code.function.name', value: { stringValue: functions[i] } }],
              })),
            },
          ],
        },
      ],
    });
    assert.deepEqual(names.map((_, row) => [record.name(row), record.codeFunction(row)]), names.map((name, i) => [name, functions[i] || undefined]));
  });
});
