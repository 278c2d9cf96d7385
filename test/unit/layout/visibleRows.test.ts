import { strict as assert } from 'node:assert';
import {
  computeVisibleRows,
  expandAncestors,
  nearestVisibleAncestor,
  rowOfPosition,
} from '../../../src/core/layout/visibleRows';

// 0 ─┬─ 1 ─┬─ 2
//    │     └─ 3 ── 4
//    └─ 5
// 6 (second root)
const subtreeEnd = new Int32Array([6, 5, 3, 5, 5, 6, 7]);
const parentPosition = new Int32Array([-1, 0, 1, 1, 3, 0, -1]);

function visible(collapsed: number[]): number[] {
  const flags = new Uint8Array(subtreeEnd.length);
  for (const position of collapsed) flags[position] = 1;
  const out = new Int32Array(subtreeEnd.length);
  const count = computeVisibleRows(subtreeEnd, flags, out);
  return [...out.subarray(0, count)];
}

describe('visible rows', () => {
  it('shows every span when nothing is collapsed', () => {
    assert.deepEqual(visible([]), [0, 1, 2, 3, 4, 5, 6]);
  });

  it('skips the subtree of a collapsed span but keeps the span', () => {
    assert.deepEqual(visible([1]), [0, 1, 5, 6]);
    assert.deepEqual(visible([3]), [0, 1, 2, 3, 5, 6]);
    assert.deepEqual(visible([0]), [0, 6]);
  });

  it('keeps nested collapse flags hidden under a collapsed ancestor', () => {
    assert.deepEqual(visible([0, 3]), [0, 6]);
    assert.deepEqual(visible([3, 1]), [0, 1, 5, 6]);
  });

  it('reuses the output buffer without allocating and refuses a short one', () => {
    const out = new Int32Array(7).fill(-9);
    assert.equal(computeVisibleRows(subtreeEnd, new Uint8Array(7), out), 7);
    assert.throws(() => computeVisibleRows(subtreeEnd, new Uint8Array(7), new Int32Array(3)), /holds 3 rows, need 7/);
  });

  it('walks a chain of a million spans without recursion', () => {
    const count = 1_000_000;
    const chainEnd = new Int32Array(count).fill(count);
    const flags = new Uint8Array(count);
    const out = new Int32Array(count);
    assert.equal(computeVisibleRows(chainEnd, flags, out), count);
    flags[10] = 1;
    assert.equal(computeVisibleRows(chainEnd, flags, out), 11);
  });

  it('finds the row of a visible position and -1 for a hidden one', () => {
    const rows = new Int32Array([0, 1, 5, 6, 99]);
    assert.equal(rowOfPosition(rows, 4, 5), 2);
    assert.equal(rowOfPosition(rows, 4, 0), 0);
    assert.equal(rowOfPosition(rows, 4, 6), 3);
    assert.equal(rowOfPosition(rows, 4, 3), -1);
    assert.equal(rowOfPosition(rows, 4, 99), -1, 'looked past count');
  });

  it('expands collapsed ancestors and finds the nearest visible ancestor', () => {
    const flags = new Uint8Array(7);
    flags[0] = 1;
    flags[3] = 1;
    assert.equal(nearestVisibleAncestor(parentPosition, flags, 4), 0);
    assert.equal(nearestVisibleAncestor(parentPosition, flags, 6), 6);
    assert.equal(expandAncestors(parentPosition, flags, 4), true);
    assert.deepEqual([...flags], [0, 0, 0, 0, 0, 0, 0]);
    assert.equal(expandAncestors(parentPosition, flags, 4), false);
    flags[1] = 1;
    assert.equal(nearestVisibleAncestor(parentPosition, flags, 1), 1, 'a collapsed span is itself visible');
  });
});

describe('visible rows with revealed spans', () => {
  const out = new Int32Array(subtreeEnd.length);
  const run = (collapsed: number[], pinnedPositions: number[], only: boolean): number[] => {
    const flags = new Uint8Array(subtreeEnd.length);
    for (const position of collapsed) flags[position] = 1;
    const pinned = new Uint8Array(subtreeEnd.length);
    for (const position of pinnedPositions) pinned[position] = 1;
    return [...out.subarray(0, computeVisibleRows(subtreeEnd, flags, out, { pinned, only }))];
  };

  it('shows a pinned path under collapsed ancestors and nothing else of their subtrees', () => {
    assert.deepEqual(run([0], [0, 1, 3, 4], false), [0, 1, 3, 4, 6]);
    assert.deepEqual(run([0, 3], [0, 1, 3, 4], false), [0, 1, 3, 4, 6]);
    assert.deepEqual(run([1], [0, 5], false), [0, 1, 5, 6]);
    assert.deepEqual(run([], [], false), [0, 1, 2, 3, 4, 5, 6]);
  });

  it('shows only pinned spans as a filter', () => {
    assert.deepEqual(run([], [0, 1, 2], true), [0, 1, 2]);
    assert.deepEqual(run([0], [6], true), [6]);
    assert.deepEqual(run([], [], true), []);
  });
});
