import { strict as assert } from 'node:assert';
import { searchAttributes } from '../../../src/core/layout/attributeSearch';
import { SpanSearch, type SearchableColumns } from '../../../src/core/layout/spanSearch';
import { SPAN_FLAG_ERROR } from '../../../src/shared/webviewProtocol';
import { buildSpanTree } from '../../../src/core/model/spanTree';
import type { Attribute, AnyValue, Trace } from '../../../src/core/model/trace';
import { TRACE_ID, makeSpan, resourceFor } from './traceBuilders';

const text = (value: string): AnyValue => ({ type: 'string', value });
const attribute = (key: string, value: AnyValue): Attribute => ({ key, value });

/** Root 0 with children 1-4, each differing in where the searched text lives. Display order = index order. */
function sampleTrace(): Trace {
  const paymentResource = resourceFor('payments', [attribute('cloud.region', text('EU-West-1'))]);
  return {
    traceId: TRACE_ID,
    spans: [
      makeSpan({ index: 0, name: 'GET /checkout' }),
      makeSpan({ index: 1, parent: 0 }, { attributes: [attribute('http.route', text('/orders/{id}')), attribute('retry', { type: 'bool', value: true })] }),
      makeSpan({ index: 2, parent: 0 }, { resource: paymentResource }),
      makeSpan({ index: 3, parent: 0 }, { scope: { name: 'lib', attributes: [attribute('Otel.Scope.Flavour', text('vanilla'))] } }),
      makeSpan({ index: 4, parent: 0 }, { events: [{ timeUnixNano: 0n, name: 'Cache Miss', attributes: [] }] }),
      makeSpan(
        { index: 5, parent: 0 },
        { attributes: [attribute('nested', { type: 'array', value: [{ type: 'map', value: [attribute('deep.key', { type: 'int', value: '4242' })] }] })] },
      ),
    ],
  };
}

function search(trace: Trace, query: string, limit?: number): number[] {
  return [...searchAttributes(trace, buildSpanTree(trace.spans), query, limit)];
}

describe('searchAttributes', () => {
  const trace = sampleTrace();

  it('matches span attribute keys and values, case-insensitively', () => {
    assert.deepEqual(search(trace, 'HTTP.ROUTE'), [1]);
    assert.deepEqual(search(trace, '/orders/'), [1]);
    assert.deepEqual(search(trace, 'true'), [1]);
  });

  it('matches resource and scope attributes, and event names, but not span names', () => {
    assert.deepEqual(search(trace, 'eu-west'), [2]);
    assert.deepEqual(search(trace, 'flavour'), [3]);
    assert.deepEqual(search(trace, 'cache miss'), [4]);
    assert.deepEqual(search(trace, 'checkout'), []);
  });

  it('looks inside arrays and maps, and returns positions in display order', () => {
    assert.deepEqual(search(trace, '4242'), [5]);
    assert.deepEqual(search(trace, 'deep.key'), [5]);
    // service.name is a resource attribute of every span.
    assert.deepEqual(search(trace, 'service.name'), [0, 1, 2, 3, 4, 5]);
  });

  it('returns nothing for a blank query and stops at the limit', () => {
    assert.deepEqual(search(trace, '   '), []);
    assert.deepEqual(search(trace, 'service.name', 2), [0, 1]);
    const found = searchAttributes(trace, buildSpanTree(trace.spans), 'service.name', 2);
    assert.equal(found.buffer.byteLength, 8, 'the buffer holds only the matches, so it can cross to the webview as is');
  });

  it('does not overflow on values nested deeper than the cap', () => {
    let value: AnyValue = text('needle');
    for (let depth = 0; depth < 100_000; depth++) value = { type: 'array', value: [value] };
    const deep: Trace = { traceId: TRACE_ID, spans: [makeSpan({ index: 0 }, { attributes: [attribute('x', value)] })] };
    assert.deepEqual(search(deep, 'needle'), []);
  });
});

describe('SpanSearch.addMatches (attribute matches from the host)', () => {
  // 0 ─┬─ 1 ── 2
  //    └─ 3 ── 4 (error)
  // 5
  const columns: SearchableColumns = {
    spanCount: 6,
    names: ['root', 'alpha', 'beta', 'alpha two', 'gamma', 'other'],
    services: ['svc'],
    nameIndex: new Uint32Array([0, 1, 2, 3, 4, 5]),
    serviceIndex: new Uint32Array(6),
    durationNano: new Float64Array([100, 50, 10, 40, 30, 5]),
    flags: new Uint8Array([0, 0, 0, 0, SPAN_FLAG_ERROR, 0]),
    parentPosition: new Int32Array([-1, 0, 1, 0, 3, -1]),
  };
  const run = (text: string, rest: { minDurationNano?: number; errorsOnly?: boolean } = {}): SpanSearch => {
    const search = new SpanSearch(columns);
    search.start({ text, minDurationNano: rest.minDurationNano ?? 0, errorsOnly: rest.errorsOnly ?? false });
    search.run();
    return search;
  };
  const matchesOf = (search: SpanSearch): number[] => [...search.matches.subarray(0, search.matchCount)];

  it('merges into the sorted matches, pins ancestors and skips spans already matched', () => {
    const search = run('alpha');
    assert.deepEqual(matchesOf(search), [1, 3]);
    assert.equal(search.addMatches(new Int32Array([0, 2, 3, 4, 4])), 3);
    assert.deepEqual(matchesOf(search), [0, 1, 2, 3, 4]);
    assert.deepEqual([...search.matched], [1, 1, 1, 1, 1, 0]);
    assert.deepEqual([...search.pinned], [1, 1, 1, 1, 1, 0]);
    assert.equal(search.matchRank(2), 3);
    assert.equal(search.nextMatch(4), 0);
  });

  it('applies the duration and error filters to added spans, and ignores bad positions', () => {
    const search = run('alpha', { minDurationNano: 20 });
    assert.equal(search.addMatches(new Int32Array([-1, 2, 4, 9])), 1);
    assert.deepEqual(matchesOf(search), [1, 3, 4]);
    const errors = run('alpha', { errorsOnly: true });
    assert.equal(errors.addMatches(new Int32Array([0, 4, 5])), 1);
    assert.deepEqual(matchesOf(errors), [4]);
  });

  it('adds nothing to an unfinished or empty search', () => {
    const search = new SpanSearch(columns);
    search.start({ text: 'alpha', minDurationNano: 0, errorsOnly: false });
    assert.equal(search.addMatches(new Int32Array([5])), 0);
    assert.equal(run('').addMatches(new Int32Array([5])), 0);
  });
});
