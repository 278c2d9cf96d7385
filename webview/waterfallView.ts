// The waterfall for one loaded trace: span tree rows on the left, bars on a canvas on the right, a
// minimap and search bar above, the detail pane below. State lives in typed arrays indexed by display
// position, allocated once per trace: scroll and zoom cost O(visible rows); collapse, expand and
// search one linear pass; work that can wait (search, minimap) runs in slices between frames.
import type { ColumnarTrace } from '../src/core/layout/columnarTrace';
import { hasChildren } from '../src/core/layout/columnarTrace';
import { collapseAll, collapsedPositions, collapseToDepth, expandAll } from '../src/core/layout/collapseState';
import { SpanSearch, isEmptyQuery, type SpanSearchQuery } from '../src/core/layout/spanSearch';
import { computeTimeTicks, createTimeScale, type TimeScale, type TimeTick } from '../src/core/layout/timeScale';
import {
  centerWindow,
  clampWindow,
  fullWindow,
  isFullWindow,
  panWindow,
  zoomWindow,
  type TimeWindow,
} from '../src/core/layout/timeWindow';
import {
  computeVisibleRows,
  expandAncestors,
  nearestVisibleAncestor,
  rowOfPosition,
  type RevealedSpans,
} from '../src/core/layout/visibleRows';
import type { SpanDetail, TraceSource, WaterfallViewState, WebviewToHostMessage } from '../src/shared/webviewProtocol';
import { SPAN_FLAG_CRITICAL } from '../src/shared/webviewProtocol';
import { CooperativeScheduler } from './cooperativeScheduler';
import { DetailPane } from './detailPane';
import { createElement } from './dom';
import { createHeader, type WaterfallHeader } from './header';
import { handleTreeKey, type TreeNavigator } from './keyboardNavigation';
import { Minimap } from './minimap';
import { ROW_HEIGHT_PX, RowList } from './rowList';
import { SearchBar } from './searchBar';
import { INDENT_PX, type RowBinding } from './spanRow';
import { readThemeColors, type ThemeColors } from './themeColors';
import { TimelineCanvas } from './timelineCanvas';
import { TraceStatisticsTable } from './traceStatisticsTable';
import { renderTimeAxis } from './timeAxis';
import { attachTimeNavigation, handleZoomKey, type TimeNavigationTarget } from './timeNavigation';
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
  /** Sends the view's own requests to the host: code reveal, linked traces, attribute search. */
  readonly post: (message: WebviewToHostMessage) => void;
  /** The width the view will most likely get, read before it is built; layout() corrects a wrong one. */
  readonly widthHintPx: number;
}

