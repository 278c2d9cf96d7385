import { strict as assert } from 'node:assert';
import { selfTimesNano } from '../../../src/core/model/selfTime';

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
