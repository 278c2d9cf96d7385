// The critical path as Jaeger UI computes it: from the end of each root, step back through the child
// that finished last before the point reached so far; the parts of a span not covered by the chosen
// children are its critical segments. Children are first clipped to their parent, and dropped when
// wholly outside it, as Jaeger does, so async work past the parent's end never drives the path.
//
// One deliberate difference: a child that ends exactly when the next chosen child starts is still
// eligible (Jaeger requires it to end strictly before), so back-to-back synchronous calls stay on the path.
//
// The walk keeps a stack of the spans it is inside and, per span, its clipped children sorted by end
// time with a cursor; each child is passed once, so the walk is O(N log N) at worst, and nothing
// recurses. Only spans the walk enters have their children listed, so on a real trace it touches a
// small part of it and allocates little besides the output.

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
const INITIAL_STACK = 256;
/** Paths with fewer segments than 1/this of the spans are ordered by a comparison sort, longer ones by counting. */
const COMPARISON_SORT_SHARE = 8;

/**
 * The critical path of every root's tree. Inputs are per display position of a pre-order forest, as
 * SpanTree gives it: each subtree is contiguous and ends before `subtreeEnd`.
 */
export function computeCriticalPath(subtreeEnd: Int32Array, startOffsetNano: Float64Array, durationNano: Float64Array): CriticalPath {
  const count = subtreeEnd.length;
  const segments = new SegmentList(count);
  const walk = new WalkStack();

  for (let root = 0; root < count; root = subtreeEnd[root]) {
    const rootStart = startOffsetNano[root];
    walk.enter(root, rootStart, rootStart + Math.max(0, durationNano[root]), subtreeEnd, startOffsetNano, durationNano);
    let bound = walk.topClipEnd();
    while (walk.depth > 0) {
      const span = walk.topSpan();
      const child = walk.nextChildEndingBy(bound);
      if (child !== -1) {
        const childEnd = walk.childClipEnd;
        segments.emit(span, childEnd, bound);
        walk.enter(child, walk.childClipStart, childEnd, subtreeEnd, startOffsetNano, durationNano);
        bound = childEnd;
      } else {
        const spanStart = walk.topClipStart();
        segments.emit(span, spanStart, bound);
        walk.leave();
        bound = spanStart;
      }
    }
  }

  return segments.groupByPosition();
}

/**
 * The spans the walk is inside, innermost last, and above them their kept children: per span a run of
 * child positions with clipped bounds, latest end first (ties in display order), and a cursor into it.
 */
class WalkStack {
  depth = 0;
  /** Bounds of the child nextChildEndingBy() returned. */
  childClipStart = 0;
  childClipEnd = 0;
  private frameSpan = new Int32Array(INITIAL_STACK);
  private frameFrom = new Int32Array(INITIAL_STACK);
  private frameCursor = new Int32Array(INITIAL_STACK);
  private frameStop = new Int32Array(INITIAL_STACK);
  private frameClip = new Float64Array(2 * INITIAL_STACK);
  private childCount = 0;
  private childPosition = new Int32Array(INITIAL_STACK);
  private childClip = new Float64Array(2 * INITIAL_STACK);

  topSpan(): number {
    return this.frameSpan[this.depth - 1];
  }

  topClipStart(): number {
    return this.frameClip[2 * this.depth - 2];
  }

  topClipEnd(): number {
    return this.frameClip[2 * this.depth - 1];
  }

  /** Pushes `span`, clipped to [clipStart, clipEnd), with its children clipped to that and sorted. */
  enter(span: number, clipStart: number, clipEnd: number, subtreeEnd: Int32Array, startOffsetNano: Float64Array, durationNano: Float64Array): void {
    if (this.depth === this.frameSpan.length) this.growFrames();
    const from = this.childCount;
    const last = subtreeEnd[span];
    for (let child = span + 1; child < last; child = subtreeEnd[child]) {
      const start = startOffsetNano[child];
      const end = start + Math.max(0, durationNano[child]);
      if (start >= clipEnd || (start < clipStart && end <= clipStart)) continue;
      if (this.childCount === this.childPosition.length) this.growChildren();
      this.childPosition[this.childCount] = child;
      this.childClip[2 * this.childCount] = Math.max(start, clipStart);
      this.childClip[2 * this.childCount + 1] = Math.min(end, clipEnd);
      this.childCount++;
    }
    if (this.childCount - from > 1) this.sortLaterEndFirst(from, this.childCount);
    const frame = this.depth++;
    this.frameSpan[frame] = span;
    this.frameFrom[frame] = from;
    this.frameCursor[frame] = from;
    this.frameStop[frame] = this.childCount;
    this.frameClip[2 * frame] = clipStart;
    this.frameClip[2 * frame + 1] = clipEnd;
  }

  /** Pops the innermost span and its children. */
  leave(): void {
    this.depth--;
    this.childCount = this.frameFrom[this.depth];
  }

  /** The innermost span's next child that ends by `bound`, or -1; children ending later are passed for good. */
  nextChildEndingBy(bound: number): number {
    const frame = this.depth - 1;
    let k = this.frameCursor[frame];
    const stop = this.frameStop[frame];
    while (k < stop && this.childClip[2 * k + 1] > bound) k++;
    this.frameCursor[frame] = k;
    if (k === stop) return -1;
    this.frameCursor[frame] = k + 1;
    this.childClipStart = this.childClip[2 * k];
    this.childClipEnd = this.childClip[2 * k + 1];
    return this.childPosition[k];
  }

