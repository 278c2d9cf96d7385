import { strict as assert } from 'node:assert';
import { decodeOtlpPayload } from '../../../src/core/otlp/decodeOtlpPayload';
import { runIngestJob } from '../../../src/core/otlpWorker/otlpJobs';
import type { FramedRecord } from '../../../src/core/store/recordFrame';
import { parseFramedRecord } from '../../../src/core/store/spanRecord';
import type { SpanRecord } from '../../../src/core/store/spanRecord';
import { encodeSpanRecord } from '../../../src/core/store/spanRecordWriter';
import { otlpJsonToProtobuf } from '../../support/otlpProtoRequests';

const FORMAT = { encoding: 'protobuf', compression: 'none' } as const;

function hex(byte: number, bytes: number): string {
  return byte.toString(16).padStart(2, '0').repeat(bytes);
}

type Json = Record<string, unknown>;

function span(trace: number, id: number, fields: Json = {}): Json {
  return {
    traceId: hex(trace, 16),
    spanId: hex(id, 8),
    name: `span ${id}`,
    startTimeUnixNano: String(1_760_000_000_000_000_000n + BigInt(id) * 1000n),
    endTimeUnixNano: String(1_760_000_000_000_000_000n + BigInt(id) * 1000n + 500n),
    ...fields,
  };
}

const str = (key: string, value: string): Json => ({ key, value: { stringValue: value } });
const int = (key: string, value: string): Json => ({ key, value: { intValue: value } });

/** Requests the two indexing paths could read differently if their rules drifted apart. */
const TRICKY = {
  resourceSpans: [
    {
      resource: { attributes: [int('service.name', '7'), str('service.name', 'checkout'), str('host.name', 'h1')] },
      scopeSpans: [
        {
          scope: { name: 'a' },
          spans: [
            span(1, 1, { kind: 2, status: { code: 2, message: 'boom' }, attributes: [str('code.function.name', 'Cart.add'), str('code.file.path', '/cart.ts'), int('code.line.number', '12')] }),
            span(2, 2, { kind: 9, status: { code: 7 }, parentSpanId: '0000000000000000' }),
            span(1, 3, { parentSpanId: hex(1, 8), startTimeUnixNano: undefined }),
            span(1, 4, { parentSpanId: hex(3, 4), endTimeUnixNano: undefined }),
            span(2, 5, { endTimeUnixNano: '1' }),
            span(1, 6, { attributes: [str('code.function', 'total'), str('code.namespace', 'pricing'), str('code.filepath', 'pricing.py'), str('code.lineno', '40')] }),
            span(1, 7, { attributes: [str('code.function', 'bare'), int('code.line.number', '0'), { key: 'ratio', value: { doubleValue: 'NaN' } }, { key: 'ok', value: { boolValue: true } }] }),
            span(3, 8, { traceId: hex(3, 15) }),
            span(3, 9, { spanId: '0000000000000000' }),
            span(1, 10, { parentSpanId: hex(7, 9), attributes: [{ key: 'blob', value: { bytesValue: 'AAE=' } }, { key: 'list', value: { arrayValue: { values: [{ intValue: '1' }] } } }] }),
            span(1, 15, {
              attributes: [
                str('_dd.code_origin.frames.1.file', '/app/other.py'),
                str('_dd.code_origin.frames.0.file', '/app/Handler.java'),
                str('_dd.code_origin.frames.0.line', '42'),
                str('_dd.code_origin.frames.0.method', 'serve'),
                str('_dd.code_origin.frames.0.type', 'com.example.Handler'),
                str('gen_ai.request.model', 'gpt-4o'),
                str('gen_ai.response.model', 'gpt-4o-2024-08-06'),
                int('gen_ai.usage.input_tokens', '120'),
                int('gen_ai.usage.output_tokens', '0'),
              ],
              events: [{ name: 'exception', attributes: [str('exception.stacktrace', 'not kept: the span names a file')] }],
            }),
            span(2, 16, { attributes: [str('code.function.name', 'Job.run'), int('code.column.number', '5'), str('exception.stacktrace', 'attr stack'), str('code.stacktrace', 'code stack'), str('gen_ai.usage.prompt_tokens', '7')] }),
            span(1, 17, {
              attributes: [int('code.column', '8'), int('gen_ai.usage.completion_tokens', '9')],
              events: [
                { name: 'exception', attributes: [str('exception.stacktrace', 'first event'), str('exception.stacktrace', 'second key')] },
                { name: 'log', attributes: [str('exception.stacktrace', 'not an exception event')] },
                { name: 'exception', attributes: [{ key: 'exception.stacktrace', value: { intValue: '3' } }, str('exception.stacktrace', 'last event')] },
              ],
            }),
          ],
        },
      ],
    },
    { resource: { attributes: [str('service.name', '')] }, scopeSpans: [{ spans: [span(2, 11, { kind: 5 })] }] },
    { scopeSpans: [{ spans: [span(4, 12)] }, { scope: { name: 'b' }, spans: [span(1, 13, { status: { code: 1, message: 'fine' } })] }] },
    { resource: { attributes: [str('service.name', 'checkout'), str('host.name', 'h1')] }, scopeSpans: [{ spans: [span(1, 14)] }] },
  ],
};

