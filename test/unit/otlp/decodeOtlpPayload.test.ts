import { strict as assert } from 'node:assert';
import { deflateSync, gzipSync } from 'node:zlib';
import { Writer } from 'protobufjs/minimal';
import { decodeOtlpPayload } from '../../../src/core/otlp/decodeOtlpPayload';
import type { PayloadFormat } from '../../../src/core/otlp/decodeOtlpPayload';
import { int64ToDecimal, uint64ToDecimal } from '../../../src/core/otlp/otlpProtobuf';
import { OtlpPayloadError } from '../../../src/core/otlp/otlpPayloadError';
import { decodeRpcStatus, encodeRpcStatus } from '../../../src/core/otlp/rpcStatus';
import { otlpJsonToProtobuf } from '../../support/otlpProtoRequests';
import { otlpRequest, traceIdOf } from '../../support/otlpRequests';

const PROTO: PayloadFormat = { encoding: 'protobuf', compression: 'none' };
const JSON_FORMAT: PayloadFormat = { encoding: 'json', compression: 'none' };
const LIMITS = { maxDecompressedBytes: 1 << 20 };

const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const SPAN_ID = 'eee19b7ec3c1b174';

/** One span carrying every AnyValue type, as OTLP/JSON. */
function richRequest(): object {
  const value = (v: object): object => v;
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'rich' } }] },
        scopeSpans: [
          {
            scope: { name: 'lib', version: '2.0.0', attributes: [{ key: 'scope.attr', value: { boolValue: true } }] },
            spans: [
              {
                traceId: TRACE_ID,
                spanId: SPAN_ID,
                traceState: 'a=b',
                name: 'every type',
                kind: 3,
                startTimeUnixNano: '18446744073709551000',
                endTimeUnixNano: '18446744073709551615',
                attributes: [
                  { key: 'string', value: value({ stringValue: 'text' }) },
                  { key: 'empty string', value: value({ stringValue: '' }) },
                  { key: 'int max', value: value({ intValue: '9223372036854775807' }) },
                  { key: 'int min', value: value({ intValue: '-9223372036854775808' }) },
                  { key: 'int small negative', value: value({ intValue: '-5' }) },
                  { key: 'double', value: value({ doubleValue: 2.5 }) },
                  { key: 'bool', value: value({ boolValue: false }) },
                  { key: 'bytes', value: value({ bytesValue: 'AAEC/w==' }) },
                  { key: 'array', value: value({ arrayValue: { values: [{ intValue: '1' }, { stringValue: 'two' }, {}] } }) },
                  { key: 'map', value: value({ kvlistValue: { values: [{ key: 'inner', value: { arrayValue: { values: [{ boolValue: true }] } } }] } }) },
                  { key: 'unset', value: value({}) },
                ],
                events: [{ timeUnixNano: '18446744073709551001', name: 'e', attributes: [{ key: 'k', value: { doubleValue: -0.5 } }] }],
                links: [{ traceId: TRACE_ID, spanId: 'aaaaaaaaaaaaaaaa', traceState: 'x=y', attributes: [] }],
                status: { code: 2, message: 'boom' },
              },
            ],
          },
        ],
      },
    ],
  };
}

