// Timing helpers: warm-up runs first so the JIT has settled, then the median of several runs, each
// started on a settled heap (settleHeap) so one run's garbage is not billed to the next.

import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Long enough for the helper threads to finish after a full collection of a heap of a few hundred MB. */
const SETTLE_PAUSE_MILLIS = 100;
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * A full garbage collection, then a pause before the clock starts: gc() returns with work still running on
 * V8's helper threads (sweeping, among others), and on two cores that work slowed the next timed run by up
 * to a third.
 */
function settleHeap(): void {
  gc();
  Atomics.wait(pause, 0, 0, SETTLE_PAUSE_MILLIS);
}

export interface Repetitions {
  readonly warmUp: number;
  readonly runs: number;
}

/**
 * Times each task `runs` times, interleaved (a, b, a, b, …) so drift in machine load hits all tasks
 * alike, and returns the median milliseconds of each.
 */
export function medianMillis(tasks: readonly (() => unknown)[], repetitions: Repetitions): number[] {
  const samples = tasks.map((): number[] => []);
  let sink: unknown;
  for (let round = 0; round < repetitions.warmUp + repetitions.runs; round++) {
    tasks.forEach((task, i) => {
      settleHeap();
      const start = performance.now();
      sink = task();
      const elapsed = performance.now() - start;
      if (round >= repetitions.warmUp) samples[i].push(elapsed);
    });
  }
  if (sink === Symbol.for('never')) console.log(sink);
  return samples.map(median);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
