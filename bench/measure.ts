// Timing helpers: warm-up runs first so the JIT has settled, then the median of several runs, each
// started after a full garbage collection so one run's garbage is not billed to the next.

import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

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
      gc();
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
