import { strict as assert } from 'node:assert';
import type { SpanCodeLocation } from '../../../src/core/codeMapping/spanCodeLocation';
import type { CodeStatsRow } from '../../../src/core/stats/codeStats';
import { mergeRows } from '../../../src/core/stats/codeStats';
import { CodeStatsAggregator } from '../../../src/core/stats/codeStatsAggregator';
import type { CodeSpanSample } from '../../../src/core/stats/codeSpanSample';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-11-26T12:00:00Z');

function location(functionName: string | undefined, extra: Partial<SpanCodeLocation> = {}): SpanCodeLocation {
  return { functionName, filePath: undefined, lineNumber: undefined, columnNumber: undefined, stackTrace: undefined, fileOrigin: undefined, ...extra };
}

let nextSpan = 0;
function sample(at: SpanCodeLocation, fields: Partial<CodeSpanSample> = {}): CodeSpanSample {
  nextSpan++;
  return {
    location: at,
    serviceName: 'api',
    spanName: 'op',
    traceId: nextSpan.toString(16).padStart(32, '0'),
    spanId: nextSpan.toString(16).padStart(16, '0'),
    startUnixMillis: NOW - 60_000,
    durationNano: 1_000_000,
    selfTimeNano: 1_000_000,
    isError: false,
    genAi: undefined,
    ...fields,
  };
}

function rowFor(rows: readonly CodeStatsRow[], functionName: string, serviceName = 'api'): CodeStatsRow {
  const row = rows.find((item) => item.location.functionName === functionName && item.serviceName === serviceName);
  assert.ok(row !== undefined, `no row for ${functionName} in ${serviceName}`);
  return row;
}

describe('CodeStatsAggregator', () => {
  let now: number;
  let aggregator: CodeStatsAggregator;
  beforeEach(() => {
    now = NOW;
    aggregator = new CodeStatsAggregator({ windowMillis: HOUR, now: () => now });
  });

  it('counts calls, errors, quantiles and self time per location and service', () => {
    const handler = location('app.Handler.serve');
    for (let i = 1; i <= 100; i++) {
      aggregator.add(sample(handler, { durationNano: i * 1_000_000, selfTimeNano: i * 100_000, isError: i % 10 === 0 }));
    }
    // Equal content in another object and another service.
    aggregator.add(sample(location('app.Handler.serve'), { serviceName: 'worker', durationNano: 5e6, selfTimeNano: 5e6 }));
    const { rows, provenance } = aggregator.snapshot();
    assert.deepEqual(provenance, { kind: 'local', label: '1h', windowMillis: HOUR });
    assert.equal(rows.length, 2);
    const { summary } = rowFor(rows, 'app.Handler.serve');
    assert.equal(summary.calls, 100);
    assert.equal(summary.errors, 10);
    assert.equal(summary.errorRate, 0.1);
    // Rank ⌊q·99⌋: p50 → 50 ms, p95 → 95 ms, p99 → 99 ms, each within 1%.
    assert.ok(Math.abs(summary.p50Nano - 50e6) <= 0.5e6, String(summary.p50Nano));
    assert.ok(Math.abs(summary.p95Nano - 95e6) <= 0.95e6, String(summary.p95Nano));
    assert.ok(Math.abs(summary.p99Nano - 99e6) <= 0.99e6, String(summary.p99Nano));
    assert.equal(summary.totalNano, 5050e6);
    assert.equal(summary.meanNano, 50.5e6);
    assert.ok(Math.abs((summary.selfP50Nano ?? 0) - 5e6) <= 0.05e6);
    assert.equal(summary.selfTotalNano, 505e6);
    assert.deepEqual(
      summary.slowest.map((ref) => ref.durationNano),
      [100, 99, 98, 97, 96, 95, 94, 93, 92, 91].map((ms) => ms * 1e6),
    );
    assert.equal(summary.latestError?.durationNano, 100e6);
    assert.equal(summary.histogram?.reduce((total, bin) => total + bin.count, 0), 100);
    assert.equal(rowFor(rows, 'app.Handler.serve', 'worker').summary.calls, 1);
  });

  it('keeps apart what differs in file, line, column or stack trace presence', () => {
    aggregator.add(sample(location('f', { filePath: '/a.ts', lineNumber: 1 })));
    aggregator.add(sample(location('f', { filePath: '/a.ts', lineNumber: 2 })));
    aggregator.add(sample(location('f', { filePath: '/a.ts', lineNumber: 2, columnNumber: 3 })));
    aggregator.add(sample(location('f', { stackTrace: 'at f (/a.ts:2:3)' })));
    aggregator.add(sample(location('f')));
    aggregator.add(sample(location('f')));
    const rows = aggregator.snapshot().rows;
    assert.equal(rows.length, 5);
    assert.equal(rows.reduce((total, row) => total + row.summary.calls, 0), 6);
  });

  it('sums GenAI tokens per call over the calls that report them', () => {
    const chat = location('llm.chat');
    aggregator.add(sample(chat, { genAi: { model: 'gpt-4o', inputTokens: 100, outputTokens: 10 } }));
    aggregator.add(sample(chat, { genAi: { model: 'claude-sonnet', inputTokens: 300, outputTokens: undefined } }));
    aggregator.add(sample(chat));
    const { summary, genAiTotals } = rowFor(aggregator.snapshot().rows, 'llm.chat');
    assert.deepEqual(summary.genAi, { models: ['claude-sonnet', 'gpt-4o'], inputTokensPerCall: 200, outputTokensPerCall: 10 });
    assert.deepEqual(genAiTotals, { models: ['claude-sonnet', 'gpt-4o'], inputTokens: 400, inputCalls: 2, outputTokens: 10, outputCalls: 1 });
  });

  it('ages old data out a bucket at a time and ignores spans from before the window', () => {
    const f = location('f');
    aggregator.add(sample(f, { startUnixMillis: NOW - 2 * HOUR }));
    assert.equal(aggregator.snapshot().rows.length, 0);
    aggregator.add(sample(f, { startUnixMillis: NOW - 50 * 60_000, durationNano: 7e6 }));
    aggregator.add(sample(f, { startUnixMillis: NOW - 60_000, durationNano: 1e6 }));
    // From the future (clock skew): counted as now.
    aggregator.add(sample(f, { startUnixMillis: NOW + 10 * 60_000, durationNano: 2e6 }));
    assert.equal(rowFor(aggregator.snapshot().rows, 'f').summary.calls, 3);
    now = NOW + 15 * 60_000;
    const later = rowFor(aggregator.snapshot().rows, 'f').summary;
    assert.equal(later.calls, 2);
    assert.ok(later.slowest.every((ref) => ref.durationNano !== 7e6));
    now = NOW + 2 * HOUR;
    assert.equal(aggregator.snapshot().rows.length, 0);
    // The aged-out entry is rebuilt when its location comes back.
    aggregator.add(sample(f, { startUnixMillis: now - 1_000 }));
    assert.equal(rowFor(aggregator.snapshot().rows, 'f').summary.calls, 1);
  });

  it('bumps its version on every change and when the window moves past held data', () => {
    const v0 = aggregator.version;
    aggregator.add(sample(location('f')));
    const v1 = aggregator.version;
    assert.ok(v1 > v0);
    assert.equal(aggregator.version, v1);
    aggregator.add(sample(location('f'), { startUnixMillis: NOW - 3 * HOUR }));
    assert.equal(aggregator.version, v1, 'an ignored sample changes nothing');
    now += HOUR / 12;
    const v2 = aggregator.version;
    assert.ok(v2 > v1);
    aggregator.clear();
    assert.ok(aggregator.version > v2);
    assert.equal(aggregator.snapshot().rows.length, 0);
  });

  it('drops its data on a window change and labels the new window', () => {
    aggregator.add(sample(location('f')));
    const before = aggregator.version;
    aggregator.setWindow(15 * 60_000);
    assert.ok(aggregator.version > before);
    assert.equal(aggregator.snapshot().rows.length, 0);
    aggregator.add(sample(location('f'), { startUnixMillis: NOW - 20 * 60_000 }));
    aggregator.add(sample(location('f'), { startUnixMillis: NOW - 5 * 60_000 }));
    const snapshot = aggregator.snapshot();
    assert.equal(snapshot.provenance.label, '15m');
    assert.equal(rowFor(snapshot.rows, 'f').summary.calls, 1);
    assert.throws(() => aggregator.setWindow(0), RangeError);
  });
});

