// Turns the flat span list of one trace into a display tree: pre-order, children by start time.
// Real traces are messy (lost parents, Zipkin's shared client/server IDs, the odd cycle), so every
// repair is counted and reported once instead of failing. Everything is iterative: a trace may be a
// 100k-deep chain.

import { sortGroupByStart } from './sortGroupByStart';
import type { Span } from './trace';

export interface SpanTree {
  /** Indexes into `spans`, in display order: pre-order DFS, roots and children sorted by start time. */
  readonly order: Int32Array;
  /** Per display position: the display position of the parent, or -1. */
  readonly parentPosition: Int32Array;
  /** Per display position: depth, roots 0. */
  readonly depth: Int32Array;
  /** Per display position: one past the last position of its subtree. */
  readonly subtreeEnd: Int32Array;
  readonly rootCount: number;
  /** Largest value in `depth` (a lone root gives 0; no spans give 0). */
  readonly maxDepth: number;
  /** Repairs made to the parent links, in words a user understands. */
  readonly warnings: readonly string[];
  /** Per span index: its display position (the inverse of `order`). */
  readonly positionOf: Int32Array;
  /** Per span index: start minus `traceStartUnixNano` as float64 (exact for traces shorter than 104 days). */
  readonly startOffsetNano: Float64Array;
  /** Earliest span start; 0 when there are no spans. */
  readonly traceStartUnixNano: bigint;
}

const CYCLE_EXAMPLES = 3;
/** Start offsets are exact as float64 while the trace spans at most this. */
const MAX_EXACT_NANO = 2n ** 53n;

/** Builds the tree of one trace's spans. O(N log N); never throws on inconsistent parent links. */
export function buildSpanTree(spans: readonly Span[]): SpanTree {
  const warnings: string[] = [];
  const { startOffsetNano, traceStartUnixNano } = startOffsets(spans);
  const parentIndex = resolveParents(spans, warnings);
  // A cycle leaves its spans unreached from the roots; only then is it worth walking every parent chain.
  let laidOut = layOut(parentIndex, startOffsetNano);
  if (laidOut.reachedCount < spans.length) {
    breakCycles(spans, parentIndex, startOffsetNano, warnings);
    laidOut = layOut(parentIndex, startOffsetNano);
  }
  return { ...laidOut.layout, warnings, startOffsetNano, traceStartUnixNano };
}

type Layout = Pick<SpanTree, 'order' | 'parentPosition' | 'depth' | 'subtreeEnd' | 'rootCount' | 'maxDepth' | 'positionOf'>;

/** Display order of a forest. Spans in a parent cycle are not reached from a root; `reachedCount` tells. */
function layOut(parentIndex: Int32Array, startOffset: Float64Array): { layout: Layout; reachedCount: number } {
  const count = parentIndex.length;
  const { rowStart, children } = childRows(parentIndex, startOffset);
  const order = new Int32Array(count);
  const parentPosition = new Int32Array(count);
  const depth = new Int32Array(count);
  const positionOf = new Int32Array(count);
  // The walk's stack borrows the subtree-end column, which is filled only after the walk: one buffer
  // fewer keeps a big load further from the external-memory growth that starts a full GC.
  const subtreeEnd = new Int32Array(count);
  const { reachedCount, maxDepth } = walkPreOrder(parentIndex, rowStart, children, subtreeEnd, order, parentPosition, depth, positionOf);
  subtreeEnd.fill(0);
  fillSubtreeEnds(parentPosition, reachedCount, subtreeEnd);
  const rootCount = rowStart[count + 1] - rowStart[count];
  return { layout: { order, parentPosition, depth, subtreeEnd, rootCount, maxDepth, positionOf }, reachedCount };
}

/**
 * Children in compressed rows; slot `count` holds the roots. Filled in span order, then each row
 * sorted by start: groups are small, so this beats one comparator sort over the whole trace.
 */
