// One latency distribution per time slot of a sliding window. Each slot has its own bins, sized to the values
// it has seen: a slot holds a twelfth of the window's spans, and sizing every slot to the whole window's range
// made each location allocate, zero and copy several times the memory its spans need.

import { binsCovering, LatencySketch, sketchKey } from './latencySketch';

const NO_COUNTS = new Uint32Array(0);

export class WindowedSketch {
  /** bins[slot][key − offsets[slot]]. */
  private readonly bins: Uint32Array[];
  private readonly offsets: number[];
  private readonly zero: number[];
  private readonly total: number[];
  private readonly sum: number[];
  private readonly min: number[];
  private readonly max: number[];
  /** The lowest and highest key counted since the slot was cleared (+∞ and −1 when none): the bins' slack is left out of sketchOf. */
  private readonly lowKeys: number[];
  private readonly highKeys: number[];

  constructor(slots: number) {
    this.bins = new Array<Uint32Array>(slots).fill(NO_COUNTS);
    this.offsets = new Array<number>(slots).fill(0);
    this.zero = new Array<number>(slots).fill(0);
    this.total = new Array<number>(slots).fill(0);
    this.sum = new Array<number>(slots).fill(0);
    this.min = new Array<number>(slots).fill(Number.POSITIVE_INFINITY);
    this.max = new Array<number>(slots).fill(Number.NEGATIVE_INFINITY);
    this.lowKeys = new Array<number>(slots).fill(Number.POSITIVE_INFINITY);
    this.highKeys = new Array<number>(slots).fill(-1);
  }

  /** As LatencySketch.add: below 1 ns counts as zero. Returns the bin key, or −1 for zero. */
  add(slot: number, valueNano: number): number {
    return this.addKeyed(slot, valueNano, valueNano >= 1 ? sketchKey(valueNano) : -1);
  }

  /** `add` for a value whose key the caller already has (a span whose self time is its duration). */
  addKeyed(slot: number, valueNano: number, key: number): number {
    const value = valueNano >= 1 ? valueNano : 0;
    this.total[slot]++;
    this.sum[slot] += value;
    if (value < this.min[slot]) this.min[slot] = value;
    if (value > this.max[slot]) this.max[slot] = value;
    if (value === 0) {
      this.zero[slot]++;
      return -1;
    }
    let row = key - this.offsets[slot];
    if (row < 0 || row >= this.bins[slot].length) row = key - this.cover(slot, key, key);
    this.bins[slot][row]++;
    if (key < this.lowKeys[slot]) this.lowKeys[slot] = key;
    if (key > this.highKeys[slot]) this.highKeys[slot] = key;
    return key;
  }

  /**
   * Adds values[0..count) to the slot, in order, as `add` would one by one, and leaves each one's bin key
   * (−1 for zero) in `keys`. With `keyedValues`, `keys` must come in holding their keys: a value equal to
   * its keyed value reuses that key instead of taking a logarithm.
   */
  addValues(slot: number, values: Float64Array, count: number, keys: Int32Array, keyedValues?: Float64Array): void {
    let zero = this.zero[slot];
    let sum = this.sum[slot];
    let min = this.min[slot];
    let max = this.max[slot];
    let lowKey = Number.POSITIVE_INFINITY;
    let highKey = -1;
    for (let i = 0; i < count; i++) {
      const raw = values[i];
      const value = raw >= 1 ? raw : 0;
      sum += value;
      if (value < min) min = value;
      if (value > max) max = value;
      if (value === 0) {
        zero++;
        keys[i] = -1;
        continue;
      }
      const key = keyedValues !== undefined && keyedValues[i] === raw ? keys[i] : sketchKey(value);
      keys[i] = key;
      if (key < lowKey) lowKey = key;
      if (key > highKey) highKey = key;
    }
    this.total[slot] += count;
    this.zero[slot] = zero;
    this.sum[slot] = sum;
    this.min[slot] = min;
    this.max[slot] = max;
    if (highKey < 0) return;
    if (lowKey < this.lowKeys[slot]) this.lowKeys[slot] = lowKey;
    if (highKey > this.highKeys[slot]) this.highKeys[slot] = highKey;
    // One growth per batch at most, to the batch's whole range.
    let offset = this.offsets[slot];
    if (lowKey < offset || highKey >= offset + this.bins[slot].length) offset = this.cover(slot, lowKey, highKey);
    const bins = this.bins[slot];
    for (let i = 0; i < count; i++) {
      const key = keys[i];
      if (key >= 0) bins[key - offset]++;
    }
  }

  /** Empties the slot for new data; its bins stay, zeroed, for the data to come. */
  clearSlot(slot: number): void {
    if (this.total[slot] === 0) return;
    this.bins[slot].fill(0);
    this.zero[slot] = this.total[slot] = this.sum[slot] = 0;
    this.min[slot] = Number.POSITIVE_INFINITY;
    this.max[slot] = Number.NEGATIVE_INFINITY;
    this.lowKeys[slot] = Number.POSITIVE_INFINITY;
    this.highKeys[slot] = -1;
  }

  /** The distribution of the given slots together, its bins spanning the keys counted. */
  sketchOf(slots: readonly number[]): LatencySketch {
    let zeroCount = 0;
    let count = 0;
    let sumNano = 0;
    let minNano = Number.POSITIVE_INFINITY;
    let maxNano = Number.NEGATIVE_INFINITY;
    let lowKey = Number.POSITIVE_INFINITY;
    let highKey = -1;
    for (let s = 0; s < slots.length; s++) {
      const slot = slots[s];
      zeroCount += this.zero[slot];
      count += this.total[slot];
      sumNano += this.sum[slot];
      minNano = Math.min(minNano, this.min[slot]);
      maxNano = Math.max(maxNano, this.max[slot]);
      lowKey = Math.min(lowKey, this.lowKeys[slot]);
      highKey = Math.max(highKey, this.highKeys[slot]);
    }
    const offset = highKey < 0 ? 0 : lowKey;
    const bins = new Uint32Array(highKey < 0 ? 0 : highKey - lowKey + 1);
    for (let s = 0; s < slots.length; s++) {
      const slot = slots[s];
      const high = this.highKeys[slot];
      if (high < 0) continue;
      const own = this.bins[slot];
      const ownOffset = this.offsets[slot];
      const end = high - ownOffset + 1;
      const shift = ownOffset - offset;
      for (let i = this.lowKeys[slot] - ownOffset; i < end; i++) bins[shift + i] += own[i];
    }
    return LatencySketch.fromParts({ offset, bins, zeroCount, count, sumNano, minNano, maxNano });
  }

  /** Grows the slot's bins to hold keys low..high; returns their offset. */
  private cover(slot: number, low: number, high: number): number {
    const covered = binsCovering(this.bins[slot], this.offsets[slot], low, high);
    this.bins[slot] = covered.bins;
    this.offsets[slot] = covered.offset;
    return covered.offset;
  }
}
