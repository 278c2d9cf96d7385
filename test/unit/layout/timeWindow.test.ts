import { strict as assert } from 'node:assert';
import {
  centerWindow,
  clampWindow,
  fullWindow,
  isFullWindow,
  minWindowWidthNano,
  panWindow,
  zoomWindow,
} from '../../../src/core/layout/timeWindow';

const DURATION = 1_000_000;

describe('time window', () => {
  it('zooms around the anchor, keeping it at the same fraction of the view', () => {
    const zoomed = zoomWindow(fullWindow(DURATION), 4, 500_000, DURATION);
    assert.deepEqual(zoomed, { startNano: 375_000, endNano: 625_000 });
    const atQuarter = zoomWindow(fullWindow(DURATION), 2, 250_000, DURATION);
    assert.deepEqual(atQuarter, { startNano: 125_000, endNano: 625_000 });
    assert.deepEqual(zoomWindow(zoomed, 0.25, 500_000, DURATION), fullWindow(DURATION));
  });

  it('never zooms past the minimum width nor out past the trace', () => {
    let window = fullWindow(DURATION);
    for (let i = 0; i < 100; i++) window = zoomWindow(window, 10, 123_456, DURATION);
    assert.equal(window.endNano - window.startNano, minWindowWidthNano(DURATION));
    assert.ok(window.startNano <= 123_456 && window.endNano >= 123_456);
    assert.deepEqual(zoomWindow(window, 1e-9, 0, DURATION), fullWindow(DURATION));
    assert.equal(zoomWindow(window, Number.NaN, 0, DURATION), window);
  });

  it('pans within the trace and centres without changing the width', () => {
    const window = { startNano: 100_000, endNano: 300_000 };
    assert.deepEqual(panWindow(window, 50_000, DURATION), { startNano: 150_000, endNano: 350_000 });
    assert.deepEqual(panWindow(window, -1e12, DURATION), { startNano: 0, endNano: 200_000 });
    assert.deepEqual(panWindow(window, 1e12, DURATION), { startNano: 800_000, endNano: 1_000_000 });
    assert.deepEqual(centerWindow(window, 500_000, DURATION), { startNano: 400_000, endNano: 600_000 });
  });

  it('repairs restored windows that are inverted, too wide or not numbers', () => {
    assert.deepEqual(clampWindow({ startNano: Number.NaN, endNano: 5 }, DURATION), fullWindow(DURATION));
    assert.deepEqual(clampWindow({ startNano: -5, endNano: 5e9 }, DURATION), fullWindow(DURATION));
    const inverted = clampWindow({ startNano: 500, endNano: 100 }, DURATION);
    assert.equal(inverted.endNano - inverted.startNano, minWindowWidthNano(DURATION));
    assert.ok(isFullWindow(fullWindow(DURATION), DURATION));
    assert.ok(!isFullWindow({ startNano: 1, endNano: DURATION }, DURATION));
  });

  it('handles an empty trace', () => {
    assert.deepEqual(clampWindow({ startNano: 0, endNano: 0 }, 0), { startNano: 0, endNano: 1 });
  });
});
