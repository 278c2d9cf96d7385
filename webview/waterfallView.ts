// The waterfall for one loaded trace: span tree rows on the left, bars on a canvas on the right, the
// detail pane below. State lives in typed arrays indexed by display position; each interaction costs
// O(visible rows), except collapse and expand, which re-walk the tree once in O(visible spans).
import type { ColumnarTrace } from '../src/core/layout/columnarTrace';
import { hasChildren } from '../src/core/layout/columnarTrace';
import { computeTimeTicks, createTimeScale, type TimeScale, type TimeTick } from '../src/core/layout/timeScale';
import {
  computeVisibleRows,
  expandAncestors,
  nearestVisibleAncestor,
  rowOfPosition,
} from '../src/core/layout/visibleRows';
import type { SpanDetail, TraceSource, WaterfallViewState } from '../src/shared/webviewProtocol';
import { DetailPane } from './detailPane';
import { createElement } from './dom';
import { createHeader } from './header';
import { ROW_HEIGHT_PX, RowList } from './rowList';
import { INDENT_PX, type RowBinding } from './spanRow';
import { readThemeColors, type ThemeColors } from './themeColors';
import { TimelineCanvas } from './timelineCanvas';
import { renderTimeAxis } from './timeAxis';
import { createWarningsBanner } from './warningsBanner';

export interface WaterfallViewOptions {
  readonly trace: ColumnarTrace;
  readonly title: string;
  readonly warnings: readonly string[];
  readonly source: TraceSource;
  /** State saved for the same source, to restore. */
  readonly restored: WaterfallViewState | undefined;
  readonly requestDetail: (position: number) => void;
  readonly persist: (state: WaterfallViewState) => void;
}

const TIMELINE_PAD_PX = 8;
const MIN_LABEL_WIDTH_PX = 220;
const MAX_LABEL_WIDTH_PX = 520;
const PERSIST_DELAY_MS = 150;

export class WaterfallView {
  readonly element = createElement('div', 'waterfall-view');
  private readonly trace: ColumnarTrace;
  private readonly collapsed: Uint8Array;
  private readonly rows: Int32Array;
  private rowCount = 0;
  private selected = -1;
  private readonly rowList = new RowList('Spans');
  private readonly canvas: TimelineCanvas;
  private readonly axis = createElement('div', 'time-axis');
  private readonly body = createElement('div', 'waterfall-body');
  private readonly detail = new DetailPane();
  private colors: ThemeColors;
  private scale: TimeScale = createTimeScale(0, 1, 0);
  private ticks: readonly TimeTick[] = [];
  private labelWidthPx = MIN_LABEL_WIDTH_PX;
  private maxIndentPx = 0;
  private persistTimer: ReturnType<typeof setTimeout> | undefined;
  /** Collapsed positions as last persisted; undefined once the flags change. */
  private collapsedList: number[] | undefined;
  private readonly resizeObserver = new ResizeObserver(() => this.layout());
  private readonly themeObserver = new MutationObserver(() => {
    this.colors = readThemeColors(this.element);
    this.render();
  });

  constructor(private readonly options: WaterfallViewOptions) {
    const trace = options.trace;
    this.trace = trace;
    this.collapsed = new Uint8Array(trace.spanCount);
    this.rows = new Int32Array(trace.spanCount);

    const canvasElement = createElement('canvas', 'timeline-canvas');
    canvasElement.setAttribute('aria-hidden', 'true');
    this.canvas = new TimelineCanvas(canvasElement);

    const columns = createElement('div', 'timeline-header');
    columns.append(createElement('div', 'label-column-title', 'Service and operation'), this.axis);
    this.body.append(this.rowList.scroller, canvasElement);
    const main = createElement('div', 'waterfall-main');
    main.append(columns, this.body);

    const header = createHeader(trace, options.title, {
      expandAll: () => this.setAllCollapsed(false),
      collapseAll: () => this.setAllCollapsed(true),
    });
    const banner = createWarningsBanner(options.warnings);
    this.element.append(header, ...(banner === undefined ? [] : [banner]), main, this.detail.element);
    this.colors = readThemeColors(document.body);

    this.rowList.scroller.addEventListener('scroll', () => {
      this.render();
      this.schedulePersist();
    });
    this.rowList.scroller.addEventListener('click', (event) => this.onClick(event));
    this.rowList.scroller.addEventListener('dblclick', (event) => this.onDoubleClick(event));
    this.rowList.scroller.addEventListener('keydown', (event) => this.onKeyDown(event));
    this.restore(options.restored);
  }

