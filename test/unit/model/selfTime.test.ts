import { strict as assert } from 'node:assert';
import { selfTimesInPreOrder, selfTimesNano } from '../../../src/core/model/selfTime';
import { createRandom } from '../../support/traceGenerator';

function selfTimes(spans: readonly (readonly [parent: number, start: number, end: number])[]): number[] {
  return [...selfTimesNano(Int32Array.from(spans.map((s) => s[0])), Float64Array.from(spans.map((s) => s[1])), Float64Array.from(spans.map((s) => s[2])))];
}

describe('selfTimesNano', () => {
  it('subtracts sequential children from their parent', () => {
    assert.deepEqual(selfTimes([[-1, 0, 100], [0, 10, 30], [0, 50, 60]]), [70, 20, 10]);
  });

  it('counts overlapping children once', () => {
    assert.deepEqual(selfTimes([[-1, 0, 100], [0, 10, 50], [0, 40, 70], [0, 20, 30]]), [40, 40, 30, 10]);
  });

  it('clips children that start before or end after their parent', () => {
    assert.deepEqual(selfTimes([[-1, 100, 200], [0, 50, 120], [0, 180, 300]]), [60, 70, 120]);
  });

  it('takes grandchildren away from their own parent only', () => {
    assert.deepEqual(selfTimes([[-1, 0, 100], [0, 0, 50], [1, 0, 50]]), [50, 0, 50]);
  });

  it('ignores self-parented and out-of-range parents, and negative durations', () => {
    assert.deepEqual(selfTimes([[0, 0, 10], [7, 0, 5], [-1, 10, 5]]), [10, 5, 0]);
  });

  it('handles a chain a million deep without recursion', () => {
    const count = 1_000_000;
    const parent = new Int32Array(count);
    const start = new Float64Array(count);
    const end = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      parent[i] = i - 1;
      start[i] = i;
      end[i] = 2 * count - i;
    }
    const self = selfTimesNano(parent, start, end);
    assert.equal(self[0], 2);
    assert.equal(self[count - 1], 2);
  });
});

describe('selfTimesInPreOrder', () => {
  /** A random pre-order forest: parent positions, subtree ends, starts and durations. */
  function randomForest(random: () => number, count: number, fanOut: number): [Int32Array, Int32Array, Float64Array, Float64Array] {
    const parent = new Int32Array(count);
    const depth = new Int32Array(count);
    for (let p = 0; p < count; p++) {
      // Each span hangs under one of the spans on the path from the previous span up to its root.
      let candidate = p - 1;
      while (candidate !== -1 && random() < 1 - 1 / fanOut) candidate = parent[candidate];
      parent[p] = p === 0 || random() < 0.02 ? -1 : candidate;
      depth[p] = parent[p] === -1 ? 0 : depth[parent[p]] + 1;
    }
    const subtreeEnd = new Int32Array(count);
    for (let p = count - 1; p >= 0; p--) {
      subtreeEnd[p] = Math.max(subtreeEnd[p], p + 1);
      if (parent[p] !== -1) subtreeEnd[parent[p]] = Math.max(subtreeEnd[parent[p]], subtreeEnd[p]);
    }
    const start = new Float64Array(count);
    const duration = new Float64Array(count);
    for (let p = 0; p < count; p++) {
      start[p] = Math.floor(random() * 1000);
      duration[p] = random() < 0.05 ? 0 : Math.floor(random() * 300);
    }
    return [parent, subtreeEnd, start, duration];
  }

  it('matches selfTimesNano on random forests, children in start order or not', () => {
    const random = createRandom(11);
    for (let round = 0; round < 40; round++) {
      const [parent, subtreeEnd, start, duration] = randomForest(random, 1 + Math.floor(random() * 400), round % 2 === 0 ? 3 : 60);
      if (round % 4 < 2) {
        // Sort each parent's children by start, as a tree without clock-skew moves holds them.
        for (let p = 0; p < parent.length; p++) {
          const children: number[] = [];
          for (let c = p + 1; c < subtreeEnd[p]; c = subtreeEnd[c]) children.push(c);
          const starts = children.map((c) => start[c]).sort((a, b) => a - b);
          children.forEach((c, k) => (start[c] = starts[k]));
        }
      }
      const end = start.map((s, p) => s + duration[p]);
      assert.deepEqual([...selfTimesInPreOrder(subtreeEnd, start, duration)], [...selfTimesNano(parent, start, end)], `round ${round}`);
    }
  });
});
