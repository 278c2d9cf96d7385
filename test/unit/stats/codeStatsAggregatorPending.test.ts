import { strict as assert } from 'node:assert';
import type { SpanCodeLocation } from '../../../src/core/codeMapping/spanCodeLocation';
import { CodeStatsAggregator } from '../../../src/core/stats/codeStatsAggregator';
import type { CodeSpanSample } from '../../../src/core/stats/codeSpanSample';
import { LatencySketch } from '../../../src/core/stats/latencySketch';
import { createRandom } from '../../support/traceGenerator';

// The aggregator counts durations into its sketches in batches: every read must still see every span.

const HOUR = 3_600_000;
const BUCKET = HOUR / 12;
const NOW = Date.parse('2026-11-26T12:00:00Z');
const QUANTILES = [0, 0.5, 0.95, 0.99, 1];

const handler: SpanCodeLocation = {
  functionName: 'app.Handler.serve',
  filePath: '/app/handler.ts',
  lineNumber: 12,
  columnNumber: undefined,
  stackTrace: undefined,
  fileOrigin: 'code',
};

let nextSpan = 0;
function sample(startUnixMillis: number, durationNano: number, selfTimeNano: number): CodeSpanSample {
  nextSpan++;
  return {
    // A fresh object for every other span, as spans decoded one by one bring.
    location: nextSpan % 2 === 0 ? handler : { ...handler },
    serviceName: 'api',
    spanName: 'serve',
    traceId: nextSpan.toString(16).padStart(32, '0'),
    spanId: nextSpan.toString(16).padStart(16, '0'),
    startUnixMillis,
    durationNano,
    selfTimeNano,
    isError: false,
    genAi: undefined,
  };
}

function assertMatches(actual: LatencySketch | undefined, expected: LatencySketch, label: string): void {
  assert.ok(actual !== undefined, `${label}: no sketch`);
  assert.equal(actual.count, expected.count, `${label}: count`);
  assert.equal(actual.sumNano, expected.sumNano, `${label}: sum`);
  for (const q of QUANTILES) assert.equal(actual.quantileNano(q), expected.quantileNano(q), `${label}: q=${q}`);
}

describe('CodeStatsAggregator batching', () => {
  it('shows every span so far at every read, across buckets and long runs in one bucket', () => {
    const random = createRandom(99);
    let now = NOW;
    const aggregator = new CodeStatsAggregator({ windowMillis: HOUR, now: () => now });
    const duration = new LatencySketch();
    const self = new LatencySketch();
    // 3,000 spans: runs of up to 1,500 in one bucket, then a few in older buckets, with reads in between.
    for (let i = 0; i < 3_000; i++) {
      const bucketsBack = i < 1_500 ? 0 : i % 7;
      const durationNano = Math.round(2e6 * Math.exp(2 * (random() - 0.5)));
      const selfTimeNano = i % 3 === 0 ? durationNano : Math.round(durationNano * random());
      aggregator.add(sample(now - 1_000 - bucketsBack * BUCKET, durationNano, selfTimeNano));
      duration.add(durationNano);
      self.add(selfTimeNano);
      if (i % 997 === 0 || i === 2_999) {
        const rows = aggregator.snapshot().rows;
        assert.equal(rows.length, 1);
        assertMatches(rows[0].sketches?.duration, duration, `duration after ${i + 1}`);
        assertMatches(rows[0].sketches?.self, self, `self after ${i + 1}`);
        assert.equal(rows[0].summary.calls, i + 1);
      }
    }
    now += 100 * BUCKET;
    assert.equal(aggregator.snapshot().rows.length, 0);
  });

  it('drops pending spans with the bucket they belong to when its slot is reused', () => {
    let now = NOW;
    const aggregator = new CodeStatsAggregator({ windowMillis: HOUR, now: () => now });
    // Pending, not yet counted into the sketches, and never read before the slot comes round again.
    for (let i = 0; i < 5; i++) aggregator.add(sample(now - 1_000, 9e9, 9e9));
    now += 13 * BUCKET;
    aggregator.add(sample(now - 1_000, 1e6, 5e5));
    const [row] = aggregator.snapshot().rows;
    assert.equal(row.summary.calls, 1);
    assert.equal(row.sketches?.duration.maxNano, 1e6);
    assert.equal(row.sketches?.self.maxNano, 5e5);
    assert.deepEqual(
      row.summary.slowest.map((ref) => ref.durationNano),
      [1e6],
    );
  });

  it('ignores a span whose slot already holds a newer bucket after the clock went back, keeping what is pending', () => {
    let now = NOW + 13 * BUCKET;
    const aggregator = new CodeStatsAggregator({ windowMillis: HOUR, now: () => now });
    for (let i = 0; i < 3; i++) aggregator.add(sample(now - 1_000, 2e6, 1e6));
    // Thirteen buckets earlier is the same slot, still inside the window of the earlier clock.
    now = NOW;
    aggregator.add(sample(now - 1_000, 9e9, 9e9));
    const [row] = aggregator.snapshot().rows;
    assert.equal(row.summary.calls, 3);
    assert.equal(row.sketches?.duration.maxNano, 2e6);
    assert.equal(row.sketches?.self.sumNano, 3e6);
    assert.deepEqual(
      row.summary.slowest.map((ref) => ref.durationNano),
      [2e6, 2e6, 2e6],
    );
  });
});
