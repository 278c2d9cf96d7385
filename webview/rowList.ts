// A virtual list of fixed-height rows: a spacer gives the scrollbar its full height and a window holds
// only the rows on screen plus overscan. Row elements come from a pool and are rebound, never rebuilt.
import { createElement } from './dom';
import { SpanRow, type RowBinding } from './spanRow';

export const ROW_HEIGHT_PX = 22;
// Rows rendered beyond each edge, for compositor scrolling ahead of the next render: one wheel notch (~100 px).
const OVERSCAN_ROWS = 5;

export interface RowRange {
  /** First rendered row index. */
  readonly first: number;
  /** One past the last rendered row index. */
  readonly end: number;
  /** Scroll offset the range was computed for, read before any DOM write so it forces no layout. */
  readonly scrollTopPx: number;
}

export class RowList {
  /** The scrolling element; also the keyboard focus target of the tree. */
  readonly scroller = createElement('div', 'rows-scroll');
  private readonly spacer = createElement('div', 'rows-spacer');
  private readonly window = createElement('div', 'rows-window');
  private readonly pool: SpanRow[] = [];
  private mounted = 0;
  private rows: Int32Array = new Int32Array(0);
  private count = 0;

  constructor(label: string) {
    this.spacer.append(this.window);
    this.scroller.append(this.spacer);
    this.scroller.setAttribute('role', 'tree');
    this.scroller.setAttribute('aria-label', label);
    this.scroller.tabIndex = 0;
  }

  /** Sets the visible display positions (the first `count` of `rows`). */
  setRows(rows: Int32Array, count: number): void {
    this.rows = rows;
    this.count = count;
    this.spacer.style.height = `${count * ROW_HEIGHT_PX}px`;
  }

  get rowCount(): number {
    return this.count;
  }

  /** Rows that fit in the viewport, at least one. */
  get pageRows(): number {
    return Math.max(1, Math.floor(this.scroller.clientHeight / ROW_HEIGHT_PX));
  }

  /**
   * Binds the rows in view (plus overscan) and returns the range of rows on screen without overscan.
   * `viewport` is the scroller's offset and height when the caller has just measured them: reading
   * them again after its style writes would force another layout.
   */
  render(binding: RowBinding, viewport?: { readonly scrollTopPx: number; readonly heightPx: number }): RowRange {
    const scrollTop = viewport === undefined ? this.scroller.scrollTop : viewport.scrollTopPx;
    const height = viewport === undefined ? this.scroller.clientHeight : viewport.heightPx;
    const firstOnScreen = Math.min(this.count, Math.floor(scrollTop / ROW_HEIGHT_PX));
    const endOnScreen = Math.min(this.count, Math.ceil((scrollTop + height) / ROW_HEIGHT_PX));
    const first = Math.max(0, firstOnScreen - OVERSCAN_ROWS);
    const end = Math.min(this.count, endOnScreen + OVERSCAN_ROWS);
    const needed = end - first;

    while (this.pool.length < needed) this.pool.push(new SpanRow());
    while (this.mounted < needed) this.window.append(this.pool[this.mounted++].element);
    while (this.mounted > needed) this.pool[--this.mounted].element.remove();

    this.window.style.transform = `translateY(${first * ROW_HEIGHT_PX}px)`;
    for (let index = 0; index < needed; index++) this.pool[index].bind(this.rows[first + index], binding);
    return { first: firstOnScreen, end: endOnScreen, scrollTopPx: scrollTop };
  }

  /** Scrolls the least distance that shows `row`; `center` puts it mid-view instead. */
  scrollToRow(row: number, center = false): void {
    const top = row * ROW_HEIGHT_PX;
    const height = this.scroller.clientHeight;
    if (center) {
      this.scroller.scrollTop = Math.max(0, top - (height - ROW_HEIGHT_PX) / 2);
    } else if (top < this.scroller.scrollTop) {
      this.scroller.scrollTop = top;
    } else if (top + ROW_HEIGHT_PX > this.scroller.scrollTop + height) {
      this.scroller.scrollTop = top + ROW_HEIGHT_PX - height;
    }
  }

  /** The row element showing `position`, if it is rendered. */
  rowElement(position: number): HTMLElement | undefined {
    for (let index = 0; index < this.mounted; index++) {
      if (this.pool[index].position === position) return this.pool[index].element;
    }
    return undefined;
  }

  /** Display position of the row under a DOM event target, or -1. */
  positionAt(target: EventTarget | null): number {
    if (!(target instanceof Element)) return -1;
    const row = target.closest<HTMLElement>('.span-row');
    if (row === null || !this.window.contains(row)) return -1;
    const position = Number(row.dataset.position);
    return Number.isSafeInteger(position) ? position : -1;
  }
}
