// Entry the extension host loads (extensionTestsPath), in the web host and in @vscode/test-electron alike.
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

// test/integration/run.mjs reads this line to print the closing counts.
const RESULT_MARKER = 'SPANLENS_RESULT ';
// The runner starts VS Code once per pass and names the pass here; a pass loads only its own test files.
const PASS_ENV_VAR = 'SPANLENS_TEST_PASS';
const UNTRUSTED_FILE_PREFIX = 'untrusted';
const PASSES = ['trusted', 'untrusted', 'bench'];

/**
 * The compiled files of `pass`: untrusted*.test.js in the untrusted pass, the other *.test.js in the trusted one,
 * and the benchmarks, *.bench.js, only in the bench pass (`npm run bench`, never `npm test`).
 */
function testFilesOf(pass: string): string[] {
  if (pass === 'bench') return readdirSync(__dirname).filter((name) => name.endsWith('.bench.js')).sort();
  const untrusted = pass === 'untrusted';
  return readdirSync(__dirname)
    .filter((name) => name.endsWith('.test.js') && name.startsWith(UNTRUSTED_FILE_PREFIX) === untrusted)
    .sort();
}

export async function run(): Promise<void> {
  const uiKind = vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop';
  const pass = process.env[PASS_ENV_VAR] ?? 'trusted';
  if (!PASSES.includes(pass)) throw new Error(`${PASS_ENV_VAR} must be ${PASSES.map((name) => `"${name}"`).join(', ')}, not "${pass}"`);
  console.log(
    `SpanLens integration suite, ${pass} pass: VS Code ${vscode.version} (${vscode.env.appName}, ${uiKind} UI), extension host Node ${process.version}`,
  );

  const mocha = new Mocha({ ui: 'tdd', color: false, reporter: 'spec', timeout: 60_000 });
  // The runner compiles each *.test.ts next to this file into its own bundle. Name order: activation.test.js
  // checks SpanLens is not active yet, so it must run first.
  for (const file of testFilesOf(pass)) mocha.addFile(path.join(__dirname, file));

  const stats = await new Promise<Mocha.Stats>((resolve, reject) => {
    try {
      const runner = mocha.run(() => resolve(runner.stats ?? { passes: 0, failures: 1, pending: 0 } as Mocha.Stats));
    } catch (error) {
      reject(error);
    }
  });
  console.log(`${RESULT_MARKER}${JSON.stringify({ passed: stats.passes, failed: stats.failures, skipped: stats.pending })}`);
  if (stats.failures > 0) throw new Error(`${stats.failures} integration test(s) failed.`);
}
