// Self times of a stored trace's rows, read straight from its records: span IDs are matched as raw 64-bit
// words and start times as 32-bit halves, so no hex string or bigint is made per span, and the buffers are
// reused from trace to trace.

import { SelfTimeBuffers, selfTimesInto } from '../model/selfTime';
import type { SpanRecord } from './spanRecord';

/** Traces up to this many rows reuse the buffers; larger ones get buffers of their own, dropped after. */
const KEPT_ROWS = 4096;

const MIN_ROWS = 64;

/** The runs of a trace's rows inside its records, in the order the store counts the rows. */
export class TraceRowRanges {
  // The arrays keep their storage from trace to trace (emptying them gives it up); `length` says how much is in use.
  readonly firstRows: number[] = [];
  readonly endRows: number[] = [];
  private readonly records: (SpanRecord | undefined)[] = [];
  private used = 0;
  private rows = 0;

  /** For LocalTraceStore.forEachRowRange. */
  readonly add = (record: SpanRecord, firstRow: number, endRow: number): void => {
    const at = this.used++;
    this.records[at] = record;
    this.firstRows[at] = firstRow;
    this.endRows[at] = endRow;
    this.rows += endRow - firstRow;
  };

  get length(): number {
    return this.used;
  }

  /** Rows in all the runs. */
  get rowCount(): number {
    return this.rows;
  }

  /** The record of run `r` (below length). */
  record(r: number): SpanRecord {
    return this.records[r] as SpanRecord;
  }

  /** Also lets go of the records, so evicted ones are not pinned. */
  clear(): void {
    for (let i = 0; i < this.used; i++) this.records[i] = undefined;
    this.used = 0;
    this.rows = 0;
  }
}

/** What compute() found for row `index` of the trace (index counts the trace's rows from 0). */
export interface RowSelfTimes {
  readonly durationNano: Float64Array;
  readonly selfTimeNano: Float64Array;
}

class RowBuffers implements RowSelfTimes {
  readonly idLow: Int32Array;
  readonly idHigh: Int32Array;
  readonly parentIndex: Int32Array;
  readonly startLow: Float64Array;
  readonly startHigh: Float64Array;
  readonly startNano: Float64Array;
  readonly endNano: Float64Array;
  readonly durationNano: Float64Array;
  readonly selfTimeNano: Float64Array;
  /** Open-addressing table of row + 1 by span ID; 0 is empty. */
  readonly slots: Int32Array;
  readonly selfTime: SelfTimeBuffers;

  constructor(readonly capacity: number) {
    this.idLow = new Int32Array(capacity);
    this.idHigh = new Int32Array(capacity);
    this.parentIndex = new Int32Array(capacity);
    this.startLow = new Float64Array(capacity);
    this.startHigh = new Float64Array(capacity);
    this.startNano = new Float64Array(capacity);
    this.endNano = new Float64Array(capacity);
    this.durationNano = new Float64Array(capacity);
    this.selfTimeNano = new Float64Array(capacity);
    this.slots = new Int32Array(tableSize(capacity));
    this.selfTime = new SelfTimeBuffers(capacity);
  }
}

export class StoredSelfTimes {
  private kept: RowBuffers | undefined;

  /**
   * Computes the self time of rows `from`..`count` of `ranges`, against all `count` rows, as selfTimesNano
   * does with parents found by span ID (the last row with an ID wins) and starts taken as offsets from the
   * earliest. Every row's start, duration and parent are read; span IDs only of rows `from` on. The arrays
   * returned are valid until the next call.
   */
  compute(ranges: TraceRowRanges, count: number, from = 0): RowSelfTimes {
    const buffers = this.buffersFor(count);
    const { idLow, idHigh, startLow, startHigh, durationNano } = buffers;
    let index = 0;
    let minHigh = Infinity;
    let minLow = Infinity;
    for (let r = 0; r < ranges.length && index < count; r++) {
      const record = ranges.record(r);
      const end = ranges.endRows[r];
      for (let row = ranges.firstRows[r]; row < end && index < count; row++, index++) {
        if (index >= from) {
          idLow[index] = record.spanIdLow(row);
          idHigh[index] = record.spanIdHigh(row);
        }
        const low = record.startTimeLow(row);
        const high = record.startTimeHigh(row);
        startLow[index] = low;
        startHigh[index] = high;
        if (high < minHigh || (high === minHigh && low < minLow)) {
          minHigh = high;
          minLow = low;
        }
        durationNano[index] = record.durationNano(row);
      }
    }
    const { startNano, endNano, parentIndex, slots } = buffers;
    // (high - minHigh) * 2^32 is exact and the sum is rounded once, as Number() rounds the bigint difference.
    for (let i = 0; i < index; i++) {
      startNano[i] = (startHigh[i] - minHigh) * 4294967296 + (startLow[i] - minLow);
      endNano[i] = startNano[i] + durationNano[i];
    }

    // Only rows `from` on are parents worth finding: a child of an earlier row changes no self time asked for.
    const size = tableSize(index - from);
    const mask = size - 1;
    const shift = 32 - Math.log2(size);
    slots.fill(0, 0, size);
    for (let i = from; i < index; i++) {
      const low = idLow[i];
      const high = idHigh[i];
      let slot = hashOf(low, high) >>> shift;
      for (;;) {
        const held = slots[slot];
        if (held === 0 || (idLow[held - 1] === low && idHigh[held - 1] === high)) {
          slots[slot] = i + 1;
          break;
        }
        slot = (slot + 1) & mask;
      }
    }
    index = 0;
    for (let r = 0; r < ranges.length && index < count; r++) {
      const record = ranges.record(r);
      const end = ranges.endRows[r];
      for (let row = ranges.firstRows[r]; row < end && index < count; row++, index++) {
        const low = record.parentSpanIdLow(row);
        const high = record.parentSpanIdHigh(row);
        let parent = -1;
        if (low !== 0 || high !== 0) {
          for (let slot = hashOf(low, high) >>> shift; ; slot = (slot + 1) & mask) {
            const held = slots[slot];
            if (held === 0) break;
            if (idLow[held - 1] === low && idHigh[held - 1] === high) {
              parent = held - 1;
              break;
            }
          }
        }
        parentIndex[index] = parent;
      }
    }
    selfTimesInto(index, parentIndex, startNano, endNano, buffers.selfTimeNano, buffers.selfTime, from);
    return buffers;
  }

  private buffersFor(count: number): RowBuffers {
    if (count > KEPT_ROWS) return new RowBuffers(count);
    if (this.kept === undefined || this.kept.capacity < count) {
      let capacity = this.kept === undefined ? MIN_ROWS : this.kept.capacity;
      while (capacity < count) capacity *= 2;
      this.kept = new RowBuffers(Math.min(capacity, KEPT_ROWS));
    }
    return this.kept;
  }
}

/** A power of two at least twice `rows`, so probes stay short. */
function tableSize(rows: number): number {
  let size = 16;
  while (size < rows * 2) size *= 2;
  return size;
}

function hashOf(low: number, high: number): number {
  return Math.imul(low ^ Math.imul(high, 0x9e3779b1), 0x85ebca6b);
}
