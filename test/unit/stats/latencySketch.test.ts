import { strict as assert } from 'node:assert';
import { DDSketch } from '@datadog/sketches-js';
import { LatencySketch, SKETCH_RELATIVE_ACCURACY, sketchKey, sketchValue } from '../../../src/core/stats/latencySketch';
import { createRandom } from '../../support/traceGenerator';

const QUANTILES = [0, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1];

/** DDSketch's rank: the element at 0-based index ⌊q·(n − 1)⌋ of the sorted values. */
function exactQuantile(sorted: readonly number[], q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))];
}

function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

const random = createRandom(42);
const DATASETS: Record<string, number[]> = {
  'log-normal': Array.from({ length: 50_000 }, () => 2e6 * Math.exp(normal(random))),
  bimodal: Array.from({ length: 40_000 }, (_, i) => (i % 4 === 0 ? 800e6 : 3e6) * Math.exp(0.2 * normal(random))),
  constant: Array.from({ length: 1_000 }, () => 12_345_678),
  'wide 1µs..1h': Array.from({ length: 30_000 }, () => 1e3 * Math.exp(random() * Math.log(3.6e12 / 1e3))),
  'with zeros': Array.from({ length: 5_000 }, (_, i) => (i % 10 === 0 ? 0 : 1e3 + random() * 1e6)),
};

describe('LatencySketch', () => {
  for (const [name, values] of Object.entries(DATASETS)) {
    it(`keeps every quantile within 1% of the exact rank value: ${name}`, () => {
      const sketch = new LatencySketch();
      for (const value of values) sketch.add(value);
      const sorted = [...values].sort((a, b) => a - b);
      for (const q of QUANTILES) {
        const exact = exactQuantile(sorted, q);
        const estimate = sketch.quantileNano(q);
        assert.ok(Math.abs(estimate - exact) <= SKETCH_RELATIVE_ACCURACY * exact * (1 + 1e-12), `${name} q=${q}: ${estimate} vs exact ${exact}`);
      }
      assert.equal(sketch.count, values.length);
      assert.ok(Math.abs(sketch.sumNano - values.reduce((a, b) => a + b, 0)) <= 1e-9 * sketch.sumNano);
      assert.equal(sketch.minNano, sorted[0]);
      assert.equal(sketch.maxNano, sorted[sorted.length - 1]);
    });
  }

  it('answers what the library DDSketch answers for the same values', () => {
    for (const values of Object.values(DATASETS)) {
      const library = new DDSketch({ relativeAccuracy: SKETCH_RELATIVE_ACCURACY });
      const sketch = new LatencySketch();
      for (const value of values) {
        library.accept(value);
        sketch.add(value);
      }
      for (const q of QUANTILES) {
        const expected = Math.min(library.max, Math.max(library.min, library.getValueAtQuantile(q)));
        assert.equal(sketch.quantileNano(q), expected, `q=${q}`);
      }
    }
  });

  it('maps every bin value back to its own key', () => {
    for (let key = 0; key < 5000; key++) assert.equal(sketchKey(sketchValue(key)), key);
  });

  it('merges into the sketch of the union', () => {
    const values = DATASETS['wide 1µs..1h'];
    const whole = new LatencySketch();
    const parts = [new LatencySketch(), new LatencySketch(), new LatencySketch()];
    values.forEach((value, i) => {
      whole.add(value);
      parts[i % 3].add(value);
    });
    const merged = new LatencySketch();
    for (const part of parts) merged.merge(part);
    assert.equal(merged.count, whole.count);
    for (const q of QUANTILES) assert.equal(merged.quantileNano(q), whole.quantileNano(q));
  });

  it('is empty-safe and treats sub-nanosecond and invalid values as zero', () => {
    const sketch = new LatencySketch();
    assert.ok(Number.isNaN(sketch.quantileNano(0.5)));
    assert.deepEqual(sketch.histogram(), []);
    sketch.add(0.4);
    sketch.add(Number.NaN);
    sketch.add(-5);
    sketch.add(100);
    assert.equal(sketch.count, 4);
    assert.equal(sketch.quantileNano(0.5), 0);
    assert.ok(Math.abs(sketch.quantileNano(1) - 100) <= 1);
    assert.equal(sketch.sumNano, 100);
  });

  it('spreads its counts over a log-scale histogram', () => {
    const sketch = new LatencySketch();
    for (const value of DATASETS.bimodal) sketch.add(value);
    const bins = sketch.histogram(10);
    assert.equal(bins.length, 10);
    assert.equal(bins.reduce((total, bin) => total + bin.count, 0), DATASETS.bimodal.length);
    assert.equal(bins[0].lowerNano, sketch.minNano);
    assert.equal(bins[9].upperNano, sketch.maxNano);
    // Two modes: the middle of the range is nearly empty.
    const fast = bins.slice(0, 3).reduce((total, bin) => total + bin.count, 0);
    const slow = bins.slice(7).reduce((total, bin) => total + bin.count, 0);
    assert.ok(fast > 25_000 && slow > 8_000, `${fast} fast, ${slow} slow`);
  });

  it('puts each bin of the sketch into the histogram bin its representative value falls in', () => {
    const sketch = new LatencySketch();
    for (const value of DATASETS.bimodal) sketch.add(value);
    // Asked twice: the second time from remembered logarithms.
    for (let round = 0; round < 2; round++) {
      const expected = new Array<number>(10).fill(0);
      const logLow = Math.log(sketch.minNano);
      const logWidth = (Math.log(sketch.maxNano) - logLow) / 10;
      const seen = new Set<number>();
      for (const value of DATASETS.bimodal) {
        const key = sketchKey(value);
        const bin = Math.floor((Math.log(sketchValue(key)) - logLow) / logWidth);
        expected[Math.min(9, Math.max(0, bin))]++;
        seen.add(key);
      }
      assert.deepEqual(
        sketch.histogram(10).map((bin) => bin.count),
        expected,
        `round ${round}, ${seen.size} keys`,
      );
    }
  });
});
