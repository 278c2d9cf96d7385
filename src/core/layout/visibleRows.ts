// Which display positions are on screen as rows, given collapsed spans. Display order is pre-order DFS,
// so a collapsed span's subtree is the contiguous range (position, subtreeEnd[position]) and one linear
// pass that jumps over those ranges yields the rows, already sorted.

/**
 * Writes the visible display positions, ascending, into `out` (length at least the span count) and
 * returns how many there are. `collapsed[p]` non-zero hides the subtree below `p`. O(visible rows).
 */
export function computeVisibleRows(subtreeEnd: Int32Array, collapsed: Uint8Array, out: Int32Array): number {
  const spanCount = subtreeEnd.length;
  if (out.length < spanCount) throw new Error(`row buffer holds ${out.length} rows, need ${spanCount}`);
  let count = 0;
  let position = 0;
  while (position < spanCount) {
    out[count++] = position;
    position = collapsed[position] !== 0 ? subtreeEnd[position] : position + 1;
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
