import { strict as assert } from 'node:assert';
import { createBackend } from '../../../src/core/backends/createBackend';
import type { TraceBackend } from '../../../src/core/backends/traceBackend';
import type { CodeStatsRow, CodeStatsSnapshot } from '../../../src/core/stats/codeStats';
import { fetchSampledCodeStats } from '../../../src/core/stats/sampledCodeStats';
import { samplesFromTrace } from '../../../src/core/stats/samplesFromTrace';
import { respond } from '../../support/backendServers/faults';
import { startFakeJaeger } from '../../support/backendServers/fakeJaeger';
import { startFakeZipkin } from '../../support/backendServers/fakeZipkin';
import type { RecordingServer } from '../../support/backendServers/recordingServer';
import { BASE_UNIX_MILLIS, codeSpans, otlpDocument, zipkinLists } from './codeTraces';
import type { CodeSpan } from './codeTraces';

const FAST = { connectMillis: 500, headersMillis: 2000, bodyMillis: 2000 };
const NOW = BASE_UNIX_MILLIS + 30 * 60_000;
const HOUR = 3_600_000;
const SPANS = codeSpans();
const TRACE_COUNT = new Set(SPANS.map((span) => span.traceId)).size;

function rowOf(snapshot: CodeStatsSnapshot, service: string, match: (row: CodeStatsRow) => boolean): CodeStatsRow {
  const row = snapshot.rows.find((item) => item.serviceName === service && match(item));
  assert.ok(row !== undefined, `no row in ${service}`);
  return row;
}

/** Rows as the sample holds them: exact counts, and quantiles within the sketch's 1%. */
function assertRows(snapshot: CodeStatsSnapshot, spans: readonly CodeSpan[]): void {
  // frontend's spans name no code; cart.py:17 carries a function too, so it is one location with it.
  assert.equal(snapshot.rows.length, 3);
  const cases = [
    { service: 'checkout', match: (row: CodeStatsRow) => row.location.functionName === 'checkout.Cart.total', spans: spans.filter((s) => s.service === 'checkout' && s.functionName !== undefined) },
    { service: 'billing', match: (row: CodeStatsRow) => row.location.functionName === 'checkout.Cart.total', spans: spans.filter((s) => s.service === 'billing') },
    { service: 'checkout', match: (row: CodeStatsRow) => row.location.filePath === '/srv/checkout/lib/tax.py', spans: spans.filter((s) => s.filePath === '/srv/checkout/lib/tax.py') },
  ];
  for (const { service, match, spans: expected } of cases) {
    const { summary, sketches } = rowOf(snapshot, service, match);
    assert.ok(sketches !== undefined);
    assert.equal(summary.calls, expected.length);
    assert.equal(summary.errors, expected.filter((span) => span.error === true).length);
    const durations = expected.map((span) => span.durationMillis * 1e6).sort((a, b) => a - b);
    const p95 = durations[Math.floor(0.95 * (durations.length - 1))];
    assert.ok(Math.abs(summary.p95Nano - p95) <= 0.01 * p95, `${service} p95 ${summary.p95Nano} vs ${p95}`);
    assert.equal(summary.totalNano, durations.reduce((a, b) => a + b, 0));
    assert.equal(summary.slowest[0].durationNano, durations[durations.length - 1]);
  }
  // Self time: Cart.total in checkout minus its tax child.
  const cart = rowOf(snapshot, 'checkout', cases[0].match).summary;
  const selfTotal = cases[0].spans.reduce((total, span, i) => total + (span.durationMillis - cases[2].spans[i].durationMillis) * 1e6, 0);
  assert.equal(cart.selfTotalNano, selfTotal);
}