describe('decodeOtlpPayload', () => {
  it('reads the same spans from protobuf and JSON, every value type exactly', () => {
    const fromJson = decodeOtlpPayload(Buffer.from(JSON.stringify(richRequest())), JSON_FORMAT, LIMITS);
    const fromProto = decodeOtlpPayload(otlpJsonToProtobuf(richRequest()), PROTO, LIMITS);
    assert.deepEqual(fromProto, fromJson);
    const [span] = fromProto.traces[0].spans;
    assert.equal(span.startTimeUnixNano, 18446744073709551000n);
    assert.equal(span.durationNano, 615n);
    assert.equal(span.kind, 'client');
    assert.deepEqual(span.status, { code: 'error', message: 'boom' });
    const values = Object.fromEntries(span.attributes.map((attribute) => [attribute.key, attribute.value]));
    assert.deepEqual(values['int max'], { type: 'int', value: '9223372036854775807' });
    assert.deepEqual(values['int min'], { type: 'int', value: '-9223372036854775808' });
    assert.deepEqual(values['int small negative'], { type: 'int', value: '-5' });
    assert.deepEqual(values.bytes, { type: 'bytes', value: 'AAEC/w==' });
    assert.deepEqual(values['empty string'], { type: 'string', value: '' });
    assert.deepEqual(values.unset, { type: 'empty', value: null });
    assert.deepEqual(values.map, { type: 'map', value: [{ key: 'inner', value: { type: 'array', value: [{ type: 'bool', value: true }] } }] });
    assert.deepEqual(span.links, [{ traceId: TRACE_ID, spanId: 'aaaaaaaaaaaaaaaa', traceState: 'x=y', attributes: [] }]);
    assert.deepEqual(span.scope, { name: 'lib', version: '2.0.0', attributes: [{ key: 'scope.attr', value: { type: 'bool', value: true } }] });
    assert.deepEqual(fromProto.warnings, []);
  });

  it('inflates gzip and deflate bodies, and refuses to inflate past the limit', () => {
    const text = Buffer.from(JSON.stringify(otlpRequest([{ trace: 1, spans: 2 }])));
    assert.equal(decodeOtlpPayload(gzipSync(text), { encoding: 'json', compression: 'gzip' }, LIMITS).traces[0].spans.length, 2);
    assert.equal(decodeOtlpPayload(deflateSync(text), { encoding: 'json', compression: 'deflate' }, LIMITS).traces[0].spans.length, 2);
    assert.throws(
      () => decodeOtlpPayload(gzipSync(Buffer.alloc(4 << 20)), { encoding: 'json', compression: 'gzip' }, LIMITS),
      (error: unknown) => error instanceof OtlpPayloadError && error.kind === 'tooLarge',
    );
    assert.throws(
      () => decodeOtlpPayload(Buffer.from('not gzip at all'), { encoding: 'json', compression: 'gzip' }, LIMITS),
      (error: unknown) => error instanceof OtlpPayloadError && error.kind === 'malformed' && /not valid gzip data/.test(error.message),
    );
  });

  it('rejects single spans without usable IDs or times, and keeps the rest', () => {
    const doc = otlpRequest([{ trace: 1, spans: 4 }]) as { resourceSpans: { scopeSpans: { spans: Record<string, unknown>[] }[] }[] };
    const spans = doc.resourceSpans[0].scopeSpans[0].spans;
    spans[0].traceId = '00000000000000000000000000000000';
    spans[1].startTimeUnixNano = 'soon';
    delete spans[2].spanId;
    const decoded = decodeOtlpPayload(Buffer.from(JSON.stringify(doc)), JSON_FORMAT, LIMITS);
    assert.equal(decoded.rejectedSpans, 3);
    assert.equal(decoded.firstRejection, 'resourceSpans[0].scopeSpans[0].spans[0] has no valid "traceId"');
    assert.equal(decoded.traces[0].spans.length, 1);
  });

  it('reads only the spans of one trace when asked', () => {
    const body = otlpJsonToProtobuf(otlpRequest([{ trace: 1, spans: 2 }, { trace: 2, spans: 3 }]));
    const decoded = decodeOtlpPayload(body, PROTO, { ...LIMITS, onlyTraceId: traceIdOf(2) });
    assert.deepEqual(decoded.traces.map((trace) => [trace.traceId, trace.spans.length]), [[traceIdOf(2), 3]]);
    assert.equal(decoded.rejectedSpans, 0);
  });

  it('reports absurdly nested protobuf values as malformed instead of overflowing the stack', () => {
    // KeyValue{key, value: AnyValue{arrayValue: ArrayValue{values: [AnyValue{…}]}}} nested 20,000 deep, past the stack.
    const writer = Writer.create();
    writer.uint32(10).fork(); // ExportTraceServiceRequest.resourceSpans
    writer.uint32(10).fork(); // ResourceSpans.resource
    writer.uint32(10).fork(); // Resource.attributes
    writer.uint32(10).string('deep');
    writer.uint32(18).fork(); // KeyValue.value
    const depth = 20_000;
    for (let i = 0; i < depth; i++) writer.uint32(42).fork().uint32(10).fork(); // arrayValue, values
    for (let i = 0; i < depth * 2 + 4; i++) writer.ldelim();
    assert.throws(
      () => decodeOtlpPayload(writer.finish(), PROTO, { maxDecompressedBytes: 1 << 24 }),
      (error: unknown) => error instanceof OtlpPayloadError && error.kind === 'malformed' && /nests messages too deeply/.test(error.message),
    );
  });

  it('cuts nested attribute values at the parser’s depth with a warning', () => {
    let value: object = { stringValue: 'bottom' };
    for (let i = 0; i < 40; i++) value = { arrayValue: { values: [value] } };
    const doc = otlpRequest([{ trace: 1, spans: 1 }]) as { resourceSpans: { scopeSpans: { spans: { attributes: unknown[] }[] }[] }[] };
    doc.resourceSpans[0].scopeSpans[0].spans[0].attributes.push({ key: 'deep', value });
    const decoded = decodeOtlpPayload(otlpJsonToProtobuf(doc), PROTO, LIMITS);
    assert.match(decoded.warnings.join('\n'), /nested deeper than 32 levels/);
  });

  it('turns protobuf int64 halves into exact decimal text', () => {
    assert.equal(uint64ToDecimal({ low: -1, high: -1 }), '18446744073709551615');
    assert.equal(uint64ToDecimal({ low: 5, high: 0x1fffff }), String(0x1fffff * 2 ** 32 + 5));
    assert.equal(int64ToDecimal({ low: -1, high: -1 }), '-1');
    assert.equal(int64ToDecimal({ low: 0, high: -0x80000000 }), '-9223372036854775808');
    assert.equal(int64ToDecimal(42), '42');
  });

  it('encodes and decodes google.rpc.Status', () => {
    assert.deepEqual(decodeRpcStatus(encodeRpcStatus({ code: 3, message: 'bad' })), { code: 3, message: 'bad' });
    assert.equal(Buffer.from(encodeRpcStatus({ code: 3, message: 'bad' })).toString('hex'), '08031203626164');
  });
});
