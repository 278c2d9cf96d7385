// The contract between bench/run.ts and the benchmark modules it runs.

/** Bounds a figure must stay within for the benchmark to pass. */
export interface Budget {
  readonly min?: number;
  readonly max?: number;
}

export interface BenchResult {
  /** Starts with the benchmark's name, e.g. `parse/jaeger-v1/10k spans/s`. */
  readonly name: string;
  readonly value: number;
  /** e.g. `spans/s`, `ms`, `ratio`. */
  readonly unit: string;
  readonly budget?: Budget;
}

export interface Benchmark {
  /** Slash-separated, most general part first, so `npm run bench -- parse/zipkin` selects by prefix. */
  readonly name: string;
  run(): Promise<BenchResult[]>;
}

export function withinBudget(result: BenchResult): boolean {
  const { budget, value } = result;
  if (budget === undefined) return true;
  return (budget.min === undefined || value >= budget.min) && (budget.max === undefined || value <= budget.max);
}

export function describeBudget(budget: Budget | undefined): string | null {
  if (budget === undefined) return null;
  const parts: string[] = [];
  if (budget.min !== undefined) parts.push(`>= ${budget.min}`);
  if (budget.max !== undefined) parts.push(`<= ${budget.max}`);
  return parts.join(' and ');
}