describe('fetchSampledCodeStats', () => {
  let server: RecordingServer;
  let backend: TraceBackend;

  afterEach(async () => {
    await backend.dispose();
    await server.close();
  });

  describe('from Jaeger', () => {
    beforeEach(async () => {
      server = await startFakeJaeger({ otlpTraces: [otlpDocument(SPANS)] });
      backend = createBackend({ type: 'jaeger', url: server.url, timeouts: FAST }, () => NOW);
    });

    it('aggregates the newest traces of every service and labels the sample', async () => {
      const snapshot = await fetchSampledCodeStats(backend, { windowMillis: HOUR, now: () => NOW });
      assert.deepEqual(snapshot.provenance, { kind: 'sampled', label: `from ${TRACE_COUNT} sampled traces · 1h`, windowMillis: HOUR, sampledTraces: TRACE_COUNT });
      assert.equal(snapshot.warnings, undefined);
      assertRows(snapshot, SPANS);
    });

    it('fetches at most maxTraces, the newest', async () => {
      const snapshot = await fetchSampledCodeStats(backend, { windowMillis: HOUR, maxTraces: 4, now: () => NOW });
      assert.equal(snapshot.provenance.sampledTraces, 4);
      assert.equal(snapshot.provenance.label, 'from 4 sampled traces · 1h');
      const newest = [...new Set(SPANS.map((span) => span.traceId))].slice(-4);
      const seen = new Set(snapshot.rows.flatMap((row) => row.summary.slowest.map((ref) => ref.traceId)));
      assert.deepEqual([...seen].sort(), newest.sort());
    });

    it('skips a trace that fails to load and says so', async () => {
      server.override((request) => /\/traces\/0+abc005$/.test(request.path), respond(500, 'storage exploded'), 5);
      const snapshot = await fetchSampledCodeStats(backend, { windowMillis: HOUR, now: () => NOW });
      assert.equal(snapshot.provenance.sampledTraces, TRACE_COUNT - 1);
      assert.equal(snapshot.warnings?.length, 1);
      assert.match(snapshot.warnings?.[0] ?? '', /^1 trace could not be fetched and is left out: /);
      const checkout = rowOf(snapshot, 'checkout', (row) => row.location.functionName === 'checkout.Cart.total');
      assert.equal(checkout.summary.calls, TRACE_COUNT - 1);
    });

    it('stops when cancelled', async () => {
      const controller = new AbortController();
      controller.abort();
      await assert.rejects(fetchSampledCodeStats(backend, { windowMillis: HOUR, now: () => NOW, signal: controller.signal }));
    });
  });

  describe('from Zipkin', () => {
    beforeEach(async () => {
      server = await startFakeZipkin({ traces: zipkinLists(SPANS) });
      backend = createBackend({ type: 'zipkin', url: server.url, timeouts: FAST }, () => NOW);
    });

    it('aggregates the newest traces of every service and labels the sample', async () => {
      const snapshot = await fetchSampledCodeStats(backend, { windowMillis: HOUR, now: () => NOW });
      assert.equal(snapshot.provenance.label, `from ${TRACE_COUNT} sampled traces · 1h`);
      assertRows(snapshot, SPANS);
    });
  });
});

describe('samplesFromTrace', () => {
  it('keeps the spans that name code, with their self time, start and status', async () => {
    const server = await startFakeJaeger({ otlpTraces: [otlpDocument(SPANS)] });
    const backend = createBackend({ type: 'jaeger', url: server.url, timeouts: FAST }, () => NOW);
    try {
      const { trace } = await backend.getTrace(SPANS[0].traceId);
      const samples = samplesFromTrace(trace);
      const expected = SPANS.filter((span) => span.traceId === SPANS[0].traceId && (span.functionName !== undefined || span.filePath !== undefined));
      assert.deepEqual(samples.map((sample) => sample.spanId).sort(), expected.map((span) => span.spanId).sort());
      const cart = samples.find((sample) => sample.location.functionName === 'checkout.Cart.total' && sample.serviceName === 'checkout');
      assert.ok(cart !== undefined);
      assert.equal(cart.durationNano, 20e6);
      assert.equal(cart.selfTimeNano, 17e6);
      assert.equal(cart.startUnixMillis, BASE_UNIX_MILLIS + 5);
      assert.equal(cart.location.filePath, '/srv/checkout/cart.py');
      assert.equal(cart.location.lineNumber, 17);
      assert.equal(cart.isError, false);
      assert.equal(cart.genAi, undefined);
    } finally {
      await backend.dispose();
      await server.close();
    }
  });
});
