// Keyboard navigation of the span tree, following the ARIA tree pattern: ↑/↓ move, Home/End and
// PageUp/PageDown jump, → expands or enters the first child, ← collapses or goes to the parent,
// Enter selects and Space toggles. Selection follows focus, so the detail pane tracks the keyboard.

export interface TreeNavigator {
  readonly rows: Int32Array;
  readonly rowCount: number;
  /** Selected display position, or -1. */
  readonly selected: number;
  /** Rows per viewport. */
  readonly pageRows: number;
  readonly parentPosition: Int32Array;
  /** Display position of the row; -1 when hidden. */
  rowOf(position: number): number;
  hasChildren(position: number): boolean;
  isCollapsed(position: number): boolean;
  select(position: number): void;
  setCollapsed(position: number, collapsed: boolean): void;
}

/** Handles a key on the tree; returns true when it did something with it. */
export function handleTreeKey(event: KeyboardEvent, tree: TreeNavigator): boolean {
  if (tree.rowCount === 0 || event.altKey || event.ctrlKey || event.metaKey) return false;
  const selected = tree.selected;
  const current = selected >= 0 ? tree.rowOf(selected) : -1;
  const moveTo = (row: number): void => tree.select(tree.rows[Math.max(0, Math.min(tree.rowCount - 1, row))]);
  switch (event.key) {
    case 'ArrowDown':
      moveTo(current < 0 ? 0 : current + 1);
      return true;
    case 'ArrowUp':
      moveTo(current < 0 ? 0 : current - 1);
      return true;
    case 'PageDown':
      moveTo(Math.max(0, current) + tree.pageRows);
      return true;
    case 'PageUp':
      moveTo(Math.max(0, current) - tree.pageRows);
      return true;
    case 'Home':
      moveTo(0);
      return true;
    case 'End':
      moveTo(tree.rowCount - 1);
      return true;
    case 'ArrowRight':
      if (current < 0) moveTo(0);
      else if (tree.isCollapsed(selected)) tree.setCollapsed(selected, false);
      else if (tree.hasChildren(selected)) moveTo(current + 1);
      return true;
    case 'ArrowLeft':
      if (current < 0) moveTo(0);
      else if (tree.hasChildren(selected) && !tree.isCollapsed(selected)) tree.setCollapsed(selected, true);
      else if (tree.parentPosition[selected] >= 0) tree.select(tree.parentPosition[selected]);
      return true;
    case 'Enter':
      moveTo(Math.max(0, current));
      return true;
    case ' ':
      if (current < 0) moveTo(0);
      else if (tree.hasChildren(selected)) tree.setCollapsed(selected, !tree.isCollapsed(selected));
      return true;
    default:
      return false;
  }
}
