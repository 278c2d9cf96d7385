import { strict as assert } from 'node:assert';
import { selfTimesNano } from '../../../src/core/model/selfTime';
import { runIngestJob } from '../../../src/core/otlpWorker/otlpJobs';
import { LocalTraceStore } from '../../../src/core/store/localTraceStore';
import type { FramedRecord } from '../../../src/core/store/recordFrame';
import { parseFramedRecord } from '../../../src/core/store/spanRecord';
import type { SpanRecord } from '../../../src/core/store/spanRecord';
import { StoredSelfTimes, TraceRowRanges } from '../../../src/core/store/storedSelfTimes';
import { forEachStoredRow } from '../../support/storeRecords';
import { createRandom } from '../../support/traceGenerator';

const TRACE_ID = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

interface RowSpec {
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  readonly startNano: bigint;
  readonly durationNano: bigint;
}

/** One OTLP/JSON request holding `rows` of one trace, as the receiver stores it. */
function recordOf(rows: readonly RowSpec[]): FramedRecord {
  const request = {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'shop' } }] },
        scopeSpans: [
          {
            spans: rows.map((row, i) => ({
              traceId: TRACE_ID,
              spanId: row.spanId,
              parentSpanId: row.parentSpanId,
              name: `span ${i}`,
              startTimeUnixNano: String(row.startNano),
              endTimeUnixNano: String(row.startNano + row.durationNano),
              attributes: [{ key: 'code.function.name', value: { stringValue: `fn${i % 7}` } }],
            })),
          },
        ],
      },
    ],
  };
  const result = runIngestJob({ body: Buffer.from(JSON.stringify(request)), format: { encoding: 'json', compression: 'none' }, maxDecompressedBytes: 1 << 26 });
  if (!result.ok || result.record === undefined) throw new Error('the request made no record');
  return result.record;
}

function spanRecordOf(framed: FramedRecord): SpanRecord {
  const parsed = parseFramedRecord(framed);
  return parsed.kind === 'spans' ? parsed.record : assert.fail('not a spans record');
}

/** Self times as computed from the hex and bigint accessors: span IDs in a map, the last row of an ID winning. */
function expectedSelfTimes(store: LocalTraceStore): { durations: number[]; selfTimes: number[] } {
  const spanIds: string[] = [];
  const parentIds: (string | undefined)[] = [];
  const starts: bigint[] = [];
  const durations: number[] = [];
  forEachStoredRow(store, TRACE_ID, (rows, row) => {
    spanIds.push(rows.spanId(row));
    parentIds.push(rows.parentSpanId(row));
    starts.push(rows.startTimeUnixNano(row));
    durations.push(rows.durationNano(row));
  });
  const rowOf = new Map<string, number>();
  let minStart = starts[0];
  spanIds.forEach((spanId, i) => {
    rowOf.set(spanId, i);
    if (starts[i] < minStart) minStart = starts[i];
  });
  const count = spanIds.length;
  const parentIndex = Int32Array.from(parentIds, (parent) => (parent === undefined ? -1 : (rowOf.get(parent) ?? -1)));
  const startNano = Float64Array.from(starts, (start) => Number(start - minStart));
  const endNano = Float64Array.from({ length: count }, (_, i) => startNano[i] + durations[i]);
  return { durations, selfTimes: [...selfTimesNano(parentIndex, startNano, endNano)] };
}

function computed(store: LocalTraceStore, selfTimes: StoredSelfTimes): { durations: number[]; selfTimes: number[] } {
  const ranges = new TraceRowRanges();
  store.forEachRowRange(TRACE_ID, ranges.add);
  const count = store.traceRowCount(TRACE_ID);
  const result = selfTimes.compute(ranges, count);
  return { durations: [...result.durationNano.subarray(0, count)], selfTimes: [...result.selfTimeNano.subarray(0, count)] };
}

const hex = (value: bigint, digits: number): string => value.toString(16).padStart(digits, '0');

/**
 * A random trace of `count` rows: IDs that share their first or last four bytes, repeated IDs, parents that
 * are missing, zero or the span itself, starts seconds to months apart (offsets past 2^53 ns round).
 */
function randomRows(random: () => number, count: number): RowSpec[] {
  const int = (below: number): number => Math.floor(random() * below);
  const base = 1_760_000_000_000_000_000n;
  const rows: RowSpec[] = [];
  for (let i = 0; i < count; i++) {
    const roll = random();
    const spanId =
      roll < 0.1 && i > 0
        ? rows[int(i)].spanId
        : roll < 0.4
          ? `0000beef${hex(BigInt(i + 1), 8)}`
          : roll < 0.6
            ? `${hex(BigInt(i + 1), 8)}0000beef`
            : hex(BigInt(int(2 ** 30)) * 2n ** 33n + BigInt(i + 1), 16);
    const parentRoll = random();
    const parentSpanId =
      i === 0 || parentRoll < 0.05 ? undefined : parentRoll < 0.1 ? hex(BigInt(int(2 ** 30)) + 1n, 16) : parentRoll < 0.12 ? spanId : rows[int(i)].spanId;
    const spread = random() < 0.02 ? 200n * 86_400_000_000_000n : random() < 0.2 ? 10_000_000_000n : 5_000_000n;
    rows.push({ spanId, parentSpanId, startNano: base + BigInt(int(Number(spread))), durationNano: BigInt(int(3_000_000_000)) });
  }
  return rows;
}

