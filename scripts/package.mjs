// Builds minified bundles and packs them into a .vsix, then prints its size.
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';

const { name, version } = JSON.parse(readFileSync('package.json', 'utf8'));
const out = `${name}-${version}.vsix`;
const run = (command, args) => execFileSync(command, args, { stdio: 'inherit' });

run(process.execPath, ['scripts/build.mjs', '--production']);
run(process.execPath, ['node_modules/@vscode/vsce/vsce', 'package', '--no-dependencies', '--out', out]);
const bytes = statSync(out).size;
console.log(`${out}: ${(bytes / 1024).toFixed(1)} KiB (${bytes} bytes)`);
