// Self time: a span's duration minus the time its children cover. Children that overlap each other count
// once, and children that run past their parent (async work, clock skew) count only inside the parent.

import { sortGroupByStart } from './sortGroupByStart';

/**
 * Self time of every span, in the unit of `startNano`/`endNano` (offsets within one trace, so float64 holds
 * them exactly). `parentIndex[i]` is the index of span i's parent, or -1. Iterative, O(N log N).
 */
export function selfTimesNano(parentIndex: Int32Array, startNano: Float64Array, endNano: Float64Array): Float64Array<ArrayBuffer> {
  const count = parentIndex.length;
  const self = new Float64Array(count);
  // Children grouped by parent (counting sort), then each group sorted by start.
  const childStart = new Int32Array(count + 1);
  for (let i = 0; i < count; i++) {
    const parent = parentIndex[i];
    if (parent >= 0 && parent < count && parent !== i) childStart[parent + 1]++;
  }
  for (let i = 0; i < count; i++) childStart[i + 1] += childStart[i];
  const children = new Int32Array(childStart[count]);
  const fill = childStart.slice(0, count);
  for (let i = 0; i < count; i++) {
    const parent = parentIndex[i];
    if (parent >= 0 && parent < count && parent !== i) children[fill[parent]++] = i;
  }
  for (let parent = 0; parent < count; parent++) {
    const from = childStart[parent];
    const to = childStart[parent + 1];
    const parentStart = startNano[parent];
    const parentEnd = Math.max(parentStart, endNano[parent]);
    let covered = 0;
    if (to > from) {
      if (to - from > 1) sortGroupByStart(children, from, to, startNano);
      let runStart = 0;
      let runEnd = -Infinity;
      for (let k = from; k < to; k++) {
        const child = children[k];
        const start = Math.max(parentStart, startNano[child]);
        const end = Math.min(parentEnd, endNano[child]);
        if (end <= start) continue;
        if (start > runEnd) {
          if (runEnd > runStart) covered += runEnd - runStart;
          runStart = start;
          runEnd = end;
        } else if (end > runEnd) {
          runEnd = end;
        }
      }
      if (runEnd > runStart) covered += runEnd - runStart;
    }
    self[parent] = parentEnd - parentStart - covered;
  }
  return self;
}
