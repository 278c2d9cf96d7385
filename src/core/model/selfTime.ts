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
  selfTimesInto(count, parentIndex, startNano, endNano, self, new SelfTimeBuffers(count));
  return self;
}

/** Scratch space of selfTimesInto, for callers that compute self times of many traces in turn. */
export class SelfTimeBuffers {
  /** Spans the buffers hold. */
  capacity: number;
  childStart: Int32Array;
  children: Int32Array;
  fill: Int32Array;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.childStart = new Int32Array(capacity + 1);
    this.children = new Int32Array(capacity);
    this.fill = new Int32Array(capacity);
  }
}

/**
 * selfTimesNano over the first `count` spans (at most `buffers.capacity`) of the arrays, into `self`; the
 * arrays may be longer than `count`. Only spans `from` on get their self time (`self` keeps the rest), so
 * their children are all a caller must give parents of.
 */
export function selfTimesInto(
  count: number,
  parentIndex: Int32Array,
  startNano: Float64Array,
  endNano: Float64Array,
  self: Float64Array,
  buffers: SelfTimeBuffers,
  from = 0,
): void {
  // Children grouped by parent (counting sort), then each group sorted by start.
  const { childStart, children, fill } = buffers;
  childStart.fill(0, 0, count + 1);
  for (let i = 0; i < count; i++) {
    const parent = parentIndex[i];
    if (parent >= 0 && parent < count && parent !== i) childStart[parent + 1]++;
  }
  for (let i = 0; i < count; i++) childStart[i + 1] += childStart[i];
  for (let i = 0; i < count; i++) fill[i] = childStart[i];
  for (let i = 0; i < count; i++) {
    const parent = parentIndex[i];
    if (parent >= 0 && parent < count && parent !== i) children[fill[parent]++] = i;
  }
  const cover = new ClippedCover();
  for (let parent = from; parent < count; parent++) {
    const first = childStart[parent];
    const end = childStart[parent + 1];
    const parentStart = startNano[parent];
    const parentEnd = Math.max(parentStart, endNano[parent]);
    cover.reset(parentStart, parentEnd);
    if (end - first > 1) sortGroupByStart(children, first, end, startNano);
    for (let k = first; k < end; k++) cover.add(startNano[children[k]], endNano[children[k]]);
    self[parent] = parentEnd - parentStart - cover.covered();
  }
}

/**
 * The same self times for spans in display order (pre-order, each subtree contiguous, ending at
 * `subtreeEnd`): a span's children are found by skipping from subtree to subtree, and arrive in start
 * order unless clock-skew adjustment moved one, so no child index is built. Ends are start + duration.
 */
export function selfTimesInPreOrder(subtreeEnd: Int32Array, startNano: Float64Array, durationNano: Float64Array): Float64Array<ArrayBuffer> {
  const count = subtreeEnd.length;
  const self = new Float64Array(count);
  const cover = new ClippedCover();
  let unsorted: Int32Array | undefined;
  for (let parent = 0; parent < count; parent++) {
    const parentStart = startNano[parent];
    const parentEnd = Math.max(parentStart, parentStart + durationNano[parent]);
    const last = subtreeEnd[parent];
    cover.reset(parentStart, parentEnd);
    let previousStart = -Infinity;
    for (let child = parent + 1; child < last; child = subtreeEnd[child]) {
      const childStart = startNano[child];
      if (childStart < previousStart) {
        unsorted ??= new Int32Array(count);
        coverOutOfOrder(cover, unsorted, parent, last, subtreeEnd, startNano, durationNano);
        break;
      }
      previousStart = childStart;
      cover.add(childStart, childStart + durationNano[child]);
    }
    self[parent] = parentEnd - parentStart - cover.covered();
  }
  return self;
}

/** Starts `cover` over with the children of `parent`, sorted by start first. */
function coverOutOfOrder(
  cover: ClippedCover,
  scratch: Int32Array,
  parent: number,
  last: number,
  subtreeEnd: Int32Array,
  startNano: Float64Array,
  durationNano: Float64Array,
): void {
  let childCount = 0;
  for (let child = parent + 1; child < last; child = subtreeEnd[child]) scratch[childCount++] = child;
  sortGroupByStart(scratch, 0, childCount, startNano);
  cover.restart();
  for (let k = 0; k < childCount; k++) {
    const child = scratch[k];
    cover.add(startNano[child], startNano[child] + durationNano[child]);
  }
}

/**
 * Length of the union of intervals added in start order, clipped to one parent's [start, end): overlapping
 * children count once. One instance is reset per parent, so the walk allocates nothing per span.
 */
class ClippedCover {
  private fromNano = 0;
  private toNano = 0;
  private totalNano = 0;
  private runStartNano = 0;
  private runEndNano = -Infinity;

  reset(fromNano: number, toNano: number): void {
    this.fromNano = fromNano;
    this.toNano = toNano;
    this.restart();
  }

  /** Drops what was added, keeping the bounds. */
  restart(): void {
    this.totalNano = 0;
    this.runStartNano = 0;
    this.runEndNano = -Infinity;
  }

  add(startNano: number, endNano: number): void {
    const start = Math.max(this.fromNano, startNano);
    const end = Math.min(this.toNano, endNano);
    if (end <= start) return;
    if (start > this.runEndNano) {
      if (this.runEndNano > this.runStartNano) this.totalNano += this.runEndNano - this.runStartNano;
      this.runStartNano = start;
      this.runEndNano = end;
    } else if (end > this.runEndNano) {
      this.runEndNano = end;
    }
  }

  covered(): number {
    return this.runEndNano > this.runStartNano ? this.totalNano + this.runEndNano - this.runStartNano : this.totalNano;
  }
}
