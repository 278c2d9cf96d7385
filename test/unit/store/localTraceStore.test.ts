import { strict as assert } from 'node:assert';
import { BackendError } from '../../../src/core/backends/backendError';
import { LocalTraceStore } from '../../../src/core/store/localTraceStore';
import { framedLength } from '../../../src/core/store/recordFrame';
import type { StoreChange } from '../../../src/core/store/localTraceStore';
import { spanIdOf, TEST_START_MILLIS, traceIdOf } from '../../support/otlpRequests';
import { recordOf } from '../../support/storeRecords';

const WINDOW = { startUnixMillis: TEST_START_MILLIS - 60_000, endUnixMillis: TEST_START_MILLIS + 3_600_000 };

async function failure(promise: Promise<unknown>): Promise<BackendError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof BackendError, `expected a BackendError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a failure');
}

describe('LocalTraceStore (in memory)', () => {
  let store: LocalTraceStore;

  afterEach(async () => {
    await store.close();
  });

  it('stores a record and reads its trace back, merging spans that came in separate requests', async () => {
    store = await LocalTraceStore.open();
    store.append(recordOf([{ trace: 1, spans: 2 }, { trace: 2, spans: 1, service: 'cart' }]));
    store.append(recordOf([{ trace: 1, spans: 3, startUnixMillis: TEST_START_MILLIS + 100 }]));
    const stats = store.stats();
    assert.equal(stats.traces, 2);
    assert.equal(stats.spans, 6);
    assert.ok(stats.bytes > 0);
    assert.equal(stats.diskBytes, 0);
    // The second request re-sent span 0 and 1 of trace 1 (same IDs); reading back keeps one of each.
    const { trace, format } = await store.getTrace(traceIdOf(1));
    assert.equal(format, 'otlp-json');
    assert.deepEqual(trace.spans.map((span) => span.spanId), [spanIdOf(1, 0), spanIdOf(1, 1), spanIdOf(1, 2)]);
    assert.equal((await store.getTrace(traceIdOf(2).toUpperCase())).trace.spans[0].resource.serviceName, 'cart');
  });

  it('fails with notFound and invalidInput as the backends do', async () => {
    store = await LocalTraceStore.open();
    assert.equal((await failure(store.getTrace(traceIdOf(9)))).kind, 'notFound');
    assert.equal((await failure(store.getTrace('xyz'))).kind, 'invalidInput');
    assert.equal((await failure(store.searchTraces({ traceQL: '{ }' }))).kind, 'unsupported');
    assert.equal((await failure(store.queryRange())).kind, 'unsupported');
  });

  it('evicts the oldest traces first at the span cap and counts them', async () => {
    store = await LocalTraceStore.open({ maxSpans: 10 });
    for (let trace = 0; trace < 4; trace++) store.append(recordOf([{ trace, spans: 3, service: `service-${trace}` }]));
    assert.equal(store.stats().spans, 9);
    assert.equal(store.stats().evictedSpans, 3);
    assert.ok(!store.hasTrace(traceIdOf(0)));
    assert.ok(store.hasTrace(traceIdOf(1)) && store.hasTrace(traceIdOf(3)));
    assert.deepEqual(await store.listServices(), ['service-1', 'service-2', 'service-3']);
  });

  it('evicts a trace whole, with the spans it gained in later requests', async () => {
    store = await LocalTraceStore.open({ maxSpans: 8 });
    store.append(recordOf([{ trace: 0, spans: 2 }, { trace: 1, spans: 2 }]));
    store.append(recordOf([{ trace: 0, spans: 4, startUnixMillis: TEST_START_MILLIS + 50 }]));
    const bytesBefore = store.stats().bytes;
    store.append(recordOf([{ trace: 2, spans: 2 }]));
    // Trace 0 (6 spans over two records) goes; trace 1 keeps the first record alive.
    assert.deepEqual([store.hasTrace(traceIdOf(0)), store.hasTrace(traceIdOf(1)), store.hasTrace(traceIdOf(2))], [false, true, true]);
    assert.equal(store.stats().spans, 4);
    assert.equal(store.stats().evictedSpans, 6);
    assert.ok(store.stats().bytes < bytesBefore + framedLength(recordOf([{ trace: 2, spans: 2 }])));
  });

  it('evicts at the byte cap and drops a request larger than the whole store', async () => {
    const recordBytes = framedLength(recordOf([{ trace: 0, spans: 2, padding: 4000 }]));
    store = await LocalTraceStore.open({ maxBytes: Math.floor(recordBytes * 2.5) });
    for (let trace = 0; trace < 4; trace++) store.append(recordOf([{ trace, spans: 2, padding: 4000 }]));
    assert.equal(store.stats().traces, 2);
    assert.ok(store.stats().bytes <= store.maxBytes);
    assert.equal(store.stats().evictedSpans, 4);
    const result = store.append(recordOf([{ trace: 9, spans: 2, padding: 12_000 }]));
    assert.equal(result.storedSpans, 0);
    assert.equal(result.droppedSpans, 2);
    assert.match(result.dropReason ?? '', /keeps at most/);
    assert.equal(store.stats().droppedSpans, 2);
    assert.equal(store.stats().traces, 2, 'a dropped request evicts nothing');
  });

  it('searches by service, span name, duration, window and attributes, newest first', async () => {
    store = await LocalTraceStore.open({ now: () => TEST_START_MILLIS + 10_000 });
    store.append(recordOf([{ trace: 1, spans: 3, service: 'api', attributes: { tenant: 'acme' } }]));
    store.append(recordOf([{ trace: 2, spans: 2, service: 'api', startUnixMillis: TEST_START_MILLIS + 1000, attributes: { tenant: 'globex' } }]));
    store.append(recordOf([{ trace: 3, spans: 1, service: 'billing', startUnixMillis: TEST_START_MILLIS + 2000 }]));

    const all = await store.searchTraces({ lookbackMillis: 60_000 });
    assert.deepEqual(all.summaries.map((summary) => summary.traceId), [traceIdOf(3), traceIdOf(2), traceIdOf(1)]);
    const [newest] = all.summaries;
    assert.equal(newest.rootServiceName, 'billing');
    assert.equal(newest.rootSpanName, 'GET /cart');
    assert.equal(newest.durationNano, 500_000n);

    const api = await store.searchTraces({ ...WINDOW, service: 'api', operation: 'step 2' });
    assert.deepEqual(api.summaries.map((summary) => summary.traceId), [traceIdOf(1)]);
    assert.deepEqual(api.summaries[0].matchedSpans.map((span) => span.spanId), [spanIdOf(1, 2)]);

    const limited = await store.searchTraces({ ...WINDOW, limit: 1 });
    assert.deepEqual(limited.summaries.map((summary) => summary.traceId), [traceIdOf(3)]);

    assert.equal((await store.searchTraces({ ...WINDOW, minDurationNano: 500_001n })).summaries.length, 0);
    assert.equal((await store.searchTraces({ ...WINDOW, maxDurationNano: 500_000n })).summaries.length, 3);
    const early = await store.searchTraces({ startUnixMillis: TEST_START_MILLIS - 1, endUnixMillis: TEST_START_MILLIS + 500 });
    assert.deepEqual(early.summaries.map((summary) => summary.traceId), [traceIdOf(1)]);

    const tenant = await store.searchTraces({ ...WINDOW, attributes: { tenant: 'globex', 'service.name': 'api' } });
    assert.deepEqual(tenant.summaries.map((summary) => summary.traceId), [traceIdOf(2)]);
    assert.deepEqual(tenant.summaries[0].matchedSpans[0].attributes, { tenant: 'globex', 'service.name': 'api' });
    assert.equal((await store.searchTraces({ ...WINDOW, service: 'billing', attributes: { tenant: 'acme' } })).summaries.length, 0);
  });

  it('lists span names per service and attribute keys and values for completion', async () => {
    store = await LocalTraceStore.open();
    store.append(recordOf([{ trace: 1, spans: 2, service: 'api', attributes: { tenant: 'acme' } }]));
    store.append(recordOf([{ trace: 2, spans: 1, service: 'api', attributes: { tenant: 'globex' } }]));
    assert.deepEqual(await store.listOperations('api'), [
      { name: 'GET /cart', spanKind: 'server' },
      { name: 'step 1', spanKind: 'internal' },
    ]);
    assert.deepEqual(await store.tagNames(), [
      { scope: 'resource', name: 'service.name' },
      { scope: 'span', name: 'tenant' },
    ]);
    assert.deepEqual(await store.tagNames('span'), [{ scope: 'span', name: 'tenant' }]);
    assert.deepEqual((await store.tagValues('tenant')).map((value) => value.value), ['acme', 'globex']);
  });

  it('tells listeners what changed, and clear() empties it', async () => {
    store = await LocalTraceStore.open();
    const changes: StoreChange[] = [];
    const subscription = store.onDidChange((change) => changes.push(change));
    store.append(recordOf([{ trace: 1, spans: 2 }, { trace: 2, spans: 1 }]));
    assert.deepEqual(changes[0].traceIds, [traceIdOf(1), traceIdOf(2)]);
    assert.equal(changes[0].stats.spans, 3);
    await store.clear();
    assert.equal(changes[1].cleared, true);
    assert.deepEqual(store.stats().spans, 0);
    assert.deepEqual(await store.listServices(), []);
    assert.deepEqual(await store.tagNames(), []);
    subscription.dispose();
    store.append(recordOf([{ trace: 3, spans: 1 }]));
    assert.equal(changes.length, 2);
  });
});
