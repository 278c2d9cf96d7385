// Seeded randomness. Each request draws from its own generator, seeded from the run's seed and the request's
// number, so the same seed gives the same latencies and failures however requests interleave.

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max]. */
  integer(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Log-normal duration with the given median and 95th percentile, capped at `maxMillis`. */
  latencyMillis(medianMillis: number, p95Millis: number, maxMillis: number): number;
  hex(digits: number): string;
}

const Z_95 = 1.6448536269514722;

export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  // mulberry32: small, fast, and good enough to simulate latencies.
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const gaussian = (): number => {
    const u = 1 - next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
  };
  return {
    next,
    integer: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (probability) => next() < probability,
    pick: (items) => items[Math.floor(next() * items.length)],
    latencyMillis: (medianMillis, p95Millis, maxMillis) => {
      const sigma = Math.log(p95Millis / medianMillis) / Z_95;
      return Math.min(maxMillis, medianMillis * Math.exp(sigma * gaussian()));
    },
    hex: (digits) => {
      let text = '';
      while (text.length < digits) text += Math.floor(next() * 16).toString(16);
      return text;
    },
  };
}

/** A seed for request `requestNumber` of a run seeded with `runSeed` (a 32-bit integer hash of the pair). */
export function requestSeed(runSeed: number, requestNumber: number): number {
  let h = Math.imul(runSeed ^ 0x9e3779b9, 0x85ebca6b) ^ requestNumber;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}
