// The whole trace at a glance: one canvas pixel row per slice of the visible rows, x the whole trace
// duration, shaded by how many bars cover each pixel (see minimapDensity). A rectangle marks what the
// timeline shows (time window across, scrolled rows down); dragging it, or clicking elsewhere, navigates.
import {
  accumulateDensity,
  clearDensity,
  createDensityGrid,
  resolveDensity,
  type DensityGrid,
} from '../src/core/layout/minimapDensity';
import type { CooperativeScheduler } from './cooperativeScheduler';
import { createElement } from './dom';

export const MINIMAP_HEIGHT_PX = 44;
// Small enough that a slice stays short while the code is still cold (first load).
const ROWS_PER_SLICE_CHECK = 1024;
const JOB_KEY = 'minimap';

export interface MinimapData {
  readonly rows: Int32Array;
  readonly rowCount: number;
  readonly startOffsetNano: Float64Array;
  readonly durationNano: Float64Array;
  readonly traceDurationNano: number;
}

/** What the main view shows, as fractions of the whole: x of the trace duration, y of all rows. */
export interface MinimapViewport {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

/** Asks the view to centre on a point given as fractions of the minimap's width and height. */
export type MinimapNavigate = (xFraction: number, yFraction: number) => void;

export class Minimap {
  readonly element = createElement('div', 'minimap');
  private readonly canvas = createElement('canvas', 'minimap-canvas');
  private readonly viewport = createElement('div', 'minimap-viewport');
  private readonly context: CanvasRenderingContext2D;
  private grid: DensityGrid | undefined;
  private image: ImageData | undefined;
  private data: MinimapData | undefined;
  private rgb: readonly [number, number, number] = [128, 128, 128];
  private grab: { readonly dx: number; readonly dy: number } | undefined;
  private shown: MinimapViewport = { left: 0, right: 1, top: 0, bottom: 1 };
  /** The rectangle's inline styles as last written; rewriting an unchanged one still costs a style pass. */
  private readonly viewportStyle = { left: '', width: '', height: '', transform: '' };

  constructor(
    private readonly scheduler: CooperativeScheduler,
    private readonly navigate: MinimapNavigate,
  ) {
    const context = this.canvas.getContext('2d');
    if (context === null) throw new Error('this webview cannot draw on a canvas');
    this.context = context;
    this.element.setAttribute('aria-hidden', 'true');
    this.canvas.height = MINIMAP_HEIGHT_PX;
    this.element.append(this.canvas, this.viewport);
    this.element.addEventListener('pointerdown', (event) => this.onPointerDown(event));
    this.element.addEventListener('pointermove', (event) => this.onPointerMove(event));
    const release = (): void => {
      this.grab = undefined;
      this.element.classList.remove('dragging');
    };
    this.element.addEventListener('pointerup', release);
    this.element.addEventListener('pointercancel', release);
  }

  /** The bar colour, any CSS colour; resolved to RGB through the canvas itself. */
  setColor(color: string): void {
    this.context.clearRect(0, 0, 1, 1);
    this.context.fillStyle = color;
    this.context.fillRect(0, 0, 1, 1);
    const [r, g, b] = this.context.getImageData(0, 0, 1, 1).data;
    this.rgb = [r, g, b];
    this.redraw();
  }

