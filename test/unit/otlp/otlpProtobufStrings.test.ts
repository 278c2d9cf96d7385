import { strict as assert } from 'node:assert';
import generatedRoot from '@opentelemetry/otlp-transformer/build/src/generated/root';
import { decodeExportTraceRequest } from '../../../src/core/otlp/otlpProtobuf';
import { otlpJsonToProtobuf } from '../../support/otlpProtoRequests';

interface RequestCodec {
  decode(bytes: Uint8Array): unknown;
}

const requestCodec = (generatedRoot as unknown as { opentelemetry: { proto: { collector: { trace: { v1: { ExportTraceServiceRequest: RequestCodec } } } } } })
  .opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

/** protobufjs's own reading of the body, from a plain Buffer: strings by Buffer's decoder, bytes as Buffers. */
function referenceDecode(body: Uint8Array): unknown {
  return requestCodec.decode(Buffer.from(body));
}

/** Messages as comparable data: bytes as hex, int64s as their words. */
function plain(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, function (this: unknown, _key, item: unknown) {
      return item instanceof Uint8Array ? `bytes:${Buffer.from(item).toString('hex')}` : item;
    }),
  ) as unknown;
}

const hex = (byte: number, bytes: number): string => byte.toString(16).padStart(2, '0').repeat(bytes);

/** 16 bytes that agree with ASCII_16 at every byte the slot is picked from, and differ elsewhere. */
const ASCII_16 = 'abcdefghijklmnop';
const NEIGHBOURS_16 = ['aXcdefghijklmnop', 'abcdefghijkl?nop', 'abcdefghi!klmnop', 'a\u00e9defghijklmnop', 'abcdefghijklmnoq'];

function requestWithNames(names: readonly string[], attributeValues: readonly string[]): Uint8Array {
  return otlpJsonToProtobuf({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
        scopeSpans: [
          {
            scope: { name: 'lib' },
            spans: names.map((name, i) => ({
              traceId: hex(i + 1, 16),
              spanId: hex(i + 1, 8),
              name,
              startTimeUnixNano: '1760000000000000000',
              endTimeUnixNano: '1760000000000000500',
              attributes: attributeValues.map((value, k) => ({ key: `key.${k % 3}`, value: { stringValue: value } })),
            })),
          },
        ],
      },
    ],
  });
}

function spanNames(body: Uint8Array): string[] {
  const request = decodeExportTraceRequest(body);
  return request.resourceSpans[0].scopeSpans[0].spans.map((span) => span.name ?? '');
}

describe('decodeExportTraceRequest strings and bytes', () => {
  it('reads the same messages as protobufjs from a Buffer, strings repeated or not', () => {
    const names = [ASCII_16, ...NEIGHBOURS_16, ASCII_16, 'x'.repeat(64), 'x'.repeat(65), 'x'.repeat(63) + 'y', '', 'é', '日本語', '😀 emoji', ASCII_16];
    const values = ['', 'a', 'ab', 'abc', 'abcd', 'abcde', 'tenant-1', 'tenant-2', 'tenant-1', '/app/src/cart/cartController.ts', '/app/src/cart/cartRepository.ts'];
    const body = requestWithNames(names, values);
    for (let pass = 0; pass < 3; pass++) assert.deepEqual(plain(decodeExportTraceRequest(body)), plain(referenceDecode(body)));
    assert.deepEqual(spanNames(body), names);
  });

  it('tells apart texts that agree on the sampled bytes, in every order', () => {
    const texts = [ASCII_16, ...NEIGHBOURS_16, ASCII_16 + 'q', 'aXcdefghijklmnopq'];
    for (let shift = 0; shift < texts.length; shift++) {
      const names = [...texts.slice(shift), ...texts.slice(0, shift), ...texts];
      assert.deepEqual(spanNames(requestWithNames(names, [])), names);
    }
  });

  it('reads invalid UTF-8 as Buffer does, also where valid bytes were read before', () => {
    const valid = requestWithNames([ASCII_16, ASCII_16], []);
    const at = Buffer.from(valid).indexOf(Buffer.from(ASCII_16));
    const invalid = new Uint8Array(valid);
    invalid[at + 1] = 0xff;
    invalid[at + 6] = 0xc3;
    assert.deepEqual(spanNames(valid), [ASCII_16, ASCII_16]);
    const names = spanNames(invalid);
    assert.deepEqual(names, [Buffer.from(invalid.subarray(at, at + 16)).toString('utf8'), ASCII_16]);
    assert.equal(names[0], 'a\ufffdcdef\ufffdhijklmnop');
    assert.deepEqual(plain(decodeExportTraceRequest(invalid)), plain(referenceDecode(invalid)));
  });

  it('gives IDs with their own bytes and length', () => {
    const body = requestWithNames(['a', 'b'], []);
    const spans = decodeExportTraceRequest(body).resourceSpans[0].scopeSpans[0].spans;
    assert.deepEqual(
      spans.map((span) => [Buffer.from(span.traceId ?? new Uint8Array()).toString('hex'), Buffer.from(span.spanId ?? new Uint8Array()).toString('hex')]),
      [
        [hex(1, 16), hex(1, 8)],
        [hex(2, 16), hex(2, 8)],
      ],
    );
    assert.equal(spans[0].parentSpanId, null);
  });

  it('shares one view between spans of a trace that come together, and reads every other 16 bytes as their own', () => {
    const [t1, t2, t3] = [hex(0x11, 16), hex(0x22, 16), hex(0x11, 15) + '12'];
    const bytes16 = { bytesValue: Buffer.from(t1, 'hex').toString('base64') };
    const traces = [t1, t1, t2, t1, t1, t3, t3];
    const body = otlpJsonToProtobuf({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: traces.map((traceId, i) => ({
                traceId,
                spanId: hex(i + 1, 8),
                attributes: i === 1 ? [{ key: 'same.bytes', value: bytes16 }] : [],
                links: i === 3 ? [{ traceId: t2, spanId: hex(9, 8) }] : [],
              })),
            },
          ],
        },
      ],
    });
    const spans = decodeExportTraceRequest(body).resourceSpans[0].scopeSpans[0].spans;
    assert.deepEqual(plain(decodeExportTraceRequest(body)), plain(referenceDecode(body)));
    assert.deepEqual(
      spans.map((span) => Buffer.from(span.traceId ?? new Uint8Array()).toString('hex')),
      traces,
    );
    assert.equal(spans[1].traceId, spans[0].traceId);
    assert.equal(spans[6].traceId, spans[5].traceId);
  });
});
