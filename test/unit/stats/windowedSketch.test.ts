import { strict as assert } from 'node:assert';
import { LatencySketch } from '../../../src/core/stats/latencySketch';
import { WindowedSketch } from '../../../src/core/stats/windowedSketch';
import { createRandom } from '../../support/traceGenerator';

const SLOTS = 13;
const QUANTILES = [0, 0.1, 0.5, 0.9, 0.95, 0.99, 1];

function assertSameSketch(actual: LatencySketch, expected: LatencySketch, label: string): void {
  assert.equal(actual.count, expected.count, `${label}: count`);
  assert.equal(actual.sumNano, expected.sumNano, `${label}: sum`);
  assert.deepEqual([actual.minNano, actual.maxNano], [expected.minNano, expected.maxNano], `${label}: min, max`);
  for (const q of QUANTILES) assert.equal(actual.quantileNano(q), expected.quantileNano(q), `${label}: q=${q}`);
  assert.deepEqual(actual.histogram(), expected.histogram(), `${label}: histogram`);
}

describe('WindowedSketch', () => {
  it('counts a batch exactly as one value at a time, reusing the keys of equal values', () => {
    const random = createRandom(7);
    const kinds = ['duration', 'self'] as const;
    const single = { duration: new WindowedSketch(SLOTS), self: new WindowedSketch(SLOTS) };
    const batched = { duration: new WindowedSketch(SLOTS), self: new WindowedSketch(SLOTS) };
    const perSlot = {
      duration: Array.from({ length: SLOTS }, () => new LatencySketch()),
      self: Array.from({ length: SLOTS }, () => new LatencySketch()),
    };
    const keys = new Int32Array(300);
    for (let round = 0; round < 40; round++) {
      const slot = round % SLOTS;
      const count = 1 + Math.floor(random() * 300);
      // Later rounds spread wider, so that the bins must grow on both sides.
      const spread = 2 + round / 4;
      const values = { duration: new Float64Array(count), self: new Float64Array(count) };
      for (let i = 0; i < count; i++) {
        const pick = random();
        values.duration[i] = pick < 0.03 ? 0 : pick < 0.05 ? Number.NaN : pick < 0.07 ? 0.5 : 1e6 * Math.exp((random() - 0.5) * spread);
        values.self[i] = random() < 0.6 ? values.duration[i] : values.duration[i] * random();
      }
      batched.duration.addValues(slot, values.duration, count, keys);
      batched.self.addValues(slot, values.self, count, keys, values.duration);
      for (const kind of kinds) {
        for (const value of values[kind]) {
          single[kind].add(slot, value);
          perSlot[kind][slot].add(value);
        }
      }
    }
    for (const slots of [[0], [3, 4, 5], Array.from({ length: SLOTS }, (_, i) => i)]) {
      for (const kind of kinds) {
        const whole = new LatencySketch();
        for (const slot of slots) whole.merge(perSlot[kind][slot]);
        assertSameSketch(batched[kind].sketchOf(slots), whole, `${kind}, slots ${slots.join(',')}`);
        assertSameSketch(single[kind].sketchOf(slots), whole, `${kind} one by one, slots ${slots.join(',')}`);
      }
    }
  });

  it('clears one slot and keeps the others', () => {
    const sketch = new WindowedSketch(SLOTS);
    const keys = new Int32Array(3);
    sketch.addValues(1, new Float64Array([10, 20, 30]), 3, keys);
    sketch.addValues(2, new Float64Array([5e9]), 1, keys);
    sketch.clearSlot(1);
    assert.equal(sketch.sketchOf([1]).count, 0);
    assert.ok(Number.isNaN(sketch.sketchOf([1]).quantileNano(0.5)));
    sketch.addValues(1, new Float64Array([7e3]), 1, keys);
    const both = sketch.sketchOf([1, 2]);
    assert.equal(both.count, 2);
    assert.deepEqual([both.minNano, both.maxNano], [7e3, 5e9]);
  });

  it('gives the sketch of what a cleared slot counted since, over keys narrower or wider than before', () => {
    const sketch = new WindowedSketch(SLOTS);
    const keys = new Int32Array(4);
    sketch.addValues(0, new Float64Array([1e3, 1e9, 0, 5e6]), 4, keys);
    sketch.add(1, 2e4);
    for (const values of [[7e6, 8e6], [1, 3e11], [0]]) {
      sketch.clearSlot(0);
      sketch.addValues(0, Float64Array.from(values), values.length, keys);
      const expected = { alone: new LatencySketch(), both: new LatencySketch() };
      for (const value of values) {
        expected.alone.add(value);
        expected.both.add(value);
      }
      expected.both.add(2e4);
      assertSameSketch(sketch.sketchOf([0]), expected.alone, `slot 0 after ${values.join(',')}`);
      assertSameSketch(sketch.sketchOf([1, 0]), expected.both, `slots 1, 0 after ${values.join(',')}`);
    }
  });
});
