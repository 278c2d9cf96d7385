import { strict as assert } from 'node:assert';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NO_CODE_LOCATION } from '../../../src/core/codeMapping/spanCodeLocation';
import type { SpanCodeLocation } from '../../../src/core/codeMapping/spanCodeLocation';
import { runIngestJob } from '../../../src/core/otlpWorker/otlpJobs';
import { LocalTraceStore } from '../../../src/core/store/localTraceStore';
import { readFrame } from '../../../src/core/store/recordFrame';
import { RECORD_VERSION } from '../../../src/core/store/recordLayout';
import { parseFramedRecord, parseRecord } from '../../../src/core/store/spanRecord';
import type { SpanRecord, SpanRows } from '../../../src/core/store/spanRecord';
import { otlpJsonToProtobuf } from '../../support/otlpProtoRequests';
import { forEachStoredRow } from '../../support/storeRecords';

// Written by the release before record version 2; test/fixtures/store/README.md says what it holds.
const V1_SEGMENT = join(__dirname, '../../fixtures/store/v1/segment-00000001.log');
const TRACE_A = '0af7651916cd43dd8448eb211c80319c';
const TRACE_B = '4bf92f3577b34da6a3ce929d0e0e4736';
const START = 1_760_000_000_000_000_000n;

function code(fields: Partial<SpanCodeLocation>): SpanCodeLocation {
  return { ...NO_CODE_LOCATION, ...fields };
}

async function v1Records(): Promise<SpanRecord[]> {
  const bytes = await readFile(V1_SEGMENT);
  const records: SpanRecord[] = [];
  for (let offset = 0; offset < bytes.length; ) {
    const frame = readFrame(bytes, offset);
    assert.ok(frame.ok, 'the fixture has a bad frame');
    const parsed = parseRecord(frame.payload);
    assert.equal(parsed.kind, 'spans');
    if (parsed.kind === 'spans') records.push(parsed.record);
    offset = frame.end;
  }
  return records;
}

interface RowView {
  readonly spanId: string;
  readonly parent: string | undefined;
  readonly offsetNano: bigint;
  readonly durationNano: number;
  readonly service: string;
  readonly name: string;
  readonly status: string;
  readonly code: SpanCodeLocation;
  readonly genAi: unknown;
}

function rowView(rows: SpanRows, row: number): RowView {
  return {
    spanId: rows.spanId(row),
    parent: rows.parentSpanId(row),
    offsetNano: rows.startTimeUnixNano(row) - START,
    durationNano: rows.durationNano(row),
    service: rows.service(row),
    name: rows.name(row),
    status: rows.status(row),
    code: rows.codeLocation(row),
    genAi: rows.genAiUsage(row),
  };
}

const V1_TRACE_A: readonly RowView[] = [
  { spanId: 'b7ad6b7169203331', parent: undefined, offsetNano: 0n, durationNano: 10_000_000, service: 'checkout', name: 'GET /cart', status: 'unset', code: NO_CODE_LOCATION, genAi: undefined },
  {
    spanId: '00f067aa0ba902b7',
    parent: 'b7ad6b7169203331',
    offsetNano: 1_000_000n,
    durationNano: 4_000_000,
    service: 'checkout',
    name: 'Cart.load',
    status: 'error',
    // Version 1 rows kept no column and no GenAI usage.
    code: code({ functionName: 'Cart.load', filePath: '/srv/app/cart.ts', lineNumber: 17, fileOrigin: 'code' }),
    genAi: undefined,
  },
  {
    spanId: '53995c3f42cd8ad8',
    parent: '00f067aa0ba902b7',
    offsetNano: 2_000_000n,
    durationNano: 1_000_000,
    service: 'pricing',
    name: 'price',
    status: 'unset',
    code: code({ functionName: 'pricing.total', filePath: 'pricing.py', lineNumber: 40, fileOrigin: 'code' }),
    genAi: undefined,
  },
];