const TIMELINE_PAD_PX = 8;
const MIN_LABEL_WIDTH_PX = 220;
const MAX_LABEL_WIDTH_PX = 520;
const PERSIST_DELAY_MS = 150;
const SEARCH_JOB = 'search';
// The overscan a jump leaves out is bound once scrolling has paused this long: while jumps follow each
// other (a scrollbar drag), rows around the screen would be thrown away unseen every frame.
const OVERSCAN_DELAY_MS = 100;
// Typing pauses this long before the host is asked to search attributes.
const ATTRIBUTE_SEARCH_DELAY_MS = 200;

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
  private readonly detail: DetailPane;
  private readonly scheduler = new CooperativeScheduler();
  private readonly minimap: Minimap;
  private readonly searchBar: SearchBar;
  private search: SpanSearch | undefined;
  /** Set while a non-empty query's results are complete. */
  private revealed: RevealedSpans | undefined;
  private onlyMatches = false;
  /** "Critical path only": the critical spans and their ancestors, computed on first use. */
  private criticalOnly = false;
  private criticalPinned: Uint8Array | undefined;
  /** Count of spans with some part on the critical path. */
  readonly criticalSpanCount: number;
  /** Draw recorded start times instead of the clock-skew adjusted ones. */
  private rawTimes = false;
  private readonly header: WaterfallHeader;
  private readonly statistics: TraceStatisticsTable;
  private readonly overview = createElement('div', 'waterfall-overview');
  private readonly main = createElement('div', 'waterfall-main');
  /** Bumped on every query change, so a late reply for older text is ignored. */
  private attributeRequestId = 0;
  private attributeTimer: ReturnType<typeof setTimeout> | undefined;
  /** The host's answer for the latest text, kept so filter changes that keep the text reuse it. */
  private attributeResult: { readonly text: string; readonly positions: Int32Array } | undefined;
  /** Read in mount(), once the view's element is styled; reading earlier forces a wasted style pass. */
  private colors: ThemeColors | undefined;
  private window: TimeWindow;
  private scale: TimeScale = createTimeScale(0, 1, 0);
  private ticks: readonly TimeTick[] = [];
  private labelWidthPx = MIN_LABEL_WIDTH_PX;
  private timelineWidthPx = 0;
  private viewportHeightPx = 0;
  private bodyLeftPx = 0;
  /** The scroller and body geometry layout() last acted on. */
  private measured = { widthPx: -1, scrollbarWidthPx: -1, heightPx: -1, bodyLeftPx: Number.NaN };
  /** The scroll offset layout() read with its other measurements, for the render it triggers. */
  private layoutScrollTopPx: number | undefined;
  private maxIndentPx = 0;
  private lastRender = { scrollTopPx: -1, generation: -1 };
  private generation = 0;
  private persistTimer: ReturnType<typeof setTimeout> | undefined;
  private overscanTimer: ReturnType<typeof setTimeout> | undefined;
  /** Collapsed positions as last persisted; undefined once the flags change. */
  private collapsedList: number[] | undefined;
  private readonly detachTimeNavigation: () => void;
  private readonly resizeObserver = new ResizeObserver(() => this.layout());
  private readonly themeObserver = new MutationObserver(() => this.applyTheme());
  private readonly onDocumentKey = (event: KeyboardEvent): void => {
    if (event.key === 'F3') {
      event.preventDefault();
      this.stepMatch(event.shiftKey ? -1 : 1);
    } else if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'f') {
      event.preventDefault();
      this.searchBar.focus();
    }
  };

  constructor(private readonly options: WaterfallViewOptions) {
    const trace = options.trace;
    this.trace = trace;
    this.collapsed = new Uint8Array(trace.spanCount);
    this.rows = new Int32Array(trace.spanCount);
    this.window = fullWindow(trace.traceDurationNano);
    this.detail = new DetailPane({
      revealCode: (position) => options.post({ type: 'revealCode', position }),
      openLinkedTrace: (traceId, spanId) => options.post({ type: 'openLinkedTrace', traceId, spanId }),
    });
    let critical = 0;
    for (let position = 0; position < trace.spanCount; position++) if ((trace.flags[position] & SPAN_FLAG_CRITICAL) !== 0) critical++;
    this.criticalSpanCount = critical;

    const canvasElement = createElement('canvas', 'timeline-canvas');
    canvasElement.setAttribute('aria-hidden', 'true');
    this.canvas = new TimelineCanvas(canvasElement);

    this.axis.tabIndex = 0;
    this.axis.setAttribute('role', 'group');
    this.axis.setAttribute('aria-label', 'Time axis: + and - zoom, arrow keys pan, 0 shows the whole trace; drag to pan');
    const columns = createElement('div', 'timeline-header');
    columns.append(createElement('div', 'label-column-title', 'Service and operation'), this.axis);
    this.body.append(this.rowList.scroller, canvasElement);
    const main = this.main;
    main.append(columns, this.body);

    this.header = createHeader(trace, options.title, {
      expandAll: () => this.changeCollapse(() => expandAll(this.collapsed)),
      collapseAll: () => this.changeCollapse(() => collapseAll(trace.subtreeEnd, this.collapsed)),
      collapseToDepth: (depth) => this.changeCollapse(() => collapseToDepth(trace.subtreeEnd, trace.depth, depth, this.collapsed)),
      showCriticalPathOnly: (only) => this.setCriticalOnly(only),
      showRawTimes: (raw) => this.setRawTimes(raw),
      showStatistics: (shown) => this.showStatistics(shown),
    });
    this.statistics = new TraceStatisticsTable(trace);
    this.searchBar = new SearchBar({
      onQuery: (query, onlyMatches) => this.runSearch(query, onlyMatches),
      onStep: (direction) => this.stepMatch(direction),
    });
    this.minimap = new Minimap(this.scheduler, (x, y) => this.navigateTo(x, y));
    const overview = this.overview;
    overview.append(this.searchBar.element, this.minimap.element);
    const banner = createWarningsBanner(options.warnings);
    this.element.append(this.header.element, ...(banner === undefined ? [] : [banner]), overview, main, this.statistics.element, this.detail.element);
    this.element.dataset.criticalSpans = String(critical);
    this.element.dataset.timeMode = 'adjusted';
    // Provisional values until layout() measures, from the width hint: when they turn out right, layout()
    // rewrites nothing and the view is styled once. (Unset, they would also drop whole declarations, such
    // as the minimap's margin, so the first measurement would see other heights than the first frame.)
    this.labelWidthPx = labelWidthFor(options.widthHintPx);
    this.setLayoutVariables(0);

    this.rowList.scroller.addEventListener('scroll', () => {
      this.render();
      this.schedulePersist();
    });
    this.rowList.scroller.addEventListener('click', (event) => this.onClick(event));
    this.rowList.scroller.addEventListener('dblclick', (event) => this.onDoubleClick(event));
    this.rowList.scroller.addEventListener('keydown', (event) => this.onKeyDown(event));
    this.detachTimeNavigation = attachTimeNavigation(this.body, this.axis, this.timeTarget);
    document.addEventListener('keydown', this.onDocumentKey);
    this.restore(options.restored);
  }

  /** Call once the element is in the document, so sizes can be measured. */
  mount(): void {
    // The minimap and other sliced work start once the first rows are on screen.
    this.scheduler.holdUntilNextFrame();
    this.colors = readThemeColors(this.element);
    this.minimap.setColor(this.colors.description);
    // Restored before layout() measures, so its one render shows the restored rows.
    const scrollTop = this.options.restored?.scrollTop;
    if (scrollTop !== undefined) this.rowList.scroller.scrollTop = scrollTop;
    this.layout();
    this.resizeObserver.observe(this.body);
    this.themeObserver.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
    this.themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
    if (this.selected >= 0) this.options.requestDetail(this.selected);
    else if (this.trace.spanCount === 0) this.detail.showMessage('This trace has no spans.');
  }

  dispose(): void {
    this.resizeObserver.disconnect();
    this.themeObserver.disconnect();
    this.scheduler.dispose();
    this.detachTimeNavigation();
    document.removeEventListener('keydown', this.onDocumentKey);
    if (this.attributeTimer !== undefined) clearTimeout(this.attributeTimer);
    if (this.overscanTimer !== undefined) clearTimeout(this.overscanTimer);
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
    const position = detail.position;
    this.detail.show(detail, this.trace.traceId, this.trace.traceStartUnixNano, this.trace.selfTimeNano[position]);
  }

  /** The host's reply to `searchAttributes`: merged into the search once it has finished. */
  applyAttributeMatches(requestId: number, positions: Int32Array): void {
    const text = this.search?.currentQuery.text.trim() ?? '';
    if (requestId !== this.attributeRequestId || text === '') return;
    this.attributeResult = { text, positions };
    if (this.search?.done === true) this.mergeAttributeMatches();
  }

  /** Selects `position`, expanding its ancestors, and scrolls it to the middle of the view. */
  reveal(position: number): void {
    if (position < 0 || position >= this.trace.spanCount) return;
    if (expandAncestors(this.trace.parentPosition, this.collapsed, position) || this.rowOf(position) < 0) {
      if (this.onlyMatches && this.revealed !== undefined && this.revealed.pinned[position] === 0) this.revealed = { ...this.revealed, only: false };
      this.leaveCriticalFilterFor(position);
      this.updateRows();
    }
    this.select(position, 'center');
  }

  private readonly timeTarget: TimeNavigationTarget = {
    zoom: (factor, anchorXPx) => {
      const anchor = anchorXPx === undefined ? (this.window.startNano + this.window.endNano) / 2 : this.scale.toNano(anchorXPx - TIMELINE_PAD_PX);
      this.setWindow(zoomWindow(this.window, factor, anchor, this.trace.traceDurationNano));
    },
    pan: (dxPx) => {
      const nanoPerPx = (this.window.endNano - this.window.startNano) / Math.max(1, this.scale.widthPx);
      this.setWindow(panWindow(this.window, dxPx * nanoPerPx, this.trace.traceDurationNano));
    },
    reset: () => this.setWindow(fullWindow(this.trace.traceDurationNano)),
    timelineBox: () => ({ leftPx: this.bodyLeftPx + this.labelWidthPx, widthPx: this.timelineWidthPx }),
  };

  private restore(state: WaterfallViewState | undefined): void {
    if (state !== undefined) {
      for (const position of state.collapsed ?? []) {
        if (position < this.trace.spanCount && hasChildren(this.trace, position)) this.collapsed[position] = 1;
      }
      const selected = state.selected;
      if (selected !== undefined && selected < this.trace.spanCount) {
        this.selected = nearestVisibleAncestor(this.trace.parentPosition, this.collapsed, selected);
      }
      if (state.viewStartNano !== undefined && state.viewEndNano !== undefined) {
        this.window = clampWindow({ startNano: state.viewStartNano, endNano: state.viewEndNano }, this.trace.traceDurationNano);
      }
    }
    this.updateRows();
  }

  private updateRows(): void {
    this.rowCount = computeVisibleRows(this.trace.subtreeEnd, this.collapsed, this.rows, this.visibleFilter());
    this.rowList.setRows(this.rows, this.rowCount);
    this.generation++;
    this.minimap.setData({
      rows: this.rows,
      rowCount: this.rowCount,
      startOffsetNano: this.startColumn(),
      durationNano: this.trace.durationNano,
      traceDurationNano: this.trace.traceDurationNano,
    });
  }

  private applyTheme(): void {
    this.colors = readThemeColors(this.element);
    this.minimap.setColor(this.colors.description);
    this.generation++;
    this.render();
  }

  private layout(): void {
    const scroller = this.rowList.scroller;
    // Every measurement before any write: a read after a write forces another style and layout pass.
    // The properties written below size the header and the rows, never the scroller or the body.
    const width = scroller.clientWidth;
    const scrollbarWidthPx = scroller.offsetWidth - width;
    const heightPx = scroller.clientHeight;
    const scrollTopPx = scroller.scrollTop;
    const bodyLeftPx = this.body.getBoundingClientRect().left;
    // The observer's first report, right after mount, repeats mount's sizes: nothing to redo.
    const measured = this.measured;
    if (measured.widthPx === width && measured.scrollbarWidthPx === scrollbarWidthPx && measured.heightPx === heightPx && measured.bodyLeftPx === bodyLeftPx) return;
    this.measured = { widthPx: width, scrollbarWidthPx, heightPx, bodyLeftPx };
    this.viewportHeightPx = heightPx;
    this.bodyLeftPx = bodyLeftPx;
    this.labelWidthPx = labelWidthFor(width);
    this.maxIndentPx = Math.max(0, Math.floor((this.labelWidthPx - 140) / INDENT_PX) * INDENT_PX);
    this.setLayoutVariables(scrollbarWidthPx);
    this.timelineWidthPx = Math.max(0, width - this.labelWidthPx);
    this.canvas.resize(this.timelineWidthPx, this.viewportHeightPx);
    this.minimap.resize(this.timelineWidthPx);
    this.layoutScrollTopPx = scrollTopPx;
    this.updateScale();
  }

  private setLayoutVariables(scrollbarWidthPx: number): void {
    this.element.style.setProperty('--label-width', `${this.labelWidthPx}px`);
    this.element.style.setProperty('--scrollbar-width', `${scrollbarWidthPx}px`);
    this.element.style.setProperty('--row-height', `${ROW_HEIGHT_PX}px`);
  }

  private setWindow(window: TimeWindow): void {
    if (window.startNano === this.window.startNano && window.endNano === this.window.endNano) return;
    this.window = window;
    this.updateScale();
    this.schedulePersist();
  }

  private updateScale(): void {
    this.scale = createTimeScale(this.window.startNano, this.window.endNano, Math.max(0, this.timelineWidthPx - 2 * TIMELINE_PAD_PX));
    this.ticks = computeTimeTicks(this.scale);
    renderTimeAxis(this.axis, this.ticks, TIMELINE_PAD_PX, this.timelineWidthPx);
    this.axis.dataset.viewStartNano = String(Math.round(this.window.startNano));
    this.axis.dataset.viewEndNano = String(Math.round(this.window.endNano));
    this.axis.classList.toggle('zoomed', !isFullWindow(this.window, this.trace.traceDurationNano));
    this.generation++;
    this.render();
  }

  private render(): void {
    const measuredScrollTopPx = this.layoutScrollTopPx;
    this.layoutScrollTopPx = undefined;
    const scrollTopPx = measuredScrollTopPx ?? this.rowList.scroller.scrollTop;
    // A scroll event after a render that already showed this offset (e.g. one forced by navigation) is free.
    if (scrollTopPx === this.lastRender.scrollTopPx && this.generation === this.lastRender.generation) return;
    const search = this.revealed === undefined ? undefined : this.search;
    const binding: RowBinding = {
      trace: this.trace,
      collapsed: this.collapsed,
      selected: this.selected,
      maxIndentPx: this.maxIndentPx,
      matched: search?.matched,
    };
    const range = this.rowList.measure(measuredScrollTopPx === undefined ? undefined : { scrollTopPx, heightPx: this.viewportHeightPx });
    // The canvas first: drawing text while row writes are pending would make Blink resolve their styles mid-frame.
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
      colors: (this.colors ??= readThemeColors(this.element)),
      startOffsetNano: this.startColumn(),
      showCriticalPath: !this.rawTimes,
    });
    this.rowList.render(range, binding);
    this.updateActiveDescendant();
    if (this.rowList.hasPendingOverscan) {
      if (this.overscanTimer !== undefined) clearTimeout(this.overscanTimer);
      this.overscanTimer = setTimeout(() => {
        this.overscanTimer = undefined;
        this.rowList.completeOverscan();
        this.updateActiveDescendant();
      }, OVERSCAN_DELAY_MS);
    }
    const duration = Math.max(this.trace.traceDurationNano, 1);
    const totalHeight = Math.max(1, this.rowCount * ROW_HEIGHT_PX);
    this.minimap.showViewport({
      left: this.window.startNano / duration,
      right: this.window.endNano / duration,
      top: range.scrollTopPx / totalHeight,
      bottom: (range.scrollTopPx + this.viewportHeightPx) / totalHeight,
    });
    this.lastRender = { scrollTopPx: range.scrollTopPx, generation: this.generation };
  }

  private updateActiveDescendant(): void {
    const active = this.selected >= 0 ? this.rowList.rowElement(this.selected) : undefined;
    if (active === undefined) this.rowList.scroller.removeAttribute('aria-activedescendant');
    else this.rowList.scroller.setAttribute('aria-activedescendant', active.id);
  }

  /** Centres the view on a minimap point: fractions of the trace duration and of all rows. */
  private navigateTo(xFraction: number, yFraction: number): void {
    const duration = this.trace.traceDurationNano;
    const scroller = this.rowList.scroller;
    scroller.scrollTop = Math.max(0, yFraction * this.rowCount * ROW_HEIGHT_PX - this.viewportHeightPx / 2);
    const window = centerWindow(this.window, xFraction * duration, duration);
    if (window.startNano !== this.window.startNano || window.endNano !== this.window.endNano) this.setWindow(window);
    else this.render();
    this.schedulePersist();
  }

  private rowOf(position: number): number {
    return rowOfPosition(this.rows, this.rowCount, position);
  }

  private select(position: number, scroll: 'nearest' | 'center'): void {
    const changed = position !== this.selected;
    this.selected = position;
    this.generation++;
    const row = this.rowOf(position);
    if (row >= 0) this.rowList.scrollToRow(row, scroll === 'center');
    this.render();
    this.updateSearchCount();
    if (changed) {
      this.detail.showLoading();
      this.options.requestDetail(position);
    }
    this.schedulePersist();
  }

  private setCollapsed(position: number, collapsed: boolean): void {
    if (!hasChildren(this.trace, position) || (this.collapsed[position] !== 0) === collapsed) return;
    this.changeCollapse(() => {
      this.collapsed[position] = collapsed ? 1 : 0;
    });
  }

  private changeCollapse(change: () => void): void {
    change();
    this.collapsedList = undefined;
    this.updateRows();
    if (this.selected >= 0 && this.rowOf(this.selected) < 0) {
      const visible = nearestVisibleAncestor(this.trace.parentPosition, this.collapsed, this.selected);
      if (visible !== this.selected && this.rowOf(visible) >= 0) {
        this.select(visible, 'nearest');
        return;
      }
    }
    this.render();
    this.schedulePersist();
  }

  /** The critical-path filter, else the search's reveal; the filter wins when both are on. */
  private visibleFilter(): RevealedSpans | undefined {
    if (!this.criticalOnly) return this.revealed;
    this.criticalPinned ??= criticalPathWithAncestors(this.trace);
    return { pinned: this.criticalPinned, only: true };
  }

  /** Turns the critical-path filter off when it hides `position`; returns true if it did. */
  private leaveCriticalFilterFor(position: number): boolean {
    if (!this.criticalOnly || this.criticalPinned?.[position] !== 0) return false;
    this.criticalOnly = false;
    this.header.setCriticalPathOnly(false);
    this.element.dataset.criticalOnly = 'false';
    return true;
  }

  private startColumn(): Float64Array {
    return this.rawTimes && this.trace.rawStartOffsetNano !== undefined ? this.trace.rawStartOffsetNano : this.trace.startOffsetNano;
  }

  private setCriticalOnly(only: boolean): void {
    this.criticalOnly = only;
    this.element.dataset.criticalOnly = String(only);
    this.changeCollapse(() => undefined);
  }

  private setRawTimes(raw: boolean): void {
    this.rawTimes = raw;
    this.element.dataset.timeMode = raw ? 'raw' : 'adjusted';
    this.updateRows();
    this.render();
  }

  private showStatistics(shown: boolean): void {
    this.statistics.show(shown);
    this.overview.hidden = shown;
    this.main.hidden = shown;
    this.element.classList.toggle('showing-statistics', shown);
    if (!shown) {
      this.layout();
      this.generation++;
      this.render();
    }
  }

  private runSearch(query: SpanSearchQuery, onlyMatches: boolean): void {
    this.onlyMatches = onlyMatches;
    this.scheduler.cancel(SEARCH_JOB);
    this.requestAttributeMatches(query.text.trim());
    if (isEmptyQuery(query)) {
      this.search?.start(query);
      this.revealed = undefined;
      // The span the user stepped to stays on screen when its revealing search goes away.
      if (this.selected >= 0) expandAncestors(this.trace.parentPosition, this.collapsed, this.selected);
      this.collapsedList = undefined;
      this.updateRows();
      this.render();
      this.updateSearchCount();
      this.schedulePersist();
      return;
    }
    const search = (this.search ??= new SpanSearch(this.trace));
    search.start(query);
    this.updateSearchCount();
    this.scheduler.schedule(SEARCH_JOB, (shouldYield) => {
      if (!search.run(shouldYield)) return false;
      if (this.attributeResult?.text === query.text.trim()) search.addMatches(this.attributeResult.positions);
      this.revealed = { pinned: search.pinned, only: this.onlyMatches };
      this.updateRows();
      this.render();
      this.updateSearchCount();
      return true;
    });
  }

  /** Asks the host for attribute matches of `text` after a pause in typing, unless it already answered for it. */
  private requestAttributeMatches(text: string): void {
    if (this.attributeTimer !== undefined) clearTimeout(this.attributeTimer);
    this.attributeTimer = undefined;
    if (this.attributeResult?.text === text) return;
    this.attributeRequestId++;
    this.attributeResult = undefined;
    if (text === '') return;
    const requestId = this.attributeRequestId;
    this.attributeTimer = setTimeout(() => {
      this.attributeTimer = undefined;
      this.options.post({ type: 'searchAttributes', requestId, query: text });
    }, ATTRIBUTE_SEARCH_DELAY_MS);
  }

  private mergeAttributeMatches(): void {
    const search = this.search;
    const result = this.attributeResult;
    if (search === undefined || result === undefined || search.addMatches(result.positions) === 0) return;
    this.revealed = { pinned: search.pinned, only: this.onlyMatches };
    this.updateRows();
    this.generation++;
    this.render();
    this.updateSearchCount();
  }

  private stepMatch(direction: 1 | -1): void {
    const search = this.search;
    if (search === undefined || this.revealed === undefined || search.matchCount === 0) return;
    const from = this.selected >= 0 ? this.selected : direction > 0 ? -1 : this.trace.spanCount;
    const target = direction > 0 ? search.nextMatch(from) : search.previousMatch(from);
    if (target < 0) return;
    if (this.leaveCriticalFilterFor(target)) this.updateRows();
    this.select(target, 'center');
  }

  private updateSearchCount(): void {
    const search = this.search;
    const active = search !== undefined && !isEmptyQuery(search.currentQuery);
    const searching = active && !search.done;
    this.searchBar.showCount(search?.matchCount ?? 0, active && !searching ? search.matchRank(this.selected) : 0, searching, active);
  }

  private onClick(event: MouseEvent): void {
    const position = this.rowList.positionAt(event.target);
    if (position < 0) return;
    if (event.target instanceof Element && event.target.closest('.span-toggle') !== null) {
      this.setCollapsed(position, this.collapsed[position] === 0);
    } else {
      this.select(position, 'nearest');
    }
  }

  private onDoubleClick(event: MouseEvent): void {
    if (event.target instanceof Element && event.target.closest('.span-toggle') !== null) return;
    const position = this.rowList.positionAt(event.target);
    if (position >= 0) this.setCollapsed(position, this.collapsed[position] === 0);
  }

  private onKeyDown(event: KeyboardEvent): void {
    const tree: TreeNavigator = {
      rows: this.rows,
      rowCount: this.rowCount,
      selected: this.selected,
      pageRows: this.rowList.pageRows,
      parentPosition: this.trace.parentPosition,
      rowOf: (position) => this.rowOf(position),
      hasChildren: (position) => hasChildren(this.trace, position),
      isCollapsed: (position) => this.collapsed[position] !== 0,
      select: (position) => this.select(position, 'nearest'),
      setCollapsed: (position, collapsed) => this.setCollapsed(position, collapsed),
    };
    if (handleTreeKey(event, tree) || handleZoomKey(event, this.timeTarget)) event.preventDefault();
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
    this.collapsedList ??= collapsedPositions(this.collapsed);
    const state: { -readonly [K in keyof WaterfallViewState]: WaterfallViewState[K] } = {
      source: this.options.source,
      collapsed: this.collapsedList,
      scrollTop: Math.round(this.rowList.scroller.scrollTop),
    };
    if (this.selected >= 0) state.selected = this.selected;
    if (!isFullWindow(this.window, this.trace.traceDurationNano)) {
      state.viewStartNano = this.window.startNano;
      state.viewEndNano = this.window.endNano;
    }
    this.options.persist(state);
  }
}

function labelWidthFor(widthPx: number): number {
  return Math.round(Math.min(MAX_LABEL_WIDTH_PX, Math.max(MIN_LABEL_WIDTH_PX, widthPx * 0.4)));
}

/** Spans with some part on the critical path, plus their ancestors (a filter must keep the tree connected). O(N). */
function criticalPathWithAncestors(trace: ColumnarTrace): Uint8Array {
  const pinned = new Uint8Array(trace.spanCount);
  for (let position = 0; position < trace.spanCount; position++) {
    if ((trace.flags[position] & SPAN_FLAG_CRITICAL) === 0) continue;
    for (let span = position; span >= 0 && pinned[span] === 0; span = trace.parentPosition[span]) pinned[span] = 1;
  }
  return pinned;
}
