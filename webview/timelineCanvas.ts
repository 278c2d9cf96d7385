// Draws grid lines, duration bars and duration labels for the rows on screen, aligned with the DOM
// rows. Work per frame is bounded by the number of visible rows, whatever the trace size.
import type { ColumnarTrace } from '../src/core/layout/columnarTrace';
import { isErrorFlags } from '../src/core/layout/columnarTrace';
import { SPAN_FLAG_CRITICAL } from '../src/shared/webviewProtocol';
import type { TimeScale, TimeTick } from '../src/core/layout/timeScale';
import { formatDurationNano } from '../src/core/model/time';
import { serviceColor } from './serviceColors';
import type { ThemeColors } from './themeColors';

export interface TimelineFrame {
  readonly trace: ColumnarTrace;
  readonly rows: Int32Array;
  readonly firstRow: number;
  readonly endRow: number;
  readonly rowHeightPx: number;
  readonly scrollTopPx: number;
  readonly scale: TimeScale;
  /** Left margin of the scale inside the canvas. */
  readonly offsetPx: number;
  readonly ticks: readonly TimeTick[];
  readonly colors: ThemeColors;
  /** Start offsets to draw: the adjusted column, or the raw one while raw times show. */
  readonly startOffsetNano: Float64Array;
  /** Draw the critical-path segments over the bars; off while raw times show, since they are on adjusted times. */
  readonly showCriticalPath: boolean;
}

const BAR_INSET_PX = 5;
const LABEL_GAP_PX = 4;
const MIN_BAR_WIDTH_PX = 1;
const OFF_SCREEN_PX = 4;
const CRITICAL_BAND_PX = 3;
// Every palette colour is a mid-tone, so near-black text reads on all of them in any theme.
const INSIDE_BAR_TEXT = 'rgba(0, 0, 0, 0.85)';
// Label widths measured so far; few distinct duration texts show at once, so a small cache serves scrolling.
const MAX_CACHED_LABEL_WIDTHS = 4096;

export class TimelineCanvas {
  private readonly context: CanvasRenderingContext2D;
  private widthPx = 0;
  private heightPx = 0;
  private shownCriticalSegments = -1;
  /** Font the context holds; setting it again, or measuring text, would make Blink resolve styles mid-frame. */
  private font = '';
  private readonly labelWidthsPx = new Map<string, number>();
  /** Advance of each character measured alone, in the current font; bounds a label's width without measuring it. */
  private readonly charWidthsPx = new Map<string, number>();
  /** Room the bound leaves for kerning and shaping, which may make a string wider than its characters alone: one em. */
  private boundSlackPx = 0;

  constructor(readonly element: HTMLCanvasElement) {
    const context = element.getContext('2d');
    if (context === null) throw new Error('this webview cannot draw on a canvas');
    this.context = context;
    // An explicit direction spares text drawing the canvas's computed style.
    context.direction = 'ltr';
  }

  /** Sizes the canvas in CSS pixels, backed at device resolution. */
  resize(widthPx: number, heightPx: number): void {
    const ratio = window.devicePixelRatio || 1;
    this.widthPx = Math.max(0, Math.floor(widthPx));
    this.heightPx = Math.max(0, Math.floor(heightPx));
    this.element.width = Math.round(this.widthPx * ratio);
    this.element.height = Math.round(this.heightPx * ratio);
    this.element.style.width = `${this.widthPx}px`;
    this.element.style.height = `${this.heightPx}px`;
    this.context.setTransform(ratio, 0, 0, ratio, 0, 0);
    // Resizing resets the context state, font and direction included.
    this.context.direction = 'ltr';
    this.font = '';
  }