describe('StoredSelfTimes', () => {
  let store: LocalTraceStore;

  afterEach(async () => {
    await store.close();
  });

  it('matches selfTimesNano over hex IDs and bigint starts, for traces spread over records, small and past the kept buffers', async () => {
    const random = createRandom(20_261_126);
    const selfTimes = new StoredSelfTimes();
    for (const count of [1, 12, 200, 5000, 30, 3000, 70]) {
      store = await LocalTraceStore.open({ maxSpans: 100_000 });
      const rows = randomRows(random, count);
      // The trace's rows arrive in a few requests, as spans of one trace do from several services.
      for (let from = 0; from < count; from += Math.max(1, Math.floor(count / 3))) store.append(recordOf(rows.slice(from, from + Math.max(1, Math.floor(count / 3)))));
      assert.equal(store.traceRowCount(TRACE_ID), count);
      assert.deepEqual(computed(store, selfTimes), expectedSelfTimes(store), `${count} rows`);
      await store.close();
    }
  });

  it('gives the same self times for the rows from a given one on, when asked only for those (a trace read again)', async () => {
    const random = createRandom(1126);
    const selfTimes = new StoredSelfTimes();
    for (const count of [2, 12, 200, 5000, 30]) {
      store = await LocalTraceStore.open({ maxSpans: 100_000 });
      store.append(recordOf(randomRows(random, count)));
      const expected = expectedSelfTimes(store).selfTimes;
      const ranges = new TraceRowRanges();
      store.forEachRowRange(TRACE_ID, ranges.add);
      for (const from of [0, 1, Math.floor(count / 3), Math.floor(count / 2), count - 1]) {
        const result = selfTimes.compute(ranges, count, from);
        assert.deepEqual([...result.selfTimeNano.subarray(from, count)], expected.slice(from), `${count} rows from ${from}`);
      }
      await store.close();
    }
  });
});

describe('SpanRecord rows read without bigints or hex strings', () => {
  it('give the start milliseconds and span ID halves the bigint and hex accessors give', () => {
    const random = createRandom(7);
    // 4_000_000n * (2n ** 60n / 4_000_000n) - 1n rounds up to a whole millisecond as a float64.
    const starts = [0n, 999_999n, 1_000_000n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 53n + 1n, 4_000_000n * (2n ** 60n / 4_000_000n) - 1n, 2n ** 63n - 1n, 2n ** 64n - 1n];
    for (let i = 0; i < 40; i++) starts.push(BigInt(Math.floor(random() * 2 ** 32)) * 2n ** 32n + BigInt(Math.floor(random() * 2 ** 32)));
    const rows = starts.map((startNano, i) => ({
      spanId: i === 0 ? 'ffffffffffffffff' : hex(BigInt(Math.floor(random() * 2 ** 32)) * 2n ** 32n + BigInt(i), 16),
      parentSpanId: i === 0 ? undefined : i === 1 ? '80000000ffffffff' : hex(BigInt(i) * 2n ** 40n, 16),
      startNano,
      durationNano: 0n,
    }));
    const record = spanRecordOf(recordOf(rows));
    assert.equal(record.spanCount, rows.length);
    const word = (id: string, byte: number): number => Buffer.from(id, 'hex').readInt32LE(byte);
    for (let row = 0; row < rows.length; row++) {
      const start = record.startTimeUnixNano(row);
      assert.equal(record.startUnixMillis(row), Number(start / 1_000_000n), `row ${row}`);
      assert.equal(BigInt(record.startTimeHigh(row)) * 2n ** 32n + BigInt(record.startTimeLow(row)), start);
      const spanId = record.spanId(row);
      assert.match(spanId, /^[0-9a-f]{16}$/);
      assert.deepEqual([record.spanIdLow(row), record.spanIdHigh(row)], [word(spanId, 0), word(spanId, 4)]);
      const parent = record.parentSpanId(row);
      assert.deepEqual([record.parentSpanIdLow(row), record.parentSpanIdHigh(row)], parent === undefined ? [0, 0] : [word(parent, 0), word(parent, 4)]);
    }
    assert.deepEqual(record.traces.map((trace) => trace.traceId), [TRACE_ID]);
    assert.equal(record.spanId(0), 'ffffffffffffffff');
    assert.equal(record.parentSpanId(1), '80000000ffffffff');
  });
});