function childRows(parentIndex: Int32Array, startOffset: Float64Array): { rowStart: Int32Array; children: Int32Array } {
  const count = parentIndex.length;
  const rowStart = new Int32Array(count + 2);
  for (let i = 0; i < count; i++) rowStart[slotOf(parentIndex[i], count) + 2]++;
  for (let slot = 0; slot <= count; slot++) rowStart[slot + 1] += rowStart[slot];
  const children = new Int32Array(count);
  for (let i = 0; i < count; i++) children[rowStart[slotOf(parentIndex[i], count) + 1]++] = i;
  // rowStart[slot] .. rowStart[slot + 1] now spans the children of `slot`, in span order.
  for (let slot = 0; slot <= count; slot++) {
    if (rowStart[slot + 1] - rowStart[slot] > 1) sortGroupByStart(children, rowStart[slot], rowStart[slot + 1], startOffset);
  }
  return { rowStart, children };
}

/** Depth-first from the roots, writing each span's display position, parent position and depth. */
function walkPreOrder(
  parentIndex: Int32Array,
  rowStart: Int32Array,
  children: Int32Array,
  stack: Int32Array,
  order: Int32Array,
  parentPosition: Int32Array,
  depth: Int32Array,
  positionOf: Int32Array,
): { reachedCount: number; maxDepth: number } {
  const count = parentIndex.length;
  let stackSize = 0;
  for (let k = rowStart[count + 1] - 1; k >= rowStart[count]; k--) stack[stackSize++] = children[k];
  let position = 0;
  let maxDepth = 0;
  while (stackSize > 0) {
    const node = stack[--stackSize];
    const parent = parentIndex[node];
    const parentPos = parent === -1 ? -1 : positionOf[parent];
    const nodeDepth = parentPos === -1 ? 0 : depth[parentPos] + 1;
    order[position] = node;
    parentPosition[position] = parentPos;
    depth[position] = nodeDepth;
    positionOf[node] = position;
    if (nodeDepth > maxDepth) maxDepth = nodeDepth;
    position++;
    for (let k = rowStart[node + 1] - 1; k >= rowStart[node]; k--) stack[stackSize++] = children[k];
  }
  return { reachedCount: position, maxDepth };
}

/** Pre-order keeps each subtree contiguous, so its end is the furthest end among its children. */
function fillSubtreeEnds(parentPosition: Int32Array, count: number, subtreeEnd: Int32Array): void {
  for (let p = count - 1; p >= 0; p--) {
    if (subtreeEnd[p] === 0) subtreeEnd[p] = p + 1;
    const parentPos = parentPosition[p];
    if (parentPos !== -1 && subtreeEnd[p] > subtreeEnd[parentPos]) subtreeEnd[parentPos] = subtreeEnd[p];
  }
}

function slotOf(parent: number, count: number): number {
  return parent === -1 ? count : parent;
}

/** Start times relative to the earliest span, as float64 (exact for traces shorter than 104 days). */
function startOffsets(spans: readonly Span[]): { startOffsetNano: Float64Array; traceStartUnixNano: bigint } {
  const count = spans.length;
  const offsets = new Float64Array(count);
  if (count === 0) return { startOffsetNano: offsets, traceStartUnixNano: 0n };
  // One pass: offsets from the first span, exact while the whole trace spans at most 2^53 ns; then
  // shifted to the earliest span. A wider trace takes the second pass, rounding as Number(start - earliest).
  const first = spans[0].startTimeUnixNano;
  let earliest = first;
  let latest = first;
  for (let i = 0; i < count; i++) {
    const start = spans[i].startTimeUnixNano;
    if (start < earliest) earliest = start;
    else if (start > latest) latest = start;
    offsets[i] = Number(start - first);
  }
  if (latest - earliest <= MAX_EXACT_NANO) {
    const shift = Number(first - earliest);
    if (shift !== 0) for (let i = 0; i < count; i++) offsets[i] += shift;
  } else {
    for (let i = 0; i < count; i++) offsets[i] = Number(spans[i].startTimeUnixNano - earliest);
  }
  return { startOffsetNano: offsets, traceStartUnixNano: earliest };
}

/**
 * Span IDs by hash in an open-addressing table of typed arrays, so indexing a million spans allocates
 * no per-span heap object (a Map's entries would push the host into a long full GC).
 */
class SpanIdTable {
  private readonly hashes: Int32Array;
  private readonly slots: Int32Array;
  private readonly mask: number;