  resize(widthPx: number): void {
    const width = Math.max(1, Math.floor(widthPx));
    if (this.grid !== undefined && this.grid.widthPx === width) return;
    this.canvas.width = width;
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${MINIMAP_HEIGHT_PX}px`;
    this.grid = createDensityGrid(width, MINIMAP_HEIGHT_PX);
    this.image = this.context.createImageData(width, MINIMAP_HEIGHT_PX);
    this.redraw();
  }

  /** New visible rows: recomputes the density in slices, then draws. */
  setData(data: MinimapData): void {
    this.data = data;
    this.redraw();
  }

  /** Moves the viewport rectangle; cheap, called on every scroll and zoom. */
  showViewport(viewport: MinimapViewport): void {
    this.shown = viewport;
    const style = this.viewport.style;
    const top = clamp01(viewport.top);
    const left = clamp01(viewport.left) * 100;
    // Scrolling moves the rectangle by transform, which repaints nothing; size and left change on zoom or collapse.
    const written = this.viewportStyle;
    const leftValue = `${left}%`;
    const widthValue = `${Math.max(0, clamp01(viewport.right) * 100 - left)}%`;
    // Rounded, so float noise in the fractions does not make a scroll frame resize the rectangle.
    const heightValue = `${roundHundredths(Math.max(0, clamp01(viewport.bottom) - top) * MINIMAP_HEIGHT_PX)}px`;
    const transformValue = `translateY(${roundHundredths(top * MINIMAP_HEIGHT_PX)}px)`;
    if (written.left !== leftValue) style.left = written.left = leftValue;
    if (written.width !== widthValue) style.width = written.width = widthValue;
    if (written.height !== heightValue) style.height = written.height = heightValue;
    if (written.transform !== transformValue) style.transform = written.transform = transformValue;
  }

  private redraw(): void {
    const { grid, data } = this;
    if (grid === undefined || data === undefined) return;
    clearDensity(grid);
    let next = 0;
    let resolved = false;
    this.element.dataset.ready = 'false';
    this.scheduler.schedule(JOB_KEY, (shouldYield) => {
      while (next < data.rowCount) {
        const to = Math.min(data.rowCount, next + ROWS_PER_SLICE_CHECK);
        accumulateDensity(grid, data.rows, data.rowCount, next, to, data.startOffsetNano, data.durationNano, data.traceDurationNano);
        next = to;
        if (shouldYield()) return false;
      }
      // Resolving and painting each get their own slice when the rows used this one up.
      if (!resolved) {
        resolveDensity(grid);
        resolved = true;
        if (shouldYield()) return false;
      }
      this.paint(grid);
      return true;
    });
  }

  private paint(grid: DensityGrid): void {
    const image = this.image;
    if (image === undefined) return;
    const { widthPx, heightPx, coverage, rowsPerPixel } = grid;
    const pixels = image.data;
    const [r, g, b] = this.rgb;
    for (let y = 0; y < heightPx; y++) {
      const rows = Math.max(1, rowsPerPixel[y]);
      for (let x = 0; x < widthPx; x++) {
        const covered = coverage[y * (widthPx + 1) + x];
        const offset = (y * widthPx + x) * 4;
        pixels[offset] = r;
        pixels[offset + 1] = g;
        pixels[offset + 2] = b;
        // Any bar shows; denser pixels are more opaque.
        pixels[offset + 3] = covered <= 0 ? 0 : Math.round(255 * (0.35 + 0.65 * Math.min(1, covered / rows)));
      }
    }
    this.context.putImageData(image, 0, 0);
    this.element.dataset.ready = 'true';
  }

  private fractionAt(event: PointerEvent): { x: number; y: number } {
    const box = this.element.getBoundingClientRect();
    return {
      x: box.width > 0 ? (event.clientX - box.left) / box.width : 0,
      y: box.height > 0 ? (event.clientY - box.top) / box.height : 0,
    };
  }

  private onPointerDown(event: PointerEvent): void {
    if (event.button !== 0) return;
    event.preventDefault();
    const { x, y } = this.fractionAt(event);
    const { left, right, top, bottom } = this.shown;
    const inside = x >= left && x <= right && y >= top && y <= bottom;
    // Grabbing the rectangle keeps the pointer where it grabbed; elsewhere the view jumps there.
    this.grab = inside ? { dx: x - (left + right) / 2, dy: y - (top + bottom) / 2 } : { dx: 0, dy: 0 };
    this.element.setPointerCapture(event.pointerId);
    this.element.classList.add('dragging');
    this.navigate(x - this.grab.dx, y - this.grab.dy);
  }

  private onPointerMove(event: PointerEvent): void {
    if (this.grab === undefined) return;
    const { x, y } = this.fractionAt(event);
    this.navigate(x - this.grab.dx, y - this.grab.dy);
  }
}

function roundHundredths(value: number): number {
  return Math.round(value * 100) / 100;
}

function clamp01(value: number): number {
  return value < 0 ? 0 : value > 1 ? 1 : Number.isFinite(value) ? value : 0;
}
