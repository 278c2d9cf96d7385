// Compiles the integration suite (test/integration/suite/*.ts) into out/integration/, one CommonJS bundle per
// test or bench file, for the extension host to load. `vscode` and `mocha` stay external: the host provides the first, the
// repository's node_modules the second.
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';

export const SUITE_OUT_DIR_NAME = path.join('out', 'integration');

/**
 * @param {string} repoRoot
 * @returns {Promise<string>} absolute path of the compiled suite entry, without the `.js` extension
 */
export async function buildSuite(repoRoot) {
  const suiteDir = path.join(repoRoot, 'test', 'integration', 'suite');
  const outDir = path.join(repoRoot, SUITE_OUT_DIR_NAME);
  const entries = readdirSync(suiteDir)
    .filter((file) => file === 'index.ts' || file.endsWith('.test.ts') || file.endsWith('.bench.ts'))
    .map((file) => path.join(suiteDir, file));
  // A test file deleted or renamed in the source must not linger as a stale bundle that index.js still loads.
  rmSync(outDir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: entries,
    outdir: outDir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return path.join(outDir, 'index');
}