  constructor(private readonly spans: readonly Span[]) {
    let capacity = 16;
    while (capacity < 2 * spans.length) capacity *= 2;
    this.hashes = new Int32Array(spans.length);
    this.slots = new Int32Array(capacity).fill(-1);
    this.mask = capacity - 1;
  }

  /** Adds span `index` under its ID unless an earlier span holds that ID; returns that span, or -1. */
  add(index: number): number {
    const id = this.spans[index].spanId;
    const hash = stringHash(id);
    this.hashes[index] = hash;
    let slot = hash & this.mask;
    for (;;) {
      const held = this.slots[slot];
      if (held === -1) {
        this.slots[slot] = index;
        return -1;
      }
      if (this.hashes[held] === hash && this.spans[held].spanId === id) return held;
      slot = (slot + 1) & this.mask;
    }
  }

  /** The first span added with this ID, or -1. */
  find(id: string): number {
    const hash = stringHash(id);
    let slot = hash & this.mask;
    for (;;) {
      const held = this.slots[slot];
      if (held === -1) return -1;
      if (this.hashes[held] === hash && this.spans[held].spanId === id) return held;
      slot = (slot + 1) & this.mask;
    }
  }
}

/** FNV-1a over pairs of UTF-16 code units with a final avalanche, so the low bits index the table well. */
function stringHash(value: string): number {
  let hash = 0x811c9dc5;
  const length = value.length;
  let k = 0;
  for (; k + 1 < length; k += 2) hash = Math.imul(hash ^ (value.charCodeAt(k) | (value.charCodeAt(k + 1) << 16)), 0x01000193);
  if (k < length) hash = Math.imul(hash ^ value.charCodeAt(k), 0x01000193);
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return hash ^ (hash >>> 16);
}

/**
 * Parent index per span, or -1. A span ID used by several spans (Zipkin's shared client/server spans
 * do this by design) gets one primary occurrence, the first that is not a server span; the other
 * occurrences hang under it, and children of the ID attach to the latest occurrence from the
 * child's own service, else to the latest occurrence, which is where Zipkin's server side sits.
 */
function resolveParents(spans: readonly Span[], warnings: string[]): Int32Array {
  const count = spans.length;
  const parentIndex = new Int32Array(count).fill(-1);
  const firstById = new SpanIdTable(spans);
  const occurrencesById = indexSpanIds(spans, firstById);

  // Only a trace with duplicate IDs has secondary copies.
  const isSecondaryCopy = occurrencesById === undefined ? undefined : new Uint8Array(count);
  let oddDuplicateIds = 0;
  let oddDuplicateExample = '';
  if (occurrencesById !== undefined && isSecondaryCopy !== undefined) {
    for (const [id, occurrences] of occurrencesById) {
      let primaryAt = occurrences.findIndex((index) => spans[index].kind !== 'server');
      if (primaryAt === -1) primaryAt = 0;
      const primary = occurrences[primaryAt];
      occurrences.splice(primaryAt, 1);
      occurrences.unshift(primary);
      let zipkinLike = spans[primary].kind === 'client';
      for (let k = 1; k < occurrences.length; k++) {
        parentIndex[occurrences[k]] = primary;
        isSecondaryCopy[occurrences[k]] = 1;
        if (spans[occurrences[k]].kind !== 'server') zipkinLike = false;
      }
      if (!zipkinLike) {
        oddDuplicateIds++;
        if (oddDuplicateExample === '') oddDuplicateExample = id;
      }
    }
  }

  const { missing, selfParents } = linkParents(spans, firstById, occurrencesById, isSecondaryCopy, parentIndex);
  if (missing > 0) {
    warnings.push(`${spanCount(missing)} ${missing === 1 ? 'references' : 'reference'} a parent that is not in the trace; shown as roots`);
  }
  if (selfParents > 0) {
    warnings.push(`${spanCount(selfParents)} ${selfParents === 1 ? 'names itself' : 'name themselves'} as parent; shown as roots`);
  }
  if (oddDuplicateIds > 0) {
    warnings.push(
      `${oddDuplicateIds} span ${oddDuplicateIds === 1 ? 'ID is' : 'IDs are'} used by more than one span (e.g. ${oddDuplicateExample}); later copies are shown under the first`,
    );
  }
  return parentIndex;
}

