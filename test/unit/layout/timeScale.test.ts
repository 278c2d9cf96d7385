import { strict as assert } from 'node:assert';
import {
  chooseTickStepNano,
  computeTimeTicks,
  createTimeScale,
  tickLabelFormatter,
} from '../../../src/core/layout/timeScale';

describe('time scale', () => {
  it('maps the view window onto the width and back', () => {
    const scale = createTimeScale(1_000, 3_000, 400);
    assert.equal(scale.toX(1_000), 0);
    assert.equal(scale.toX(2_000), 200);
    assert.equal(scale.toX(3_000), 400);
    assert.equal(scale.toX(0), -200);
    assert.equal(scale.toNano(100), 1_500);
  });

  it('treats an empty window as one nanosecond instead of dividing by zero', () => {
    const scale = createTimeScale(0, 0, 100);
    assert.equal(scale.toX(0), 0);
    assert.ok(Number.isFinite(scale.toX(5)));
    assert.equal(createTimeScale(0, 10, 0).toNano(5), 0);
  });

  it('picks 1-2-5 steps below a minute and clock steps above', () => {
    assert.equal(chooseTickStepNano(1_000_000_000, 10), 100_000_000);
    assert.equal(chooseTickStepNano(1_000_000_000, 4), 500_000_000);
    assert.equal(chooseTickStepNano(130_000, 5), 50_000);
    assert.equal(chooseTickStepNano(90e9, 5), 20e9);
    assert.equal(chooseTickStepNano(10 * 60e9, 4), 5 * 60e9);
    assert.equal(chooseTickStepNano(2 * 3600e9, 5), 30 * 60e9);
    assert.equal(chooseTickStepNano(0, 5), 1);
  });

  it('labels ticks in one human unit with the decimals the step needs', () => {
    assert.equal(tickLabelFormatter(200e6, 1.5e9)(1.4e9), '1.4 s');
    assert.equal(tickLabelFormatter(20e6, 150e6)(40e6), '40 ms');
    assert.equal(tickLabelFormatter(1e6, 1.5e9)(1_234e6), '1.234 s');
    assert.equal(tickLabelFormatter(500, 3_000)(2_500), '2.5 µs');
    assert.equal(tickLabelFormatter(20, 90)(40), '40 ns');
    assert.equal(tickLabelFormatter(20e9, 90e9)(80e9), '80 s', 'seconds until the step reaches a minute');
    assert.equal(tickLabelFormatter(5 * 60e9, 10 * 60e9)(5 * 60e9), '5 min');
  });

  it('puts ticks on step multiples inside the view, spaced at least the minimum apart', () => {
    const scale = createTimeScale(0, 13_200_000, 800);
    const ticks = computeTimeTicks(scale, 80);
    assert.deepEqual(
      ticks.map((tick) => tick.label),
      ['0 ms', '2 ms', '4 ms', '6 ms', '8 ms', '10 ms', '12 ms'],
    );
    for (let i = 1; i < ticks.length; i++) assert.ok(ticks[i].xPx - ticks[i - 1].xPx >= 80);
    assert.equal(new Set(ticks.map((tick) => tick.label)).size, ticks.length, 'labels repeat');
  });

  it('starts at the first step multiple after a zoomed window start', () => {
    const ticks = computeTimeTicks(createTimeScale(1_050_000, 1_950_000, 500), 100);
    assert.equal(ticks[0].offsetNano, 1_200_000);
    assert.ok(ticks.every((tick) => tick.xPx >= 0 && tick.xPx <= 500));
    assert.equal(ticks[0].label, '1.2 ms');
  });
});