  draw(frame: TimelineFrame): void {
    const context = this.context;
    const { trace, rows, rowHeightPx, scale, offsetPx, colors } = frame;
    context.clearRect(0, 0, this.widthPx, this.heightPx);

    context.fillStyle = colors.gridLine;
    for (const tick of frame.ticks) context.fillRect(Math.round(offsetPx + tick.xPx), 0, 1, this.heightPx);

    if (this.font !== colors.font) {
      context.font = colors.font;
      context.textBaseline = 'middle';
      this.font = colors.font;
      this.labelWidthsPx.clear();
      this.charWidthsPx.clear();
      this.boundSlackPx = context.measureText('M').width;
    }
    const barHeightPx = rowHeightPx - 2 * BAR_INSET_PX;
    const startOffsetNano = frame.startOffsetNano;
    let criticalSegments = 0;
    for (let row = frame.firstRow; row < frame.endRow; row++) {
      const position = rows[row];
      const top = row * rowHeightPx - frame.scrollTopPx;
      const start = startOffsetNano[position];
      const rawX0 = offsetPx + scale.toX(start);
      const rawX1 = offsetPx + scale.toX(start + trace.durationNano[position]);
      // Zoomed in, a bar may lie off screen or be millions of pixels wide: draw only what shows.
      if (rawX1 < 0 || rawX0 > this.widthPx) continue;
      const x0 = Math.max(-OFF_SCREEN_PX, rawX0);
      const width = Math.max(MIN_BAR_WIDTH_PX, Math.min(this.widthPx + OFF_SCREEN_PX, rawX1) - x0);
      context.fillStyle = serviceColor(trace.serviceIndex[position]);
      context.fillRect(x0, top + BAR_INSET_PX, width, barHeightPx);
      if (isErrorFlags(trace.flags[position])) {
        context.strokeStyle = colors.error;
        context.lineWidth = 1.5;
        context.strokeRect(x0 - 0.75, top + BAR_INSET_PX - 0.75, width + 1.5, barHeightPx + 1.5);
      }
      if (frame.showCriticalPath && (trace.flags[position] & SPAN_FLAG_CRITICAL) !== 0) {
        criticalSegments += this.drawCriticalSegments(frame, position, top + rowHeightPx - BAR_INSET_PX - CRITICAL_BAND_PX);
      }
      const label = formatDurationNano(trace.durationNano[position]);
      // Beside the bar where there is room, else inside its right end in a colour readable on the palette.
      let labelX = x0 + width + LABEL_GAP_PX;
      context.fillStyle = colors.description;
      // Most labels clear the edge by far: a bound on the width settles that without measuring the text,
      // which costs far more than drawing it.
      if (labelX + this.labelWidthBound(label) > this.widthPx) {
        const labelWidth = this.labelWidth(label);
        if (labelX + labelWidth > this.widthPx) {
          labelX = x0 - LABEL_GAP_PX - labelWidth;
          if (labelX < 0) {
            labelX = Math.max(x0 + LABEL_GAP_PX, x0 + width - LABEL_GAP_PX - labelWidth);
            context.fillStyle = INSIDE_BAR_TEXT;
          }
        }
      }
      context.fillText(label, labelX, top + rowHeightPx / 2);
    }
    // Read by tests; written only when it changes, so scrolling adds no DOM work.
    if (criticalSegments !== this.shownCriticalSegments) {
      this.shownCriticalSegments = criticalSegments;
      this.element.dataset.criticalSegments = String(criticalSegments);
    }
  }

  /** At least the width `label` draws at: its characters' own advances plus the slack. */
  private labelWidthBound(label: string): number {
    let bound = this.boundSlackPx;
    for (const character of label) {
      let width = this.charWidthsPx.get(character);
      if (width === undefined) {
        width = this.context.measureText(character).width;
        this.charWidthsPx.set(character, width);
      }
      bound += width;
    }
    return bound;
  }

  private labelWidth(label: string): number {
    let width = this.labelWidthsPx.get(label);
    if (width === undefined) {
      if (this.labelWidthsPx.size >= MAX_CACHED_LABEL_WIDTHS) this.labelWidthsPx.clear();
      width = this.context.measureText(label).width;
      this.labelWidthsPx.set(label, width);
    }
    return width;
  }

  /** Draws the exact critical segments of one span as a band along the bottom of its bar; returns how many. */
  private drawCriticalSegments(frame: TimelineFrame, position: number, bandTopPx: number): number {
    const { criticalPathPositions: positions, criticalPathBoundsNano: bounds } = frame.trace;
    const context = this.context;
    context.fillStyle = frame.colors.criticalPath;
    let drawn = 0;
    for (let k = firstSegmentIndex(positions, position); k < positions.length && positions[k] === position; k++) {
      const x0 = Math.max(-OFF_SCREEN_PX, frame.offsetPx + frame.scale.toX(bounds[2 * k]));
      const x1 = Math.min(this.widthPx + OFF_SCREEN_PX, frame.offsetPx + frame.scale.toX(bounds[2 * k + 1]));
      if (x1 < 0 || x0 > this.widthPx) continue;
      context.fillRect(x0, bandTopPx, Math.max(MIN_BAR_WIDTH_PX, x1 - x0), CRITICAL_BAND_PX);
      drawn++;
    }
    return drawn;
  }
}

/** Index of the first critical-path segment of `position` (segments are sorted by position). O(log segments). */
function firstSegmentIndex(positions: Int32Array, position: number): number {
  let low = 0;
  let high = positions.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (positions[middle] < position) low = middle + 1;
    else high = middle;
  }
  return low;
}
