import { strict as assert } from 'node:assert';
import { collapseAll, collapsedPositions, collapseToDepth, expandAll } from '../../../src/core/layout/collapseState';
import { computeVisibleRows } from '../../../src/core/layout/visibleRows';

// 0 ─┬─ 1 ─┬─ 2
//    │     └─ 3 ── 4
//    └─ 5
// 6 (second root)
const subtreeEnd = new Int32Array([6, 5, 3, 5, 5, 6, 7]);
const depth = new Uint16Array([0, 1, 2, 2, 3, 1, 0]);

function rows(collapsed: Uint8Array): number[] {
  const out = new Int32Array(subtreeEnd.length);
  return [...out.subarray(0, computeVisibleRows(subtreeEnd, collapsed, out))];
}

describe('collapse state', () => {
  it('collapses every parent and nothing else, then expands all', () => {
    const collapsed = new Uint8Array(7);
    collapseAll(subtreeEnd, collapsed);
    assert.deepEqual(collapsedPositions(collapsed), [0, 1, 3]);
    assert.deepEqual(rows(collapsed), [0, 6]);
    expandAll(collapsed);
    assert.deepEqual(collapsedPositions(collapsed), []);
    assert.deepEqual(rows(collapsed), [0, 1, 2, 3, 4, 5, 6]);
  });

  it('collapses to a depth, replacing earlier flags', () => {
    const collapsed = new Uint8Array(7);
    collapsed[0] = 1;
    collapseToDepth(subtreeEnd, depth, 1, collapsed);
    assert.deepEqual(collapsedPositions(collapsed), [1, 3]);
    assert.deepEqual(rows(collapsed), [0, 1, 5, 6]);
    collapseToDepth(subtreeEnd, depth, 2, collapsed);
    assert.deepEqual(rows(collapsed), [0, 1, 2, 3, 5, 6]);
    collapseToDepth(subtreeEnd, depth, 0, collapsed);
    assert.deepEqual(rows(collapsed), [0, 6]);
    collapseToDepth(subtreeEnd, depth, 99, collapsed);
    assert.deepEqual(rows(collapsed), [0, 1, 2, 3, 4, 5, 6]);
  });
});
