import { strict as assert } from 'node:assert';
import { decodeOtlpPayload } from '../../../src/core/otlp/decodeOtlpPayload';
import { runIngestJob } from '../../../src/core/otlpWorker/otlpJobs';
import type { FramedRecord } from '../../../src/core/store/recordFrame';
import { parseFramedRecord } from '../../../src/core/store/spanRecord';
import type { SpanRecord } from '../../../src/core/store/spanRecord';
import { encodeSpanRecord } from '../../../src/core/store/spanRecordWriter';
import { otlpJsonToProtobuf } from '../../support/otlpProtoRequests';

const FORMAT = { encoding: 'protobuf', compression: 'none' } as const;
const TWO_POW_32 = 4294967296n;

/** Trace IDs that share their last two bytes, the bytes the trace ID cache picks a slot with. */
const TRACE_IDS = ['aa'.repeat(14) + '0102', 'bb'.repeat(14) + '0102', '00'.repeat(8) + 'cc'.repeat(6) + '0102'];

/** [start, end] in ns as decimal text, undefined for a missing field. */
const TIMES: readonly (readonly [string | undefined, string | undefined])[] = [
  ['1760000000000000000', '1760000000000000500'],
  // End before start, in the same and in the previous high word.
  ['1760000000000000500', '1760000000000000000'],
  [String(1_760_000_000n * TWO_POW_32), String(1_760_000_000n * TWO_POW_32 - 1n)],
  // Across a high word, and far apart (more high words than a double keeps exact).
  [String(409_782_121n * TWO_POW_32 - 3n), String(409_782_121n * TWO_POW_32 + 7n)],
  ['1', '18446744073709551615'],
  ['18446744073709551615', '1'],
  [String(TWO_POW_32 - 1n), String(TWO_POW_32 * (1n << 20n))],
  [String(TWO_POW_32 - 1n), String(TWO_POW_32 * ((1n << 20n) + 1n))],
  // Missing fields.
  [undefined, '1760000000000000500'],
  ['1760000000000000000', undefined],
  [undefined, undefined],
  ['0', '5'],
];

function request(): object {
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'clock' } }] },
        scopeSpans: [
          {
            spans: TIMES.map(([start, end], i) => ({
              traceId: TRACE_IDS[i % TRACE_IDS.length],
              spanId: (i + 1).toString(16).padStart(16, '0'),
              name: `span ${i}`,
              startTimeUnixNano: start,
              endTimeUnixNano: end,
            })),
          },
        ],
      },
    ],
  };
}

function recordFrom(framed: FramedRecord | undefined): SpanRecord {
  const parsed = parseFramedRecord(framed ?? assert.fail('no record'));
  return parsed.kind === 'spans' ? parsed.record : assert.fail('not a spans record');
}

function expectedDuration(start: string | undefined, end: string | undefined): bigint {
  if (end === undefined) return 0n;
  const startNano = BigInt(start ?? '0');
  const endNano = BigInt(end);
  return endNano < startNano ? 0n : endNano - startNano;
}

describe('protobuf records: times and trace IDs', () => {
  it('hold the start, duration and trace of every span, as the model path does', () => {
    const body = otlpJsonToProtobuf(request());
    // Twice: the second request finds its trace IDs and high words cached.
    for (let pass = 0; pass < 2; pass++) {
      const result = runIngestJob({ body, format: FORMAT, maxDecompressedBytes: 1 << 20 });
      assert.ok(result.ok);
      const record = recordFrom(result.record);
      const fromModel = recordFrom(encodeSpanRecord(decodeOtlpPayload(body, FORMAT, { maxDecompressedBytes: 1 << 20 }).traces, body, FORMAT));
      assert.deepEqual(record.traces, fromModel.traces);

      assert.deepEqual(
        record.traces.map((trace) => trace.traceId),
        TRACE_IDS,
      );
      for (let row = 0; row < record.spanCount; row++) {
        const i = Number.parseInt(record.spanId(row), 16) - 1;
        const [start, end] = TIMES[i];
        assert.equal(record.traces.find((trace) => row >= trace.firstRow && row < trace.firstRow + trace.rowCount)?.traceId, TRACE_IDS[i % TRACE_IDS.length]);
        assert.equal(record.startTimeUnixNano(row), BigInt(start ?? '0'), `start of span ${i}`);
        const duration = expectedDuration(start, end);
        if (duration < 1n << 53n) assert.equal(record.durationNano(row), Number(duration), `duration of span ${i}`);
      }
      const ends = record.traces.map((trace) => trace.endTimeUnixNano);
      const expectedEnds = TRACE_IDS.map((_, t) =>
        TIMES.reduce((latest, [start, end], i) => {
          if (i % TRACE_IDS.length !== t) return latest;
          const spanEnd = BigInt(start ?? '0') + expectedDuration(start, end);
          return spanEnd > latest ? spanEnd : latest;
        }, 0n),
      );
      assert.deepEqual(ends, expectedEnds);
    }
  });
});