describe('store record versions', function () {
  this.timeout(20_000);
  let directory: string;
  const stores: LocalTraceStore[] = [];

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'spanlens-v1-'));
  });

  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    await rm(directory, { recursive: true, force: true });
  });

  async function openStore(): Promise<LocalTraceStore> {
    const store = await LocalTraceStore.open({ directory });
    stores.push(store);
    return store;
  }

  function rowsOf(store: LocalTraceStore, traceId: string): RowView[] {
    const views: RowView[] = [];
    forEachStoredRow(store, traceId, (rows, row) => views.push(rowView(rows, row)));
    return views;
  }

  it('read version 1 records as the previous release wrote them, with the added fields absent', async () => {
    const records = await v1Records();
    assert.deepEqual(
      records.map((record) => [record.version, record.format.encoding, record.spanCount]),
      [
        [1, 'protobuf', 2],
        [1, 'json', 2],
      ],
    );
    const [protobuf, json] = records;
    assert.deepEqual(rowView(protobuf, 1), V1_TRACE_A[1]);
    assert.deepEqual([protobuf.codeColumn(1), protobuf.codeStackTrace(1), protobuf.genAiModel(1), protobuf.genAiInputTokens(1)], [undefined, undefined, undefined, undefined]);
    assert.deepEqual(rowView(json, 0), V1_TRACE_A[2]);
    assert.deepEqual(json.codeLocation(1), code({ functionName: 'Pay.run' }));
    assert.deepEqual(json.traces.map((trace) => trace.traceId), [TRACE_A, TRACE_B]);
  });

  it('write version 2 records that keep the column, stack trace, file origin and GenAI usage', () => {
    const body = otlpJsonToProtobuf({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'agent' } }] },
          scopeSpans: [
            {
              spans: [
                {
                  traceId: TRACE_B,
                  spanId: '1111111111111111',
                  name: 'chat',
                  startTimeUnixNano: String(START),
                  endTimeUnixNano: String(START + 7000n),
                  attributes: [
                    { key: 'code.function.name', value: { stringValue: 'Agent.ask' } },
                    { key: 'code.column.number', value: { intValue: '11' } },
                    { key: 'code.stacktrace', value: { stringValue: 'at Agent.ask (agent.ts:3:11)' } },
                    { key: 'gen_ai.request.model', value: { stringValue: 'claude' } },
                    { key: 'gen_ai.usage.input_tokens', value: { intValue: '30' } },
                    { key: 'gen_ai.usage.output_tokens', value: { intValue: '4' } },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
    const result = runIngestJob({ body, format: { encoding: 'protobuf', compression: 'none' }, maxDecompressedBytes: 1 << 20 });
    assert.ok(result.ok && result.record !== undefined);
    const parsed = parseFramedRecord(result.record);
    assert.ok(parsed.kind === 'spans');
    assert.equal(parsed.record.version, RECORD_VERSION);
    assert.equal(RECORD_VERSION, 2);
    assert.deepEqual(parsed.record.codeLocation(0), code({ functionName: 'Agent.ask', columnNumber: 11, stackTrace: 'at Agent.ask (agent.ts:3:11)' }));
    assert.deepEqual(parsed.record.genAiUsage(0), { model: 'claude', inputTokens: 30, outputTokens: 4 });
  });

  it('replay a log of version 1 records, then add version 2 records to it and replay both', async () => {
    await copyFile(V1_SEGMENT, join(directory, 'segment-00000001.log'));
    const first = await openStore();
    assert.deepEqual(first.replayWarnings, []);
    assert.deepEqual(first.traceIds(), [TRACE_A, TRACE_B]);
    assert.equal(first.traceRowCount(TRACE_A), 3);
    assert.deepEqual(rowsOf(first, TRACE_A), V1_TRACE_A);
    assert.deepEqual(
      first.findSpansByCode({ functionName: 'Cart.load' }).map((span) => [span.spanId, span.filePath, span.lineNumber, span.status]),
      [['00f067aa0ba902b7', '/srv/app/cart.ts', 17, 'error']],
    );
    const trace = (await first.getTrace(TRACE_A)).trace;
    assert.deepEqual(trace.spans.map((span) => span.name).sort(), ['Cart.load', 'GET /cart', 'price']);

    const late = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'pricing' } }] },
          scopeSpans: [
            {
              spans: [
                {
                  traceId: TRACE_A,
                  spanId: '2222222222222222',
                  parentSpanId: '53995c3f42cd8ad8',
                  name: 'tax',
                  startTimeUnixNano: String(START + 2_100_000n),
                  endTimeUnixNano: String(START + 2_200_000n),
                  attributes: [
                    { key: 'code.function.name', value: { stringValue: 'tax' } },
                    { key: 'code.column.number', value: { intValue: '2' } },
                    { key: 'gen_ai.usage.output_tokens', value: { intValue: '6' } },
                  ],
                },
              ],
            },
          ],
        },
      ],
    };
    const result = runIngestJob({ body: Buffer.from(JSON.stringify(late)), format: { encoding: 'json', compression: 'none' }, maxDecompressedBytes: 1 << 20 });
    assert.ok(result.ok && result.record !== undefined);
    first.append(result.record);
    await first.close();

    const second = await openStore();
    assert.deepEqual(second.replayWarnings, []);
    const rows = rowsOf(second, TRACE_A);
    assert.deepEqual(rows.slice(0, 3), V1_TRACE_A);
    assert.deepEqual(rows[3].code, code({ functionName: 'tax', columnNumber: 2 }));
    assert.deepEqual(rows[3].genAi, { model: undefined, inputTokens: undefined, outputTokens: 6 });
    // The rows come a record at a time, the version 2 record's one span last, as traceRowCount counts them.
    const ranges: [number, number][] = [];
    second.forEachRowRange(TRACE_A, (_record, firstRow, endRow) => ranges.push([firstRow, endRow]));
    assert.equal(ranges.reduce((rows, [first, end]) => rows + end - first, 0), second.traceRowCount(TRACE_A));
    const [lastFirst, lastEnd] = ranges[ranges.length - 1];
    assert.equal(lastEnd - lastFirst, 1);
    assert.deepEqual(rows.slice(2).map((row) => row.spanId), ['53995c3f42cd8ad8', '2222222222222222']);
    assert.equal(second.traceRowCount('ffffffffffffffffffffffffffffffff'), 0);
  });
});