  /** Call once the element is in the document, so sizes can be measured. */
  mount(): void {
    this.colors = readThemeColors(this.element);
    this.layout();
    const scrollTop = this.options.restored?.scrollTop;
    if (scrollTop !== undefined) this.rowList.scroller.scrollTop = scrollTop;
    this.render();
    this.resizeObserver.observe(this.body);
    this.themeObserver.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
    this.themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
    if (this.selected >= 0) this.options.requestDetail(this.selected);
    else if (this.trace.spanCount === 0) this.detail.showMessage('This trace has no spans.');
  }

  dispose(): void {
    this.resizeObserver.disconnect();
    this.themeObserver.disconnect();
    if (this.persistTimer !== undefined) {
      clearTimeout(this.persistTimer);
      this.persist();
    }
    this.element.remove();
  }

  showDetail(detail: SpanDetail | undefined): void {
    if (detail === undefined || detail.position !== this.selected) {
      if (detail === undefined) this.detail.showMessage('The host has no details for this span.');
      return;
    }
    this.detail.show(detail, this.trace.traceId, this.trace.traceStartUnixNano);
  }

  /** Selects `position`, expanding its ancestors, and scrolls it to the middle of the view. */
  reveal(position: number): void {
    if (position < 0 || position >= this.trace.spanCount) return;
    if (expandAncestors(this.trace.parentPosition, this.collapsed, position)) this.updateRows();
    this.select(position, 'center');
  }

  private restore(state: WaterfallViewState | undefined): void {
    if (state !== undefined) {
      for (const position of state.collapsed ?? []) {
        if (position < this.trace.spanCount && hasChildren(this.trace, position)) this.collapsed[position] = 1;
      }
      const selected = state.selected;
      if (selected !== undefined && selected < this.trace.spanCount) {
        this.selected = nearestVisibleAncestor(this.trace.parentPosition, this.collapsed, selected);
      }
    }
    this.updateRows();
  }

  private updateRows(): void {
    this.collapsedList = undefined;
    this.rowCount = computeVisibleRows(this.trace.subtreeEnd, this.collapsed, this.rows);
    this.rowList.setRows(this.rows, this.rowCount);
  }

  private layout(): void {
    const scroller = this.rowList.scroller;
    const width = scroller.clientWidth;
    this.labelWidthPx = Math.round(Math.min(MAX_LABEL_WIDTH_PX, Math.max(MIN_LABEL_WIDTH_PX, width * 0.4)));
    this.maxIndentPx = Math.max(0, Math.floor((this.labelWidthPx - 140) / INDENT_PX) * INDENT_PX);
    this.element.style.setProperty('--label-width', `${this.labelWidthPx}px`);
    this.element.style.setProperty('--scrollbar-width', `${scroller.offsetWidth - width}px`);
    this.element.style.setProperty('--row-height', `${ROW_HEIGHT_PX}px`);
    const timelineWidth = Math.max(0, width - this.labelWidthPx);
    this.canvas.resize(timelineWidth, scroller.clientHeight);
    this.scale = createTimeScale(0, this.trace.traceDurationNano, Math.max(0, timelineWidth - 2 * TIMELINE_PAD_PX));
    this.ticks = computeTimeTicks(this.scale);
    renderTimeAxis(this.axis, this.ticks, TIMELINE_PAD_PX, timelineWidth);
    this.render();
  }

  private render(): void {
    const binding: RowBinding = {
      trace: this.trace,
      collapsed: this.collapsed,
      selected: this.selected,
      maxIndentPx: this.maxIndentPx,
    };
    const range = this.rowList.render(binding);
    this.canvas.draw({
      trace: this.trace,
      rows: this.rows,
      firstRow: range.first,
      endRow: range.end,
      rowHeightPx: ROW_HEIGHT_PX,
      scrollTopPx: range.scrollTopPx,
      scale: this.scale,
      offsetPx: TIMELINE_PAD_PX,
      ticks: this.ticks,
      colors: this.colors,
    });
    const active = this.selected >= 0 ? this.rowList.rowElement(this.selected) : undefined;
    if (active === undefined) this.rowList.scroller.removeAttribute('aria-activedescendant');
    else this.rowList.scroller.setAttribute('aria-activedescendant', active.id);
  }

