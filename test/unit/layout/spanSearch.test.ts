import { strict as assert } from 'node:assert';
import { SpanSearch, isEmptyQuery, type SearchableColumns, type SpanSearchQuery } from '../../../src/core/layout/spanSearch';
import { computeVisibleRows } from '../../../src/core/layout/visibleRows';
import { SPAN_FLAG_ERROR } from '../../../src/shared/webviewProtocol';

// 0 GET /orders (frontend) ─┬─ 1 SELECT (db) ─┬─ 2 cache.get (cache)
//                           │                 └─ 3 Render (frontend) ── 4 select rows (db, error)
//                           └─ 5 publish (queue)
// 6 GET /items (frontend, error)
const columns: SearchableColumns = {
  spanCount: 7,
  names: ['GET /orders', 'SELECT', 'cache.get', 'Render', 'select rows', 'publish', 'GET /items'],
  services: ['frontend', 'db', 'cache', 'queue'],
  nameIndex: new Uint32Array([0, 1, 2, 3, 4, 5, 6]),
  serviceIndex: new Uint32Array([0, 1, 2, 0, 1, 3, 0]),
  durationNano: new Float64Array([900, 500, 10, 300, 200, 50, 100]),
  flags: new Uint8Array([0, 0, 0, 0, SPAN_FLAG_ERROR, 0, SPAN_FLAG_ERROR]),
  parentPosition: new Int32Array([-1, 0, 1, 1, 3, 0, -1]),
};
const subtreeEnd = new Int32Array([6, 5, 3, 5, 5, 6, 7]);

function query(text: string, rest: Partial<SpanSearchQuery> = {}): SpanSearchQuery {
  return { text, minDurationNano: 0, errorsOnly: false, ...rest };
}

function search(q: SpanSearchQuery): SpanSearch {
  const spanSearch = new SpanSearch(columns);
  spanSearch.start(q);
  assert.equal(spanSearch.run(), true);
  return spanSearch;
}

const matchesOf = (s: SpanSearch): number[] => [...s.matches.subarray(0, s.matchCount)];

describe('span search', () => {
  it('matches names and services case-insensitively', () => {
    assert.deepEqual(matchesOf(search(query('select'))), [1, 4]);
    assert.deepEqual(matchesOf(search(query('  DB '))), [1, 4]);
    assert.deepEqual(matchesOf(search(query('front'))), [0, 3, 6]);
    assert.deepEqual(matchesOf(search(query('nothing like it'))), []);
  });

  it('combines text with minimum duration and errors only', () => {
    assert.deepEqual(matchesOf(search(query('', { minDurationNano: 300 }))), [0, 1, 3]);
    assert.deepEqual(matchesOf(search(query('', { errorsOnly: true }))), [4, 6]);
    assert.deepEqual(matchesOf(search(query('get', { errorsOnly: true }))), [6]);
    assert.deepEqual(matchesOf(search(query('db', { minDurationNano: 300 }))), [1]);
    assert.ok(isEmptyQuery(query('   ')));
    assert.equal(search(query('')).matchCount, 0);
  });

  it('pins matches and their ancestors, so collapsed subtrees reveal them in place', () => {
    const result = search(query('select rows'));
    assert.deepEqual([...result.pinned], [1, 1, 0, 1, 1, 0, 0]);
    const collapsed = new Uint8Array(7);
    collapsed[0] = 1;
    const out = new Int32Array(7);
    const revealed = computeVisibleRows(subtreeEnd, collapsed, out, { pinned: result.pinned, only: false });
    assert.deepEqual([...out.subarray(0, revealed)], [0, 1, 3, 4, 6]);
    const filtered = computeVisibleRows(subtreeEnd, new Uint8Array(7), out, { pinned: result.pinned, only: true });
    assert.deepEqual([...out.subarray(0, filtered)], [0, 1, 3, 4]);
  });

  it('steps through matches in display order, wrapping at both ends', () => {
    const result = search(query('front'));
    assert.equal(result.nextMatch(-1), 0);
    assert.equal(result.nextMatch(0), 3);
    assert.equal(result.nextMatch(4), 6);
    assert.equal(result.nextMatch(6), 0);
    assert.equal(result.previousMatch(3), 0);
    assert.equal(result.previousMatch(0), 6);
    assert.equal(result.previousMatch(5), 3);
    assert.deepEqual([0, 1, 3, 6].map((p) => result.matchRank(p)), [1, 0, 2, 3]);
    assert.equal(search(query('zzz')).nextMatch(0), -1);
  });

  it('resumes across yields and gives the same answer, reusing its buffers', () => {
    const spanSearch = new SpanSearch(columns);
    const buffer = spanSearch.matches;
    spanSearch.start(query('e'));
    let slices = 1;
    while (!spanSearch.run(() => true)) slices++;
    assert.ok(slices >= 4, `finished in ${slices} slices`);
    assert.deepEqual(matchesOf(spanSearch), matchesOf(search(query('e'))));
    spanSearch.start(query('queue'));
    spanSearch.run();
    assert.equal(spanSearch.matches, buffer);
    assert.deepEqual(matchesOf(spanSearch), [5]);
    assert.deepEqual([...spanSearch.matched], [0, 0, 0, 0, 0, 1, 0]);
  });

  it('searches a million spans in well under a second', () => {
    const spanCount = 1_000_000;
    const big: SearchableColumns = {
      spanCount,
      names: ['alpha', 'beta', 'gamma'],
      services: ['svc'],
      nameIndex: new Uint32Array(spanCount).map((_, i) => i % 3),
      serviceIndex: new Uint32Array(spanCount),
      durationNano: new Float64Array(spanCount).fill(5),
      flags: new Uint8Array(spanCount),
      parentPosition: new Int32Array(spanCount).map((_, i) => i - 1),
    };
    const spanSearch = new SpanSearch(big);
    const started = performance.now();
    spanSearch.start(query('gamma'));
    spanSearch.run();
    assert.equal(spanSearch.matchCount, 333_333);
    assert.equal(spanSearch.pinned[0], 1);
    assert.ok(performance.now() - started < 1000);
  });
});