function recordFrom(framed: FramedRecord | undefined): SpanRecord {
  const parsed = parseFramedRecord(framed ?? assert.fail('no record'));
  return parsed.kind === 'spans' ? parsed.record : assert.fail('not a spans record');
}

function describeRecord(record: SpanRecord): unknown {
  const rows = Array.from({ length: record.spanCount }, (_, row) => ({
    spanId: record.spanId(row),
    parent: record.parentSpanId(row),
    start: record.startTimeUnixNano(row),
    duration: record.durationNano(row),
    service: record.service(row),
    name: record.name(row),
    kind: record.kind(row),
    status: record.status(row),
    code: [record.codeFunction(row), record.codeFile(row), record.codeLine(row)],
    location: record.codeLocation(row),
    genAi: record.genAiUsage(row),
  }));
  const tags = Array.from({ length: record.tagsLength }, (_, i) => JSON.stringify(record.tag(i))).sort();
  return { traces: record.traces, rows, tags, format: record.format };
}

describe('protobuf records indexed from the decoded messages', () => {
  it('hold the same rows, traces and tags as records built from the parsed model', () => {
    const body = otlpJsonToProtobuf(TRICKY);
    const direct = runIngestJob({ body, format: FORMAT, maxDecompressedBytes: 1 << 20 });
    assert.ok(direct.ok);
    const parsed = decodeOtlpPayload(body, FORMAT, { maxDecompressedBytes: 1 << 20 });
    assert.equal(direct.rejectedSpans, parsed.rejectedSpans);
    assert.equal(direct.rejectedSpans, 2);
    assert.match(direct.rejection ?? '', /2 spans were rejected \(first: resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[7\] has no valid "traceId"\)/);
    assert.equal(direct.acceptedSpans, 15);

    const fromMessages = describeRecord(recordFrom(direct.record));
    const fromModel = describeRecord(recordFrom(encodeSpanRecord(parsed.traces, body, FORMAT)));
    assert.deepEqual(fromMessages, fromModel);

    // Spot checks that the shared rules did what they say.
    const record = recordFrom(direct.record);
    const rows = new Map(Array.from({ length: record.spanCount }, (_, row) => [record.spanId(row), row]));
    const row = (id: number): number => rows.get(hex(id, 8)) ?? assert.fail(`no row for span ${id}`);
    assert.equal(record.service(row(1)), 'checkout');
    assert.equal(record.service(row(11)), 'unknown_service');
    assert.equal(record.service(row(12)), 'unknown_service');
    assert.deepEqual([record.kind(row(2)), record.status(row(2))], ['unspecified', 'unset']);
    assert.equal(record.parentSpanId(row(2)), undefined);
    assert.equal(record.parentSpanId(row(4)), `00000000${hex(3, 4)}`);
    assert.equal(record.parentSpanId(row(10)), undefined);
    assert.deepEqual([record.durationNano(row(4)), record.durationNano(row(5))], [0, 0]);
    assert.equal(record.startTimeUnixNano(row(3)), 0n);
    assert.deepEqual([record.codeFunction(row(6)), record.codeFile(row(6)), record.codeLine(row(6))], ['pricing.total', 'pricing.py', 40]);
    assert.deepEqual([record.codeFunction(row(7)), record.codeLine(row(7))], ['bare', undefined]);
    assert.deepEqual(record.codeLocation(row(1)), {
      functionName: 'Cart.add',
      filePath: '/cart.ts',
      lineNumber: 12,
      columnNumber: undefined,
      stackTrace: undefined,
      fileOrigin: 'code',
    });
    assert.deepEqual(record.codeLocation(row(15)), {
      functionName: 'com.example.Handler.serve',
      filePath: '/app/Handler.java',
      lineNumber: 42,
      columnNumber: undefined,
      stackTrace: undefined,
      fileOrigin: 'datadog',
    });
    assert.deepEqual(record.genAiUsage(row(15)), { model: 'gpt-4o-2024-08-06', inputTokens: 120, outputTokens: 0 });
    assert.deepEqual(record.codeLocation(row(16)), {
      functionName: 'Job.run',
      filePath: undefined,
      lineNumber: undefined,
      columnNumber: 5,
      stackTrace: 'code stack',
      fileOrigin: undefined,
    });
    assert.deepEqual(record.genAiUsage(row(16)), { model: undefined, inputTokens: 7, outputTokens: undefined });
    assert.deepEqual([record.codeStackTrace(row(17)), record.codeColumn(row(17)), record.genAiOutputTokens(row(17))], ['last event', 8, 9]);
    assert.equal(record.genAiUsage(row(1)), undefined);
  });
});