  private select(position: number, scroll: 'nearest' | 'center'): void {
    const changed = position !== this.selected;
    this.selected = position;
    const row = rowOfPosition(this.rows, this.rowCount, position);
    if (row >= 0) this.rowList.scrollToRow(row, scroll === 'center');
    this.render();
    if (changed) {
      this.detail.showLoading();
      this.options.requestDetail(position);
    }
    this.schedulePersist();
  }

  private toggle(position: number): void {
    if (!hasChildren(this.trace, position)) return;
    this.setCollapsed(position, this.collapsed[position] === 0);
  }

  private setCollapsed(position: number, collapsed: boolean): void {
    if (!hasChildren(this.trace, position) || (this.collapsed[position] !== 0) === collapsed) return;
    this.collapsed[position] = collapsed ? 1 : 0;
    this.afterCollapseChange();
  }

  private setAllCollapsed(collapsed: boolean): void {
    const { subtreeEnd, spanCount } = this.trace;
    for (let position = 0; position < spanCount; position++) {
      this.collapsed[position] = collapsed && subtreeEnd[position] > position + 1 ? 1 : 0;
    }
    this.afterCollapseChange();
  }

  private afterCollapseChange(): void {
    this.updateRows();
    if (this.selected >= 0) {
      const visible = nearestVisibleAncestor(this.trace.parentPosition, this.collapsed, this.selected);
      if (visible !== this.selected) {
        this.select(visible, 'nearest');
        return;
      }
    }
    this.render();
    this.schedulePersist();
  }

  private onClick(event: MouseEvent): void {
    const position = this.rowList.positionAt(event.target);
    if (position < 0) return;
    if (event.target instanceof Element && event.target.closest('.span-toggle') !== null) {
      this.toggle(position);
    } else {
      this.select(position, 'nearest');
    }
  }

  private onDoubleClick(event: MouseEvent): void {
    if (event.target instanceof Element && event.target.closest('.span-toggle') !== null) return;
    const position = this.rowList.positionAt(event.target);
    if (position >= 0) this.toggle(position);
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (this.rowCount === 0 || event.altKey || event.ctrlKey || event.metaKey) return;
    const trace = this.trace;
    const current = this.selected >= 0 ? rowOfPosition(this.rows, this.rowCount, this.selected) : -1;
    const moveTo = (row: number): void => this.select(this.rows[Math.max(0, Math.min(this.rowCount - 1, row))], 'nearest');
    switch (event.key) {
      case 'ArrowDown':
        moveTo(current < 0 ? 0 : current + 1);
        break;
      case 'ArrowUp':
        moveTo(current < 0 ? 0 : current - 1);
        break;
      case 'PageDown':
        moveTo(Math.max(0, current) + this.rowList.pageRows);
        break;
      case 'PageUp':
        moveTo(Math.max(0, current) - this.rowList.pageRows);
        break;
      case 'Home':
        moveTo(0);
        break;
      case 'End':
        moveTo(this.rowCount - 1);
        break;
      case 'ArrowRight':
        if (current < 0) moveTo(0);
        else if (this.collapsed[this.selected] !== 0) this.setCollapsed(this.selected, false);
        else if (hasChildren(trace, this.selected)) this.select(this.selected + 1, 'nearest');
        break;
      case 'ArrowLeft':
        if (current < 0) moveTo(0);
        else if (hasChildren(trace, this.selected) && this.collapsed[this.selected] === 0) this.setCollapsed(this.selected, true);
        else if (trace.parentPosition[this.selected] >= 0) this.select(trace.parentPosition[this.selected], 'nearest');
        break;
      case 'Enter':
      case ' ':
        if (current >= 0) this.toggle(this.selected);
        break;
      default:
        return;
    }
    event.preventDefault();
  }

  private schedulePersist(): void {
    if (this.persistTimer !== undefined) clearTimeout(this.persistTimer);
    this.persistTimer = setTimeout(() => {
      this.persistTimer = undefined;
      this.persist();
    }, PERSIST_DELAY_MS);
  }

  private persist(): void {
    // Scrolling persists often; the O(spans) scan of collapse flags runs only after they change.
    if (this.collapsedList === undefined) {
      const collapsed: number[] = [];
      for (let position = 0; position < this.trace.spanCount; position++) {
        if (this.collapsed[position] !== 0) collapsed.push(position);
      }
      this.collapsedList = collapsed;
    }
    this.options.persist({
      source: this.options.source,
      collapsed: this.collapsedList,
      scrollTop: Math.round(this.rowList.scroller.scrollTop),
      selected: this.selected >= 0 ? this.selected : undefined,
    });
  }
}