describe('mergeRows', () => {
  it('merges the sketches of rows computed from spans exactly', () => {
    const aggregator = new CodeStatsAggregator({ windowMillis: HOUR, now: () => NOW });
    const whole = new CodeStatsAggregator({ windowMillis: HOUR, now: () => NOW });
    const f = location('f');
    for (let i = 1; i <= 300; i++) {
      const one = sample(f, { serviceName: ['a', 'b', 'c'][i % 3], startUnixMillis: NOW - 60_000 + i, durationNano: i * 17_000, selfTimeNano: i * 1_000, isError: i % 7 === 0 });
      aggregator.add(one);
      whole.add({ ...one, serviceName: 'all' });
    }
    const merged = mergeRows(aggregator.snapshot().rows);
    const expected = whole.snapshot().rows[0].summary;
    const withoutServices = (refs: readonly { serviceName: string }[]): unknown[] => refs.map((ref) => ({ ...ref, serviceName: '' }));
    assert.deepEqual({ ...merged, slowest: withoutServices(merged.slowest), latestError: undefined }, { ...expected, slowest: withoutServices(expected.slowest), latestError: undefined });
    assert.equal(merged.latestError?.spanId, expected.latestError?.spanId);
    assert.deepEqual(new Set(merged.slowest.map((ref) => ref.serviceName)), new Set(['a', 'b', 'c']));
  });

  it('adds up rows without sketches and takes quantiles from the row with the most calls', () => {
    const base = { slowest: [], meanNano: 0 };
    const rows: CodeStatsRow[] = [
      { location: location('f'), serviceName: 'a', summary: { ...base, calls: 900, errors: 9, errorRate: 0.01, p50Nano: 10, p95Nano: 20, p99Nano: 30, totalNano: 9000 } },
      { location: location('f'), serviceName: 'b', summary: { ...base, calls: 100, errors: 11, errorRate: 0.11, p50Nano: 500, p95Nano: 900, p99Nano: 990, totalNano: 50_000 } },
    ];
    const merged = mergeRows(rows);
    assert.equal(merged.calls, 1000);
    assert.equal(merged.errors, 20);
    assert.equal(merged.errorRate, 0.02);
    assert.equal(merged.totalNano, 59_000);
    assert.equal(merged.meanNano, 59);
    assert.deepEqual([merged.p50Nano, merged.p95Nano, merged.p99Nano], [10, 20, 30]);
    assert.equal(merged.histogram, undefined);
  });
});
