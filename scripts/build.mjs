// Builds the bundles: extension host (node, cjs), OTLP worker (node, cjs), webview (browser) and CLI (node).
import * as esbuild from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
  legalComments: 'none',
};

const contexts = await Promise.all([
  esbuild.context({
    ...common,
    entryPoints: { extension: 'src/extension/extension.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  }),
  // The OTLP worker thread the receiver decodes on; dist/extension.js and dist/cli.js both load it from dist/.
  esbuild.context({
    ...common,
    entryPoints: { otlpWorker: 'src/core/otlpWorker/otlpWorker.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  }),
  esbuild.context({
    ...common,
    entryPoints: { cli: 'src/cli/main.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  }),
  esbuild.context({
    ...common,
    entryPoints: { webview: 'webview/main.ts' },
    outdir: 'dist',
    platform: 'browser',
    format: 'iife',
    target: 'chrome114',
    loader: { '.ttf': 'file' },
  }),
]);

// The webview links codicon.css, which loads codicon.ttf next to it; both ship in dist/codicons.
await mkdir('dist/codicons', { recursive: true });
await Promise.all(
  ['codicon.css', 'codicon.ttf'].map((file) => copyFile(`node_modules/@vscode/codicons/dist/${file}`, `dist/codicons/${file}`)),
);

if (watch) {
  await Promise.all(contexts.map((ctx) => ctx.watch()));
} else {
  await Promise.all(contexts.map((ctx) => ctx.rebuild()));
  await Promise.all(contexts.map((ctx) => ctx.dispose()));
}
