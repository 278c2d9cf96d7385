// One latency distribution per time slot of a sliding window, all in one typed array: one allocation per
// location instead of one per slot, so that thousands of sparse slot sketches stay cheap to fill, to age out
// and to merge. Each slot's bins are contiguous, so filling the current slot touches only its part.

import { GROWTH_SLACK, LatencySketch, sketchKey } from './latencySketch';

const NO_COUNTS = new Uint32Array(0);

export class WindowedSketch {
  /** counts[slot · width + key − offset]. */
  private counts: Uint32Array = NO_COUNTS;
  private offset = 0;
  private width = 0;
  private readonly zero: number[];
  private readonly total: number[];
  private readonly sum: number[];
  private readonly min: number[];
  private readonly max: number[];

  constructor(private readonly slots: number) {
    this.zero = new Array<number>(slots).fill(0);
    this.total = new Array<number>(slots).fill(0);
    this.sum = new Array<number>(slots).fill(0);
    this.min = new Array<number>(slots).fill(Number.POSITIVE_INFINITY);
    this.max = new Array<number>(slots).fill(Number.NEGATIVE_INFINITY);
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
    let row = key - this.offset;
    if (row < 0 || row >= this.width) row = key - this.cover(key);
    this.counts[slot * this.width + row]++;
    return key;
  }

  clearSlot(slot: number): void {
    if (this.total[slot] === 0) return;
    this.counts.fill(0, slot * this.width, (slot + 1) * this.width);
    this.zero[slot] = this.total[slot] = this.sum[slot] = 0;
    this.min[slot] = Number.POSITIVE_INFINITY;
    this.max[slot] = Number.NEGATIVE_INFINITY;
  }

  /** The distribution of the given slots together. */
  sketchOf(slots: readonly number[]): LatencySketch {
    let zeroCount = 0;
    let count = 0;
    let sumNano = 0;
    let minNano = Number.POSITIVE_INFINITY;
    let maxNano = Number.NEGATIVE_INFINITY;
    for (const slot of slots) {
      zeroCount += this.zero[slot];
      count += this.total[slot];
      sumNano += this.sum[slot];
      minNano = Math.min(minNano, this.min[slot]);
      maxNano = Math.max(maxNano, this.max[slot]);
    }
    const bins = new Uint32Array(this.width);
    const { counts } = this;
    for (const slot of slots) {
      const base = slot * this.width;
      for (let row = 0; row < bins.length; row++) bins[row] += counts[base + row];
    }
    return LatencySketch.fromParts({ offset: this.offset, bins, zeroCount, count, sumNano, minNano, maxNano });
  }

  /** Grows the rows to hold `key`; returns the offset. */
  private cover(key: number): number {
    const { slots } = this;
    if (this.width === 0) {
      const from = Math.max(0, key - GROWTH_SLACK);
      this.width = key + GROWTH_SLACK + 1 - from;
      this.counts = new Uint32Array(this.width * slots);
      this.offset = from;
      return from;
    }
    const oldLow = this.offset;
    const oldHigh = oldLow + this.width - 1;
    const from = key < oldLow ? Math.max(0, key - GROWTH_SLACK) : oldLow;
    const to = key > oldHigh ? key + GROWTH_SLACK : oldHigh;
    const width = to - from + 1;
    const counts = new Uint32Array(width * slots);
    for (let slot = 0; slot < slots; slot++) {
      counts.set(this.counts.subarray(slot * this.width, (slot + 1) * this.width), slot * width + oldLow - from);
    }
    this.counts = counts;
    this.width = width;
    this.offset = from;
    return from;
  }
}
