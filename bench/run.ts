// `npm run bench [-- [--json] [--node=current] [NAME…]]`: runs every registered benchmark whose name starts
// with one of the NAMEs (all when none), prints each figure and whether it meets its budget, and exits
// non-zero when one does not. `--json` prints one JSON object per line instead.
// Each benchmark runs in a Node process of its own, so one benchmark's heap, JIT state and GC debt do not
// carry into the next one's figures. That process runs on the Node of the extension host the integration
// tests start (Node 24, installed from the npm registry into .vscode-test/), because the extension's code
// runs there and not on whichever Node runs npm; `--node=current` measures on this Node instead.

import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Benchmark, BenchResult } from './benchmark';
import { describeBudget, withinBudget } from './benchmark';
import { codeInsightsBenchmarks } from './codeInsights.bench';
import { codeStatsBenchmarks } from './codeStats.bench';
import { ingestBenchmarks } from './ingest.bench';
import { parseBenchmarks } from './parse.bench';
import { waterfallBenchmarks } from './waterfall.bench';

const BENCHMARKS: readonly Benchmark[] = [...parseBenchmarks, ...ingestBenchmarks, ...codeStatsBenchmarks, ...waterfallBenchmarks, ...codeInsightsBenchmarks];

/** Argument of the child process: run exactly this benchmark here and print its results as JSON lines. */
const CHILD_FLAG = '--in-process=';
const RESULT_PREFIX = 'spanlens-bench-result ';
const CURRENT_NODE_FLAG = '--node=current';

interface Runtime {
  readonly nodeBinary: string;
  readonly description: string;
}

async function main(args: readonly string[]): Promise<void> {
  const only = args.find((arg) => arg.startsWith(CHILD_FLAG));
  if (only !== undefined) {
    await runHere(only.slice(CHILD_FLAG.length));
    return;
  }
  const json = args.includes('--json');
  const prefixes = args.filter((arg) => !arg.startsWith('--'));
  const selected = BENCHMARKS.filter((benchmark) => prefixes.length === 0 || prefixes.some((prefix) => benchmark.name.startsWith(prefix)));
  if (selected.length === 0) {
    console.error(`No benchmark starts with ${prefixes.join(' or ')}. Benchmarks:\n  ${BENCHMARKS.map((b) => b.name).join('\n  ')}`);
    process.exitCode = 2;
    return;
  }
  const runtime = await benchRuntime(args.includes(CURRENT_NODE_FLAG));
  // On stderr with --json, so that stdout stays one figure per line.
  (json ? console.error : console.log)(`Runtime: ${runtime.description}\n`);
  let failed = 0;
  for (const benchmark of selected) {
    for (const result of await runInChild(runtime, benchmark.name)) {
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

async function runHere(name: string): Promise<void> {
  const benchmark = BENCHMARKS.find((candidate) => candidate.name === name);
  if (benchmark === undefined) throw new Error(`no benchmark is named ${name}`);
  for (const result of await benchmark.run()) console.log(RESULT_PREFIX + JSON.stringify(result));
}

async function benchRuntime(current: boolean): Promise<Runtime> {
  if (current) return { nodeBinary: process.execPath, description: `Node ${process.version}, the Node running npm (${CURRENT_NODE_FLAG})` };
  const { ensureExtensionHostNode } = await import('../scripts/codeServer.mjs');
  const { nodeBinary, nodeVersion } = await ensureExtensionHostNode();
  return {
    nodeBinary,
    description: `Node ${nodeVersion}, the extension host's Node in the integration tests' VS Code server (${CURRENT_NODE_FLAG} for Node ${process.version})`,
  };
}

/** Runs one benchmark in a fresh Node process; its other output (progress, errors) passes through. */
function runInChild(runtime: Runtime, name: string): Promise<BenchResult[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(runtime.nodeBinary, [...process.execArgv, __filename, CHILD_FLAG + name], { stdio: ['ignore', 'pipe', 'inherit'] });
    const results: BenchResult[] = [];
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith(RESULT_PREFIX)) results.push(JSON.parse(line.slice(RESULT_PREFIX.length)) as BenchResult);
      else console.error(line);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve(results);
      else reject(new Error(`benchmark ${name} failed (${signal ?? `exit code ${code}`})`));
    });
  });
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
