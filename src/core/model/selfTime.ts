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

/**
 * The same self times for spans in display order (pre-order, each subtree contiguous, ending at
 * `subtreeEnd`): a span's children are found by skipping from subtree to subtree, and arrive in start
 * order unless clock-skew adjustment moved one, so no child index is built. Ends are start + duration.
 */
export function selfTimesInPreOrder(subtreeEnd: Int32Array, startNano: Float64Array, durationNano: Float64Array): Float64Array<ArrayBuffer> {
  const count = subtreeEnd.length;
  const self = new Float64Array(count);
  let unsorted: Int32Array | undefined;
  for (let parent = 0; parent < count; parent++) {
    const parentStart = startNano[parent];
    const parentEnd = Math.max(parentStart, parentStart + durationNano[parent]);
    const last = subtreeEnd[parent];
    let covered = 0;
    let inOrder = true;
    let previousStart = -Infinity;
    let runStart = 0;
    let runEnd = -Infinity;
    for (let child = parent + 1; child < last; child = subtreeEnd[child]) {
      const childStart = startNano[child];
      if (childStart < previousStart) {
        inOrder = false;
        break;
      }
      previousStart = childStart;
      const start = Math.max(parentStart, childStart);
      const end = Math.min(parentEnd, childStart + durationNano[child]);
      if (end <= start) continue;
      if (start > runEnd) {
        if (runEnd > runStart) covered += runEnd - runStart;
        runStart = start;
        runEnd = end;
      } else if (end > runEnd) {
        runEnd = end;
      }
    }
    if (inOrder) {
      if (runEnd > runStart) covered += runEnd - runStart;
    } else {
      unsorted ??= new Int32Array(count);
      covered = coveredOutOfOrder(unsorted, parent, last, subtreeEnd, startNano, durationNano, parentStart, parentEnd);
    }
    self[parent] = parentEnd - parentStart - covered;
  }
  return self;
}

/** Time the children of `parent` cover inside [parentStart, parentEnd), sorting them by start first. */
function coveredOutOfOrder(
  scratch: Int32Array,
  parent: number,
  last: number,
  subtreeEnd: Int32Array,
  startNano: Float64Array,
  durationNano: Float64Array,
  parentStart: number,
  parentEnd: number,
): number {
  let childCount = 0;
  for (let child = parent + 1; child < last; child = subtreeEnd[child]) scratch[childCount++] = child;
  sortGroupByStart(scratch, 0, childCount, startNano);
  let covered = 0;
  let runStart = 0;
  let runEnd = -Infinity;
  for (let k = 0; k < childCount; k++) {
    const child = scratch[k];
    const start = Math.max(parentStart, startNano[child]);
    const end = Math.min(parentEnd, startNano[child] + durationNano[child]);
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
  return covered;
}
