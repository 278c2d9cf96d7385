// Which display positions are on screen as rows, given collapsed spans. Display order is pre-order DFS,
// so a collapsed span's subtree is the contiguous range (position, subtreeEnd[position]) and one linear
// pass that jumps over those ranges yields the rows, already sorted.

/** Spans to keep on screen whatever is collapsed: search matches and their ancestors. */
export interface RevealedSpans {
  /** Non-zero for a span that stays visible; every ancestor of such a span must be marked too. */
  readonly pinned: Uint8Array;
  /** Show pinned spans only (a filter), instead of pinned spans in addition to the expanded tree. */
  readonly only: boolean;
}

/**
 * Writes the visible display positions, ascending, into `out` (length at least the span count) and
 * returns how many there are. `collapsed[p]` non-zero hides the subtree below `p`, except spans that
 * `revealed` pins, which show in place under their collapsed ancestors. O(visible rows + their siblings).
 */
export function computeVisibleRows(subtreeEnd: Int32Array, collapsed: Uint8Array, out: Int32Array, revealed?: RevealedSpans): number {
  const spanCount = subtreeEnd.length;
  if (out.length < spanCount) throw new Error(`row buffer holds ${out.length} rows, need ${spanCount}`);
  let count = 0;
  let position = 0;
  if (revealed === undefined) {
    while (position < spanCount) {
      out[count++] = position;
      position = collapsed[position] !== 0 ? subtreeEnd[position] : position + 1;
    }
    return count;
  }
  const pinned = revealed.pinned;
  // Positions below this one are inside a collapsed subtree (or everywhere, for a filter): only pinned
  // spans show there. Pinned sets are closed under ancestors, so an unpinned span has no pinned descendant.
  let hiddenUntil = revealed.only ? spanCount : 0;
  while (position < spanCount) {
    if (position < hiddenUntil && pinned[position] === 0) {
      position = subtreeEnd[position];
      continue;
    }
    out[count++] = position;
    if (collapsed[position] !== 0 && hiddenUntil <= position) hiddenUntil = subtreeEnd[position];
    position++;
  }
  return count;
}

/** Row index of `position` among the first `count` visible rows, or -1 when it is hidden. O(log rows). */
export function rowOfPosition(rows: Int32Array, count: number, position: number): number {
  let low = 0;
  let high = count - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const value = rows[middle];
    if (value === position) return middle;
    if (value < position) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}

/** Clears the collapsed flag of every ancestor of `position`; returns true if any changed. */
export function expandAncestors(parentPosition: Int32Array, collapsed: Uint8Array, position: number): boolean {
  let changed = false;
  for (let parent = parentPosition[position]; parent >= 0; parent = parentPosition[parent]) {
    if (collapsed[parent] !== 0) {
      collapsed[parent] = 0;
      changed = true;
    }
  }
  return changed;
}

/** The nearest ancestor of `position` (or itself) that is visible, i.e. has no collapsed ancestor. */
export function nearestVisibleAncestor(parentPosition: Int32Array, collapsed: Uint8Array, position: number): number {
  let visible = position;
  for (let parent = parentPosition[position]; parent >= 0; parent = parentPosition[parent]) {
    if (collapsed[parent] !== 0) visible = parent;
  }
  return visible;
}
