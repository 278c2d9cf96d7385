// A mergeable latency distribution with Datadog's DDSketch guarantee: every quantile is within 1% relative
// error of the value at the exact rank, whatever the spread of the data (1 µs and 1 h in one sketch cost
// ~1,100 bins).
//
// Values are binned with the library's own logarithmic key mapping and quantiles read the way the library
// reads them (DDSketch.getValueAtQuantile over DenseStore.keyAtRank), so the answers are the library's; the
// tests check they are equal. The bins are counted here in a typed array because the library's DenseStore
// grows by re-centring a plain array, which made thousands of small sketches (one per location, service
// and time bucket) over ten times slower to fill and to query than one big one.

import { DDSketch } from '@datadog/sketches-js';

export const SKETCH_RELATIVE_ACCURACY = 0.01;

const MAPPING = new DDSketch({ relativeAccuracy: SKETCH_RELATIVE_ACCURACY }).mapping;
/** Spare bins on the side a sketch grows towards, so that a spreading distribution grows in few steps. */
const GROWTH_SLACK = 64;
const NO_BINS = new Uint32Array(0);

/** The library's bin key of a value ≥ 1 (keys are then ≥ 0). */
export function sketchKey(valueNano: number): number {
  return MAPPING.key(valueNano);
}

/** The library's representative value of a bin key, within 1% of every value in the bin. */
export function sketchValue(key: number): number {
  return MAPPING.value(key);
}

/** Keys whose logarithm of value logValueOf keeps: past any duration a span can have. */
const MAX_LOG_KEYS = 1 << 16;
/** Math.log(sketchValue(key)) by key, computed when first asked (NaN until then). */
let logValues = new Float64Array(0);

/** Math.log(sketchValue(key)), remembered: histograms ask it for every bin of every row on each snapshot. */
function logValueOf(key: number): number {
  if (!(key >= 0 && key < MAX_LOG_KEYS)) return Math.log(MAPPING.value(key));
  if (key >= logValues.length) {
    const grown = new Float64Array(Math.min(MAX_LOG_KEYS, Math.max(key + 1, 2 * logValues.length))).fill(Number.NaN);
    grown.set(logValues);
    logValues = grown;
  }
  let logValue = logValues[key];
  if (Number.isNaN(logValue)) {
    logValue = Math.log(MAPPING.value(key));
    logValues[key] = logValue;
  }
  return logValue;
}

export interface HistogramBin {
  readonly lowerNano: number;
  readonly upperNano: number;
  readonly count: number;
}

/** The state of a sketch, for building one from bins counted elsewhere (see WindowedSketch). */
export interface SketchParts {
  /** Key of bins[0]. */
  readonly offset: number;
  readonly bins: Uint32Array;
  readonly zeroCount: number;
  readonly count: number;
  readonly sumNano: number;
  readonly minNano: number;
  readonly maxNano: number;
}

export class LatencySketch {
  /** Counts by bin key − offset. */
  private bins: Uint32Array = NO_BINS;
  private offset = 0;
  private zeroCount = 0;
  private total = 0;
  private sum = 0;
  private min = Number.POSITIVE_INFINITY;
  private max = Number.NEGATIVE_INFINITY;

  static fromParts(parts: SketchParts): LatencySketch {
    const sketch = new LatencySketch();
    sketch.bins = parts.bins;
    sketch.offset = parts.offset;
    sketch.zeroCount = parts.zeroCount;
    sketch.total = parts.count;
    sketch.sum = parts.sumNano;
    sketch.min = parts.count === 0 ? Number.POSITIVE_INFINITY : parts.minNano;
    sketch.max = parts.count === 0 ? Number.NEGATIVE_INFINITY : parts.maxNano;
    return sketch;
  }

  /**
   * Records one duration. Below 1 ns (and anything not a number) counts as zero: nothing real is that short,
   * and it keeps every bin key non-negative.
   */
  add(valueNano: number): void {
    const value = valueNano >= 1 ? valueNano : 0;
    this.total++;
    this.sum += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    if (value === 0) {
      this.zeroCount++;
      return;
    }
    const key = MAPPING.key(value);
    let index = key - this.offset;
    if (index < 0 || index >= this.bins.length) index = key - this.cover(key, key);
    this.bins[index]++;
  }

