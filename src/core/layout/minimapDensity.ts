// The minimap's per-pixel level of detail: every visible row adds its bar's extent to the pixel row it
// falls in, as +1/-1 at the bar's ends (a difference array), so a million spans cost one pass plus one
// prefix sum per pixel, and a pixel covered by many bars is drawn once, with their density.

export interface DensityGrid {
  readonly widthPx: number;
  readonly heightPx: number;
  /** Per cell (row-major), how many bars cover it. Has `widthPx + 1` cells per row; the last is scratch. */
  readonly coverage: Int32Array;
  /** Per pixel row, how many spans fall in it. */
  readonly rowsPerPixel: Int32Array;
}

/** A zeroed grid; reuse it across frames with clearDensity(). */
export function createDensityGrid(widthPx: number, heightPx: number): DensityGrid {
  const width = Math.max(1, Math.floor(widthPx));
  const height = Math.max(1, Math.floor(heightPx));
  return { widthPx: width, heightPx: height, coverage: new Int32Array((width + 1) * height), rowsPerPixel: new Int32Array(height) };
}

export function clearDensity(grid: DensityGrid): void {
  grid.coverage.fill(0);
  grid.rowsPerPixel.fill(0);
}

/**
 * Adds rows `from` up to `to` of the `rowCount` visible rows (display positions in `rows`) to the grid,
 * x scaled so [0, traceDurationNano] fills the width. Resumable: call for consecutive ranges.
 */
export function accumulateDensity(
  grid: DensityGrid,
  rows: Int32Array,
  rowCount: number,
  from: number,
  to: number,
  startOffsetNano: Float64Array,
  durationNano: Float64Array,
  traceDurationNano: number,
): void {
  const { widthPx, heightPx, coverage, rowsPerPixel } = grid;
  const stride = widthPx + 1;
  const xPerNano = widthPx / Math.max(traceDurationNano, 1);
  const yPerRow = heightPx / Math.max(rowCount, 1);
  for (let row = from; row < to; row++) {
    const position = rows[row];
    const y = Math.min(heightPx - 1, Math.floor(row * yPerRow));
    const start = startOffsetNano[position];
    const x0 = clampPixel(Math.floor(start * xPerNano), widthPx - 1);
    const x1 = clampPixel(Math.ceil((start + durationNano[position]) * xPerNano), widthPx);
    coverage[y * stride + x0]++;
    coverage[y * stride + Math.max(x1, x0 + 1)]--;
    rowsPerPixel[y]++;
  }
}

/** Turns the +1/-1 marks into coverage counts. Call once after the last accumulateDensity(). */
export function resolveDensity(grid: DensityGrid): void {
  const { widthPx, heightPx, coverage } = grid;
  const stride = widthPx + 1;
  for (let y = 0; y < heightPx; y++) {
    let running = 0;
    for (let x = 0; x < stride; x++) {
      running += coverage[y * stride + x];
      coverage[y * stride + x] = running;
    }
  }
}

function clampPixel(x: number, max: number): number {
  return x < 0 ? 0 : x > max ? max : x;
}
