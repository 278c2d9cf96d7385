import { strict as assert } from 'node:assert';
import { LocalTraceStore } from '../../../src/core/store/localTraceStore';
import { spanIdOf, TEST_START_MILLIS, traceIdOf } from '../../support/otlpRequests';
import { recordOf } from '../../support/storeRecords';

function code(functionName: string, filePath: string): Record<string, string> {
  return { 'code.function.name': functionName, 'code.file.path': filePath };
}

describe('LocalTraceStore.findSpansByCode', () => {
  let store: LocalTraceStore;

  beforeEach(async () => {
    store = await LocalTraceStore.open({ maxSpans: 8 });
    store.append(
      recordOf([
        { trace: 0, spans: 2, attributes: code('Cart.load', '/srv/cart.ts') },
        { trace: 1, spans: 1, service: 'checkout', attributes: code('Cart.save', '/srv/cart.ts'), startUnixMillis: TEST_START_MILLIS + 10 },
      ]),
    );
    store.append(recordOf([{ trace: 2, spans: 3, attributes: code('Cart.load', '/srv/legacy/cart.ts'), startUnixMillis: TEST_START_MILLIS + 100 }]));
    // Span names and services are strings of the record too; only the code columns may match.
    store.append(recordOf([{ trace: 3, spans: 1, service: 'Cart.load', startUnixMillis: TEST_START_MILLIS + 200 }]));
  });

  afterEach(async () => {
    await store.close();
  });

  const ids = (spans: readonly { traceId: string; spanId: string }[]): string[][] => spans.map((span) => [span.traceId, span.spanId]);

  it('finds the spans of a function across records and traces, newest first', () => {
    assert.deepEqual(ids(store.findSpansByCode({ functionName: 'Cart.load' })), [
      [traceIdOf(2), spanIdOf(2, 2)],
      [traceIdOf(2), spanIdOf(2, 1)],
      [traceIdOf(2), spanIdOf(2, 0)],
      [traceIdOf(0), spanIdOf(0, 1)],
      [traceIdOf(0), spanIdOf(0, 0)],
    ]);
    const [newest] = store.findSpansByCode({ functionName: 'Cart.load' });
    assert.equal(newest.filePath, '/srv/legacy/cart.ts');
    assert.equal(newest.serviceName, 'shop');
    assert.equal(newest.name, 'step 2');
  });

  it('finds the spans of a file, and of a function in a file', () => {
    assert.deepEqual(ids(store.findSpansByCode({ filePath: '/srv/cart.ts' })), [
      [traceIdOf(1), spanIdOf(1, 0)],
      [traceIdOf(0), spanIdOf(0, 1)],
      [traceIdOf(0), spanIdOf(0, 0)],
    ]);
    assert.deepEqual(ids(store.findSpansByCode({ functionName: 'Cart.load', filePath: '/srv/cart.ts' })), [
      [traceIdOf(0), spanIdOf(0, 1)],
      [traceIdOf(0), spanIdOf(0, 0)],
    ]);
    assert.deepEqual(store.findSpansByCode({ functionName: 'Cart.save', filePath: '/srv/legacy/cart.ts' }), []);
  });

  it('matches only the code columns, not other strings of a record', () => {
    assert.deepEqual(store.findSpansByCode({ functionName: 'GET /cart' }), []);
    assert.deepEqual(store.findSpansByCode({ filePath: 'checkout' }), []);
    assert.deepEqual(store.findSpansByCode({ functionName: 'Cart.missing' }), []);
    assert.deepEqual(store.findSpansByCode({}), []);
    // Trace 3's service is named Cart.load; its span has no code location.
    assert.ok(store.findSpansByCode({ functionName: 'Cart.load' }).every((span) => span.traceId !== traceIdOf(3)));
  });

  it('keeps the newest spans under a limit', () => {
    assert.deepEqual(ids(store.findSpansByCode({ functionName: 'Cart.load', limit: 2 })), [
      [traceIdOf(2), spanIdOf(2, 2)],
      [traceIdOf(2), spanIdOf(2, 1)],
    ]);
  });

  it('forgets the spans of evicted traces', () => {
    // Two more spans pass the cap of 8: the oldest trace goes.
    store.append(recordOf([{ trace: 4, spans: 2, attributes: code('Cart.load', '/srv/cart.ts'), startUnixMillis: TEST_START_MILLIS + 300 }]));
    assert.ok(!store.hasTrace(traceIdOf(0)));
    assert.deepEqual(ids(store.findSpansByCode({ functionName: 'Cart.load', filePath: '/srv/cart.ts' })), [
      [traceIdOf(4), spanIdOf(4, 1)],
      [traceIdOf(4), spanIdOf(4, 0)],
    ]);
  });
});