/** Adds every span to the table; returns the spans of each ID held by more than one, if any is. */
function indexSpanIds(spans: readonly Span[], firstById: SpanIdTable): Map<string, number[]> | undefined {
  let occurrencesById: Map<string, number[]> | undefined;
  for (let i = 0; i < spans.length; i++) {
    const first = firstById.add(i);
    if (first === -1) continue;
    const id = spans[i].spanId;
    occurrencesById ??= new Map();
    const occurrences = occurrencesById.get(id);
    if (occurrences) occurrences.push(i);
    else occurrencesById.set(id, [first, i]);
  }
  return occurrencesById;
}

/** Sets the parent of every span that names one in the trace, counting those that name none or themselves. */
function linkParents(
  spans: readonly Span[],
  firstById: SpanIdTable,
  occurrencesById: ReadonlyMap<string, readonly number[]> | undefined,
  isSecondaryCopy: Uint8Array | undefined,
  parentIndex: Int32Array,
): { missing: number; selfParents: number } {
  let missing = 0;
  let selfParents = 0;
  // Siblings often sit next to each other, so the last parent ID looked up is worth checking first.
  let lastParentId: string | undefined;
  let lastFirst = -1;
  for (let i = 0; i < spans.length; i++) {
    if (isSecondaryCopy !== undefined && isSecondaryCopy[i] === 1) continue;
    const span = spans[i];
    const parentId = span.parentSpanId;
    if (parentId === undefined) continue;
    if (parentId === span.spanId) {
      selfParents++;
      continue;
    }
    if (parentId !== lastParentId) {
      lastParentId = parentId;
      lastFirst = firstById.find(parentId);
    }
    const first = lastFirst;
    if (first === -1) {
      missing++;
      continue;
    }
    const occurrences = occurrencesById?.get(parentId);
    parentIndex[i] = occurrences ? pickOccurrence(spans, occurrences, span.resource.serviceName) : first;
  }
  return { missing, selfParents };
}

function pickOccurrence(spans: readonly Span[], occurrences: readonly number[], serviceName: string): number {
  for (let k = occurrences.length - 1; k >= 0; k--) {
    if (spans[occurrences[k]].resource.serviceName === serviceName) return occurrences[k];
  }
  return occurrences[occurrences.length - 1];
}

/** Walks every parent chain once; a chain that returns to itself is cut at its earliest span. */
function breakCycles(spans: readonly Span[], parentIndex: Int32Array, startOffset: Float64Array, warnings: string[]): void {
  const count = spans.length;
  const path = new Int32Array(count);
  const state = new Uint8Array(count); // 0 unseen, 1 on the current walk, 2 known to reach a root
  const cutIds: string[] = [];
  for (let i = 0; i < count; i++) {
    if (state[i] !== 0) continue;
    let length = 0;
    let node = i;
    while (node !== -1 && state[node] === 0) {
      state[node] = 1;
      path[length++] = node;
      node = parentIndex[node];
    }
    if (node !== -1 && state[node] === 1) {
      let cut = node;
      for (let k = length - 1; k >= 0 && path[k] !== node; k--) {
        const member = path[k];
        if (startOffset[member] < startOffset[cut] || (startOffset[member] === startOffset[cut] && member < cut)) cut = member;
      }
      parentIndex[cut] = -1;
      cutIds.push(spans[cut].spanId);
    }
    for (let k = 0; k < length; k++) state[path[k]] = 2;
  }
  if (cutIds.length > 0) {
    const examples = cutIds.slice(0, CYCLE_EXAMPLES).join(', ') + (cutIds.length > CYCLE_EXAMPLES ? ', …' : '');
    warnings.push(
      `${cutIds.length} parent ${cutIds.length === 1 ? 'cycle was' : 'cycles were'} broken by showing a span as a root (${examples})`,
    );
  }
}

function spanCount(count: number): string {
  return count === 1 ? '1 span' : `${count} spans`;
}