  /** Sorts children [from, to), held in display order, by clipped end, latest first; ties keep display order. */
  private sortLaterEndFirst(from: number, to: number): void {
    const position = this.childPosition;
    const clip = this.childClip;
    if (to - from <= INSERTION_SORT_LIMIT) {
      for (let i = from + 1; i < to; i++) {
        const child = position[i];
        const start = clip[2 * i];
        const end = clip[2 * i + 1];
        let j = i - 1;
        while (j >= from && (clip[2 * j + 1] < end || (clip[2 * j + 1] === end && position[j] > child))) {
          position[j + 1] = position[j];
          clip[2 * j + 2] = clip[2 * j];
          clip[2 * j + 3] = clip[2 * j + 1];
          j--;
        }
        position[j + 1] = child;
        clip[2 * j + 2] = start;
        clip[2 * j + 3] = end;
      }
      return;
    }
    // Sort slot numbers, then lay the children out in that order.
    const slots = Int32Array.from({ length: to - from }, (_, k) => from + k);
    slots.sort((a, b) => clip[2 * b + 1] - clip[2 * a + 1] || position[a] - position[b]);
    const sortedPosition = Int32Array.from(slots, (slot) => position[slot]);
    const sortedClip = new Float64Array(2 * slots.length);
    slots.forEach((slot, k) => {
      sortedClip[2 * k] = clip[2 * slot];
      sortedClip[2 * k + 1] = clip[2 * slot + 1];
    });
    position.set(sortedPosition, from);
    clip.set(sortedClip, 2 * from);
  }

  private growFrames(): void {
    this.frameSpan = grownInt32(this.frameSpan);
    this.frameFrom = grownInt32(this.frameFrom);
    this.frameCursor = grownInt32(this.frameCursor);
    this.frameStop = grownInt32(this.frameStop);
    this.frameClip = grownFloat64(this.frameClip);
  }

  private growChildren(): void {
    this.childPosition = grownInt32(this.childPosition);
    this.childClip = grownFloat64(this.childClip);
  }
}

/** Segments as the walk emits them: each span's latest first, interleaved with its descendants'. */
class SegmentList {
  private emitted = 0;
  private position = new Int32Array(INITIAL_SEGMENTS);
  private bounds = new Float64Array(2 * INITIAL_SEGMENTS);
  private readonly onPath: Uint8Array<ArrayBuffer>;

  constructor(private readonly spanCount: number) {
    this.onPath = new Uint8Array(spanCount);
  }

  emit(position: number, from: number, to: number): void {
    if (!(to > from)) return;
    const emitted = this.emitted;
    // A zero-length child leaves its parent two touching pieces; keep them one.
    if (emitted > 0 && this.position[emitted - 1] === position && this.bounds[2 * emitted - 2] === to) {
      this.bounds[2 * emitted - 2] = from;
      return;
    }
    if (emitted === this.position.length) {
      this.position = grownInt32(this.position);
      this.bounds = grownFloat64(this.bounds);
    }
    this.position[emitted] = position;
    this.bounds[2 * emitted] = from;
    this.bounds[2 * emitted + 1] = to;
    this.emitted++;
    this.onPath[position] = 1;
  }

  /** Segments by position, each span's in time order (the reverse of emission). */
  groupByPosition(): CriticalPath {
    const emitted = this.emitted;
    const order = this.emissionsByPosition();
    const segmentPosition = new Int32Array(emitted);
    const segmentBoundsNano = new Float64Array(2 * emitted);
    for (let target = 0; target < emitted; target++) {
      const k = order[target];
      segmentPosition[target] = this.position[k];
      segmentBoundsNano[2 * target] = this.bounds[2 * k];
      segmentBoundsNano[2 * target + 1] = this.bounds[2 * k + 1];
    }
    return { onPath: this.onPath, segmentCount: emitted, segmentPosition, segmentBoundsNano };
  }

  /** Emission indexes by position, later emissions first within one: a counting sort when the path is long. */
  private emissionsByPosition(): Int32Array {
    const emitted = this.emitted;
    const position = this.position;
    if (emitted * COMPARISON_SORT_SHARE < this.spanCount) {
      const order = Int32Array.from({ length: emitted }, (_, k) => k);
      return order.sort((a, b) => position[a] - position[b] || b - a);
    }
    const slot = new Int32Array(this.spanCount + 1);
    for (let k = 0; k < emitted; k++) slot[position[k] + 1]++;
    for (let p = 0; p < this.spanCount; p++) slot[p + 1] += slot[p];
    const order = new Int32Array(emitted);
    for (let k = emitted - 1; k >= 0; k--) order[slot[position[k]]++] = k;
    return order;
  }
}

function grownInt32(values: Int32Array): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(2 * values.length);
  grown.set(values);
  return grown;
}

function grownFloat64(values: Float64Array): Float64Array<ArrayBuffer> {
  const grown = new Float64Array(2 * values.length);
  grown.set(values);
  return grown;
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
