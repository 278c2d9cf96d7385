import { strict as assert } from 'node:assert';
import { createBackend } from '../../../src/core/backends/createBackend';
import type { TraceBackend } from '../../../src/core/backends/traceBackend';
import type { CodeStatsRow } from '../../../src/core/stats/codeStats';
import { mergeRows } from '../../../src/core/stats/codeStats';
import { fetchTempoCodeStats } from '../../../src/core/stats/tempoCodeStats';
import { startFakeTempo } from '../../support/backendServers/fakeTempo';
import type { RecordingServer } from '../../support/backendServers/recordingServer';
import { BASE_UNIX_MILLIS, codeSpans, nearestRank, otlpDocument } from './codeTraces';
import type { CodeSpan } from './codeTraces';

const FAST = { connectMillis: 500, headersMillis: 2000, bodyMillis: 2000 };
const NOW = BASE_UNIX_MILLIS + 30 * 60_000;
const HOUR = 3_600_000;

function rowOf(rows: readonly CodeStatsRow[], service: string, match: (row: CodeStatsRow) => boolean): CodeStatsRow {
  const row = rows.find((item) => item.serviceName === service && match(item));
  assert.ok(row !== undefined, `no row in ${service}`);
  return row;
}

function assertMatches(row: CodeStatsRow, spans: readonly CodeSpan[]): void {
  const durations = spans.map((span) => span.durationMillis * 1e6);
  const { summary } = row;
  assert.equal(summary.calls, spans.length);
  assert.equal(summary.errors, spans.filter((span) => span.error === true).length);
  const close = (actual: number, expected: number, what: string): void => assert.ok(Math.abs(actual - expected) <= 1e-6 * expected, `${what}: ${actual} vs ${expected}`);
  close(summary.p50Nano, nearestRank(durations, 0.5), 'p50');
  close(summary.p95Nano, nearestRank(durations, 0.95), 'p95');
  close(summary.p99Nano, nearestRank(durations, 0.99), 'p99');
  close(summary.totalNano, durations.reduce((a, b) => a + b, 0), 'total');
  close(summary.meanNano, summary.totalNano / spans.length, 'mean');
  assert.equal(row.sketches, undefined);
}

describe('fetchTempoCodeStats', () => {
  let server: RecordingServer;
  let backend: TraceBackend;
  const spans = codeSpans();

  beforeEach(async () => {
    server = await startFakeTempo({ traces: [otlpDocument(spans)] });
    backend = createBackend({ type: 'tempo', url: server.url, timeouts: FAST }, () => NOW);
  });

  afterEach(async () => {
    await backend.dispose();
    await server.close();
  });

  it('pushes quantiles, counts, errors and totals per function and per file down to TraceQL metrics', async () => {
    const snapshot = await fetchTempoCodeStats(backend, { windowMillis: HOUR, now: () => NOW });
    assert.deepEqual(snapshot.provenance, { kind: 'pushdown', label: 'Tempo, 1h', windowMillis: HOUR });
    assert.equal(snapshot.computedAtUnixMillis, NOW);
    assert.equal(snapshot.warnings, undefined);
    assert.equal(snapshot.rows.length, 3);

    const total = (span: CodeSpan): boolean => span.functionName === 'checkout.Cart.total';
    const inCheckout = rowOf(snapshot.rows, 'checkout', (row) => row.location.functionName === 'checkout.Cart.total');
    assertMatches(inCheckout, spans.filter((span) => total(span) && span.service === 'checkout'));
    const inBilling = rowOf(snapshot.rows, 'billing', (row) => row.location.functionName === 'checkout.Cart.total');
    assertMatches(inBilling, spans.filter((span) => total(span) && span.service === 'billing'));
    const tax = rowOf(snapshot.rows, 'checkout', (row) => row.location.filePath === '/srv/checkout/lib/tax.py');
    assert.equal(tax.location.lineNumber, 42);
    assert.equal(tax.location.functionName, undefined);
    assertMatches(tax, spans.filter((span) => span.filePath === '/srv/checkout/lib/tax.py'));

    // One lens over both services: counts add up, quantiles come from the busier service.
    const merged = mergeRows([inCheckout, inBilling]);
    assert.equal(merged.calls, 16);
    assert.equal(merged.errors, inCheckout.summary.errors + inBilling.summary.errors);
    assert.equal(merged.p95Nano, inCheckout.summary.p95Nano);
  });

  it('asks for one sample per series over the window, in the documented query shapes', async () => {
    await fetchTempoCodeStats(backend, { windowMillis: HOUR, now: () => NOW });
    const requests = server.requestsTo('/api/metrics/query_range');
    assert.equal(requests.length, 8);
    for (const request of requests) {
      assert.equal(request.query.get('step'), '3600s');
      assert.equal(request.query.get('start'), `${NOW - HOUR}000000`);
      assert.equal(request.query.get('end'), `${NOW}000000`);
    }
    const queries = requests.map((request) => request.query.get('q'));
    assert.ok(
      queries.includes('{ span.code.function.name != nil } | quantile_over_time(duration, .5, .95, .99) by (span.code.function.name, resource.service.name)'),
    );
    assert.ok(queries.includes('{ span.code.function.name != nil && status = error } | count_over_time() by (span.code.function.name, resource.service.name)'));
    assert.ok(
      queries.includes(
        '{ span.code.function.name = nil && span.code.file.path != nil && span.code.line.number != nil } | count_over_time() by (span.code.file.path, span.code.line.number, resource.service.name)',
      ),
    );
  });

  it('says so when the window is longer than Tempo answers for', async () => {
    const snapshot = await fetchTempoCodeStats(backend, { windowMillis: 7 * 24 * HOUR, now: () => NOW });
    assert.equal(snapshot.provenance.label, 'Tempo, 24h');
    assert.equal(snapshot.provenance.windowMillis, 24 * HOUR);
    assert.match(snapshot.warnings?.[0] ?? '', /at most 24h.*not 7d/);
  });

  it('fails as the backend fails when Tempo has no metrics API', async () => {
    await backend.dispose();
    await server.close();
    server = await startFakeTempo({ traces: [otlpDocument(spans)], version: 'legacy' });
    backend = createBackend({ type: 'tempo', url: server.url, timeouts: FAST }, () => NOW);
    await assert.rejects(fetchTempoCodeStats(backend, { windowMillis: HOUR, now: () => NOW }), { kind: 'unsupported' });
  });
});
