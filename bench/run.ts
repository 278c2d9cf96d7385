// `npm run bench [-- [--json] [NAME…]]`: runs every registered benchmark whose name starts with one of
// the NAMEs (all when none), prints each figure and whether it meets its budget, and exits non-zero
// when one does not. `--json` prints one JSON object per line instead.

import type { Benchmark, BenchResult } from './benchmark';
import { describeBudget, withinBudget } from './benchmark';
import { codeInsightsBenchmarks } from './codeInsights.bench';
import { codeStatsBenchmarks } from './codeStats.bench';
import { ingestBenchmarks } from './ingest.bench';
import { parseBenchmarks } from './parse.bench';
import { waterfallBenchmarks } from './waterfall.bench';

const BENCHMARKS: readonly Benchmark[] = [...parseBenchmarks, ...ingestBenchmarks, ...codeStatsBenchmarks, ...waterfallBenchmarks, ...codeInsightsBenchmarks];

async function main(args: readonly string[]): Promise<void> {
  const json = args.includes('--json');
  const prefixes = args.filter((arg) => !arg.startsWith('--'));
  const selected = BENCHMARKS.filter((benchmark) => prefixes.length === 0 || prefixes.some((prefix) => benchmark.name.startsWith(prefix)));
  if (selected.length === 0) {
    console.error(`No benchmark starts with ${prefixes.join(' or ')}. Benchmarks:\n  ${BENCHMARKS.map((b) => b.name).join('\n  ')}`);
    process.exitCode = 2;
    return;
  }
  let failed = 0;
  for (const benchmark of selected) {
    for (const result of await benchmark.run()) {
      const ok = withinBudget(result);
      if (!ok) failed++;
      console.log(json ? JSON.stringify({ name: result.name, value: result.value, unit: result.unit, budget: describeBudget(result.budget), ok }) : formatLine(result, ok));
    }
  }
  if (failed > 0) {
    if (!json) console.log(`\n${failed} figure${failed === 1 ? '' : 's'} missed the budget.`);
    process.exitCode = 1;
  }
}

function formatLine(result: BenchResult, ok: boolean): string {
  const value = result.value.toLocaleString('en-US', { maximumFractionDigits: 2 });
  const budget = describeBudget(result.budget);
  const verdict = budget === null ? '' : `  budget ${budget}: ${ok ? 'ok' : 'MISSED'}`;
  return `${result.name.padEnd(42)} ${value.padStart(14)} ${result.unit}${verdict}`;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
