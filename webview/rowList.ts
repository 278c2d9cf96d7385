// A virtual list of fixed-height rows: a spacer gives the scrollbar its full height and a window holds
// only the rows on screen plus overscan. Row elements come from a pool and are rebound, never rebuilt;
// a row still shown after a scroll keeps its element, so a short scroll rebinds only the rows it brings in.
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
  /** pool[0..mounted) are in the window, in order, showing rows shownFirst.. onwards; the rest are spare. */
  private pool: SpanRow[] = [];
  private mounted = 0;
  private shownFirst = 0;
  private windowOffsetPx = -1;
  private rows: Int32Array = new Int32Array(0);
  private count = 0;
  /** Rows on screen at the last render. */
  private onScreen = { first: 0, end: 0 };
  /** The binding of the last render, kept while a jump's overscan waits for completeOverscan(). */
  private pendingOverscan: RowBinding | undefined;

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
    // The next render sees the new rows and adds the overscan itself.
    this.pendingOverscan = undefined;
  }

  get rowCount(): number {
    return this.count;
  }

  /** Rows that fit in the viewport, at least one. */
  get pageRows(): number {
    return Math.max(1, Math.floor(this.scroller.clientHeight / ROW_HEIGHT_PX));
  }

  /**
   * The range of rows on screen, without overscan. `viewport` is the scroller's offset and height when
   * the caller has just measured them: reading them again after its style writes would force another layout.
   */
  measure(viewport?: { readonly scrollTopPx: number; readonly heightPx: number }): RowRange {
    const scrollTop = viewport === undefined ? this.scroller.scrollTop : viewport.scrollTopPx;
    const height = viewport === undefined ? this.scroller.clientHeight : viewport.heightPx;
    const first = Math.min(this.count, Math.floor(scrollTop / ROW_HEIGHT_PX));
    const end = Math.min(this.count, Math.ceil((scrollTop + height) / ROW_HEIGHT_PX));
    return { first, end, scrollTopPx: scrollTop };
  }

  /**
   * Binds the rows of `range` (from measure()) plus overscan. After a jump, when no row on screen was
   * shown before, the overscan is left out so the frame lays out only what shows; hasPendingOverscan
   * is then true until completeOverscan() adds it.
   */
  render(range: RowRange, binding: RowBinding): void {
    const { first: firstOnScreen, end: endOnScreen } = range;
    const jump = endOnScreen <= this.shownFirst || firstOnScreen >= this.shownFirst + this.mounted;
    const first = jump ? firstOnScreen : Math.max(0, firstOnScreen - OVERSCAN_ROWS);
    const end = jump ? endOnScreen : Math.min(this.count, endOnScreen + OVERSCAN_ROWS);
    this.show(first, end, binding);
    this.onScreen = { first: firstOnScreen, end: endOnScreen };
    this.pendingOverscan = jump && (first > 0 || end < this.count) ? binding : undefined;
  }

  /** True while the last render left out overscan that completeOverscan() would add. */
  get hasPendingOverscan(): boolean {
    return this.pendingOverscan !== undefined;
  }

  /** Binds the overscan a jump left out, with the last render's binding. */
  completeOverscan(): void {
    const binding = this.pendingOverscan;
    if (binding === undefined) return;
    this.pendingOverscan = undefined;
    const { first, end } = this.onScreen;
    this.show(Math.max(0, first - OVERSCAN_ROWS), Math.min(this.count, end + OVERSCAN_ROWS), binding);
  }

  /** Shows rows [first, end): rows shown before keep their elements, the others get the elements freed. */
  private show(first: number, end: number, binding: RowBinding): void {
    const needed = end - first;
    const shownFirst = this.shownFirst;
    const keepFirst = Math.max(first, shownFirst);
    const keepEnd = Math.min(end, shownFirst + this.mounted);
    if (keepFirst >= keepEnd) {
      // Nothing shown stays: rebind the mounted elements where they are, which moves none. The leading
      // overscan leaves rather than the rows that were on screen: those are laid out, while overscan added
      // since the last frame may not be yet.
      const lead = Math.min(Math.max(0, this.onScreen.first - shownFirst), Math.max(0, this.mounted - needed));
      if (lead > 0) {
        const leading = this.pool.splice(0, lead);
        for (const row of leading) row.element.remove();
        this.pool.splice(this.mounted - lead, 0, ...leading);
        this.mounted -= lead;
      }
      while (this.pool.length < needed) this.pool.push(new SpanRow());
      while (this.mounted < needed) this.window.append(this.pool[this.mounted++].element);
      while (this.mounted > needed) this.pool[--this.mounted].element.remove();
    } else {
      const pool = this.pool;
      const keptFrom = keepFirst - shownFirst;
      const keptTo = keepEnd - shownFirst;
      // Elements of rows that left, then spares: the rows coming in take them in this order.
      const free = [...pool.slice(0, keptFrom), ...pool.slice(keptTo, this.mounted), ...pool.slice(this.mounted)];
      const front = free.splice(0, keepFirst - first);
      const back = free.splice(0, end - keepEnd);
      while (front.length < keepFirst - first) front.push(new SpanRow());
      while (back.length < end - keepEnd) back.push(new SpanRow());
      for (const row of free) row.element.remove();
      // Moving an element detaches it; only elements that change rows move.
      if (front.length > 0) this.window.prepend(...front.map((row) => row.element));
      if (back.length > 0) this.window.append(...back.map((row) => row.element));
      this.pool = [...front, ...pool.slice(keptFrom, keptTo), ...back, ...free];
      this.mounted = needed;
    }
    this.shownFirst = first;
    const offsetPx = first * ROW_HEIGHT_PX;
    if (offsetPx !== this.windowOffsetPx) {
      this.windowOffsetPx = offsetPx;
      this.window.style.transform = `translateY(${offsetPx}px)`;
    }
    for (let index = 0; index < needed; index++) this.pool[index].bind(this.rows[first + index], binding);
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