  merge(other: LatencySketch): void {
    if (other.total === 0) return;
    this.total += other.total;
    this.sum += other.sum;
    this.zeroCount += other.zeroCount;
    if (other.min < this.min) this.min = other.min;
    if (other.max > this.max) this.max = other.max;
    const { bins } = other;
    if (bins.length === 0) return;
    const base = other.offset - this.cover(other.offset, other.offset + bins.length - 1);
    const mine = this.bins;
    for (let i = 0; i < bins.length; i++) mine[base + i] += bins[i];
  }

  get count(): number {
    return this.total;
  }

  get sumNano(): number {
    return this.sum;
  }

  get minNano(): number {
    return this.total === 0 ? Number.NaN : this.min;
  }

  get maxNano(): number {
    return this.total === 0 ? Number.NaN : this.max;
  }

  /**
   * DDSketch's quantile: the value at rank ⌊q·(count − 1)⌋ of the sorted data (0-based), within 1%
   * relative error; NaN when empty or q is outside 0..1. Clamped to the exact min and max, which can only
   * bring it closer.
   */
  quantileNano(q: number): number {
    if (this.total === 0 || !(q >= 0 && q <= 1)) return Number.NaN;
    const rank = q * (this.total - 1);
    if (rank < this.zeroCount) return 0;
    const storeRank = rank - this.zeroCount;
    const { bins } = this;
    let running = 0;
    let value = this.max;
    for (let i = 0; i < bins.length; i++) {
      running += bins[i];
      if (running > storeRank) {
        value = MAPPING.value(i + this.offset);
        break;
      }
    }
    return Math.min(this.max, Math.max(this.min, value));
  }

  /** Counts in `binCount` bins of equal width on a log scale from the smallest to the largest value. */
  histogram(binCount = 10): HistogramBin[] {
    if (this.total === 0) return [];
    const low = Math.max(1, this.min);
    const high = Math.max(low, this.max);
    if (high === low || binCount <= 1) return [{ lowerNano: this.min, upperNano: this.max, count: this.total }];
    const logLow = Math.log(low);
    const logWidth = (Math.log(high) - logLow) / binCount;
    const counts = new Array<number>(binCount).fill(0);
    counts[0] += this.zeroCount;
    const { bins, offset } = this;
    for (let i = 0; i < bins.length; i++) {
      if (bins[i] === 0) continue;
      const bin = Math.floor((logValueOf(i + offset) - logLow) / logWidth);
      counts[Math.min(binCount - 1, Math.max(0, bin))] += bins[i];
    }
    return counts.map((count, i) => ({
      lowerNano: i === 0 ? this.min : Math.exp(logLow + i * logWidth),
      upperNano: i === binCount - 1 ? this.max : Math.exp(logLow + (i + 1) * logWidth),
      count,
    }));
  }

  /** Grows the bins to hold keys low..high; returns the offset. */
  private cover(low: number, high: number): number {
    const covered = binsCovering(this.bins, this.offset, low, high);
    this.bins = covered.bins;
    this.offset = covered.offset;
    return covered.offset;
  }
}

/** Bin counts whose first bin holds key `offset`. */
export interface OffsetBins {
  readonly bins: Uint32Array;
  readonly offset: number;
}

/** `bins` (first key `offset`) grown to hold keys low..high, with slack on the side it grows towards; as given if they already do. */
export function binsCovering(bins: Uint32Array, offset: number, low: number, high: number): OffsetBins {
  if (bins.length === 0) {
    const from = Math.max(0, low - GROWTH_SLACK);
    return { bins: new Uint32Array(high + GROWTH_SLACK + 1 - from), offset: from };
  }
  const oldHigh = offset + bins.length - 1;
  if (low >= offset && high <= oldHigh) return { bins, offset };
  const from = low < offset ? Math.max(0, low - GROWTH_SLACK) : offset;
  const to = high > oldHigh ? high + GROWTH_SLACK : oldHigh;
  const grown = new Uint32Array(to - from + 1);
  grown.set(bins, offset - from);
  return { bins: grown, offset: from };
}
