import { strict as assert } from 'node:assert';
import { accumulateDensity, clearDensity, createDensityGrid, resolveDensity } from '../../../src/core/layout/minimapDensity';

describe('minimap density', () => {
  it('counts bar coverage per pixel, several rows per pixel row', () => {
    // Four rows on a 10 x 2 grid of a 100 ns trace: two rows per pixel row.
    const rows = new Int32Array([0, 1, 2, 3]);
    const start = new Float64Array([0, 20, 50, 95]);
    const duration = new Float64Array([100, 30, 10, 0]);
    const grid = createDensityGrid(10, 2);
    accumulateDensity(grid, rows, 4, 0, 2, start, duration, 100);
    accumulateDensity(grid, rows, 4, 2, 4, start, duration, 100);
    resolveDensity(grid);
    const row = (y: number): number[] => [...grid.coverage.subarray(y * 11, y * 11 + 10)];
    assert.deepEqual(row(0), [1, 1, 2, 2, 2, 1, 1, 1, 1, 1]);
    // A zero-length bar still covers one pixel.
    assert.deepEqual(row(1), [0, 0, 0, 0, 0, 1, 0, 0, 0, 1]);
    assert.deepEqual([...grid.rowsPerPixel], [2, 2]);
    clearDensity(grid);
    assert.ok(grid.coverage.every((value) => value === 0));
  });

  it('clamps bars outside the trace and spreads few rows over many pixels', () => {
    const grid = createDensityGrid(4, 8);
    accumulateDensity(grid, new Int32Array([0, 1]), 2, 0, 2, new Float64Array([-50, 90]), new Float64Array([75, 500]), 100);
    resolveDensity(grid);
    assert.deepEqual([...grid.coverage.subarray(0, 4)], [1, 0, 0, 0]);
    assert.deepEqual([...grid.coverage.subarray(4 * 5, 4 * 5 + 4)], [0, 0, 0, 1]);
    assert.deepEqual([...grid.rowsPerPixel], [1, 0, 0, 0, 1, 0, 0, 0]);
  });
});
