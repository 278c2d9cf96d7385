// The critical path as Jaeger UI computes it: from the end of each root, step back through the child
// that finished last before the point reached so far; the parts of a span not covered by the chosen
// children are its critical segments. Children are first clipped to their parent, and dropped when
// wholly outside it, as Jaeger does, so async work past the parent's end never drives the path.
//
// One deliberate difference: a child that ends exactly when the next chosen child starts is still
// eligible (Jaeger requires it to end strictly before), so back-to-back synchronous calls stay on the path.
//
// The walk keeps one current span and, per span, a cursor into its children sorted by end time; each
// child is passed once, so the walk is O(N) after O(N log N) sorting, and nothing recurses.

export interface CriticalPath {
  /** Per display position: 1 if some part of the span is on the critical path. */
  readonly onPath: Uint8Array<ArrayBuffer>;
  readonly segmentCount: number;
  /** Display position of each segment's span; ascending, and by time within one span. */
  readonly segmentPosition: Int32Array<ArrayBuffer>;
  /** Start and end offset (ns from trace start) of each segment: start0, end0, start1, end1, … */
  readonly segmentBoundsNano: Float64Array<ArrayBuffer>;
}

/** Groups below this size are sorted by insertion, which beats a comparator sort on tiny slices. */
const INSERTION_SORT_LIMIT = 16;
const INITIAL_SEGMENTS = 256;

/**
 * The critical path of every root's tree. Inputs are per display position (pre-order, so a parent
 * comes before its children); a parent link that does not point earlier is treated as a root.
 */
export function computeCriticalPath(
  parentPosition: Int32Array,
  startOffsetNano: Float64Array,
  durationNano: Float64Array,
): CriticalPath {
  const count = parentPosition.length;
  const clipStart = new Float64Array(count);
  const clipEnd = new Float64Array(count);
  const kept = new Uint8Array(count);
  const childStart = new Int32Array(count + 1);
  for (let p = 0; p < count; p++) {
    const start = startOffsetNano[p];
    const end = start + Math.max(0, durationNano[p]);
    const parent = parentOf(parentPosition, p);
    if (parent === -1) {
      clipStart[p] = start;
      clipEnd[p] = end;
      kept[p] = 1;
      continue;
    }
    if (kept[parent] === 0) continue;
    const parentStart = clipStart[parent];
    const parentEnd = clipEnd[parent];
    if (start >= parentEnd || (start < parentStart && end <= parentStart)) continue;
    clipStart[p] = Math.max(start, parentStart);
    clipEnd[p] = Math.min(end, parentEnd);
    kept[p] = 1;
    childStart[parent + 1]++;
  }
  for (let p = 0; p < count; p++) childStart[p + 1] += childStart[p];

  // Children per parent, latest end first; ties keep display order (earlier start first).
  const children = new Int32Array(childStart[count]);
  const cursor = childStart.slice(0, count);
  for (let p = 0; p < count; p++) {
    const parent = parentOf(parentPosition, p);
    if (parent !== -1 && kept[p] === 1) children[cursor[parent]++] = p;
  }
  const laterEndFirst = (a: number, b: number): number => clipEnd[b] - clipEnd[a] || a - b;
  for (let p = 0; p < count; p++) {
    const from = childStart[p];
    const to = childStart[p + 1];
    if (to - from < 2) continue;
    if (to - from <= INSERTION_SORT_LIMIT) insertionSort(children, from, to, clipEnd);
    else children.subarray(from, to).sort(laterEndFirst);
  }
  cursor.set(childStart.subarray(0, count));

  // Real paths are short next to the trace, so the segment buffers start small and double.
  let emittedPosition = new Int32Array(INITIAL_SEGMENTS);
  let emittedBounds = new Float64Array(2 * INITIAL_SEGMENTS);
  const onPath = new Uint8Array(count);
  let emitted = 0;
  const emit = (position: number, from: number, to: number): void => {
    if (!(to > from)) return;
    // A zero-length child leaves its parent two touching pieces; keep them one.
    if (emitted > 0 && emittedPosition[emitted - 1] === position && emittedBounds[2 * emitted - 2] === to) {
      emittedBounds[2 * emitted - 2] = from;
      return;
    }
    if (emitted === emittedPosition.length) {
      const grownPosition = new Int32Array(2 * emitted);
      grownPosition.set(emittedPosition);
      emittedPosition = grownPosition;
      const grownBounds = new Float64Array(4 * emitted);
      grownBounds.set(emittedBounds);
      emittedBounds = grownBounds;
    }
    emittedPosition[emitted] = position;
    emittedBounds[2 * emitted] = from;
    emittedBounds[2 * emitted + 1] = to;
    emitted++;
    onPath[position] = 1;
  };

  for (let root = 0; root < count; root++) {
    if (parentOf(parentPosition, root) !== -1) continue;
    let span = root;
    let bound = clipEnd[root];
    for (;;) {
      let k = cursor[span];
      const stop = childStart[span + 1];
      while (k < stop && clipEnd[children[k]] > bound) k++;
      if (k < stop) {
        const child = children[k];
        cursor[span] = k + 1;
        emit(span, clipEnd[child], bound);
        span = child;
        bound = clipEnd[child];
      } else {
        cursor[span] = k;
        emit(span, clipStart[span], bound);
        if (span === root) break;
        bound = clipStart[span];
        span = parentPosition[span];
      }
    }
  }

  return groupByPosition(count, onPath, emitted, emittedPosition, emittedBounds);
}

/**
 * Index of the first segment of the span at `position` in `path`, or `path.segmentCount` if it has
 * none; its segments run while `segmentPosition[k] === position`. O(log segments).
 */
export function firstSegmentOf(path: CriticalPath, position: number): number {
  let low = 0;
  let high = path.segmentCount;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (path.segmentPosition[middle] < position) low = middle + 1;
    else high = middle;
  }
  return low;
}

function parentOf(parentPosition: Int32Array, position: number): number {
  const parent = parentPosition[position];
  return parent >= 0 && parent < position ? parent : -1;
}

function insertionSort(children: Int32Array, from: number, to: number, clipEnd: Float64Array): void {
  for (let i = from + 1; i < to; i++) {
    const child = children[i];
    const end = clipEnd[child];
    let j = i - 1;
    while (j >= from && (clipEnd[children[j]] < end || (clipEnd[children[j]] === end && children[j] > child))) {
      children[j + 1] = children[j];
      j--;
    }
    children[j + 1] = child;
  }
}

/** Counting sort by position. The walk emits each span's segments latest first, so read it backwards. */
function groupByPosition(
  count: number,
  onPath: Uint8Array<ArrayBuffer>,
  emitted: number,
  emittedPosition: Int32Array,
  emittedBounds: Float64Array,
): CriticalPath {
  const slot = new Int32Array(count + 1);
  for (let k = 0; k < emitted; k++) slot[emittedPosition[k] + 1]++;
  for (let p = 0; p < count; p++) slot[p + 1] += slot[p];
  const segmentPosition = new Int32Array(emitted);
  const segmentBoundsNano = new Float64Array(2 * emitted);
  for (let k = emitted - 1; k >= 0; k--) {
    const target = slot[emittedPosition[k]]++;
    segmentPosition[target] = emittedPosition[k];
    segmentBoundsNano[2 * target] = emittedBounds[2 * k];
    segmentBoundsNano[2 * target + 1] = emittedBounds[2 * k + 1];
  }
  return { onPath, segmentCount: emitted, segmentPosition, segmentBoundsNano };
}
