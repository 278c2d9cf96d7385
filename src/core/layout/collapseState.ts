// Bulk changes to the collapse flags of a trace tree. Each is one linear pass over typed arrays, so
// collapsing a million spans allocates nothing and costs a few milliseconds.

/** Collapses every span that has children. */
export function collapseAll(subtreeEnd: Int32Array, collapsed: Uint8Array): void {
  const spanCount = subtreeEnd.length;
  for (let position = 0; position < spanCount; position++) collapsed[position] = subtreeEnd[position] > position + 1 ? 1 : 0;
}

/** Expands every span. */
export function expandAll(collapsed: Uint8Array): void {
  collapsed.fill(0);
}

/**
 * Shows spans down to depth `depth` (roots are depth 0) and no deeper: every span at that depth that
 * has children is collapsed, every shallower one expanded.
 */
export function collapseToDepth(subtreeEnd: Int32Array, depthOf: ArrayLike<number>, depth: number, collapsed: Uint8Array): void {
  const spanCount = subtreeEnd.length;
  for (let position = 0; position < spanCount; position++) {
    collapsed[position] = depthOf[position] >= depth && subtreeEnd[position] > position + 1 ? 1 : 0;
  }
}

/** The collapsed positions, ascending; for persisting. */
export function collapsedPositions(collapsed: Uint8Array): number[] {
  const positions: number[] = [];
  for (let position = 0; position < collapsed.length; position++) if (collapsed[position] !== 0) positions.push(position);
  return positions;
}
