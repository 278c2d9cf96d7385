// Installs and starts the VS Code server that ships inside the npm package `code-server`.
// Shared by the integration-test runner and `npm run demo` (why and how: test/integration/README.md).
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.139.1';
const NODE_MAJOR = 24;

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CACHE_DIR = path.join(REPO_ROOT, '.vscode-test');
const NODE_PREFIX = path.join(CACHE_DIR, 'node24');
const SERVER_PREFIX = path.join(CACHE_DIR, 'code-server');
const NODE_MARKER = path.join(NODE_PREFIX, '.installed');
const SERVER_MARKER = path.join(SERVER_PREFIX, '.installed');
const LOCK_DIR = path.join(CACHE_DIR, 'install.lock');

const NODE_BIN_DIR = path.join(NODE_PREFIX, 'node_modules', '.bin');
const NODE_BINARY = path.join(NODE_BIN_DIR, 'node');
// The `node` package pulls in the official Linux build, headers included; native modules must build against these.
const NODE_HEADERS_DIR = path.join(NODE_PREFIX, 'node_modules', 'node', 'node_modules', `node-linux-${process.arch}`);
const CODE_SERVER_DIR = path.join(SERVER_PREFIX, 'node_modules', 'code-server');
const VSCODE_DIR = path.join(CODE_SERVER_DIR, 'lib', 'vscode');
const SERVER_MAIN = path.join(VSCODE_DIR, 'out', 'server-main.js');

// Native modules the server, its extension host and terminals load; a partial install shows up here first.
const NATIVE_MODULES = [
  { from: VSCODE_DIR, name: 'kerberos' },
  { from: VSCODE_DIR, name: 'node-pty' },
  { from: VSCODE_DIR, name: '@parcel/watcher' },
  { from: VSCODE_DIR, name: '@vscode/spdlog' },
  { from: VSCODE_DIR, name: '@vscode/native-watchdog' },
  { from: CODE_SERVER_DIR, name: 'argon2' },
];

function log(message) {
  console.log(`[code-server] ${message}`);
}

function markerMatches(file, expected) {
  return existsSync(file) && readFileSync(file, 'utf8').trim() === expected;
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// Two processes (a test run and a demo) may both find the cache empty; only one installs.
async function withInstallLock(action) {
  mkdirSync(CACHE_DIR, { recursive: true });
  const deadline = Date.now() + 20 * 60_000;
  let waitingSaid = false;
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      writeFileSync(path.join(LOCK_DIR, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const ownerPid = Number(readFileIfExists(path.join(LOCK_DIR, 'pid')));
      if (ownerPid && !isAlive(ownerPid)) {
        rmSync(LOCK_DIR, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`Timed out waiting for another install to finish (lock ${LOCK_DIR}).`);
      if (!waitingSaid) log(`another process (pid ${ownerPid || '?'}) is installing; waiting for it`);
      waitingSaid = true;
      await sleep(2000);
    }
  }
  try {
    return await action();
  } finally {
    rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}

function readFileIfExists(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Runs npm in `prefix`, output to `logFile`; resolves with the exit code. */
function runNpm(args, { cwd, env, logFile }) {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(logFile, { flags: 'a' });
    out.write(`$ npm ${args.join(' ')}\n`);
    const child = spawn('npm', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
    const started = Date.now();
    const ticker = setInterval(() => log(`  ...still installing (${Math.round((Date.now() - started) / 1000)} s)`), 30_000);
    child.on('error', (error) => {
      clearInterval(ticker);
      reject(error);
    });
    child.on('close', (code) => {
      clearInterval(ticker);
      out.end(() => resolve(code ?? 1));
    });
  });
}

function tail(file, lines) {
  return readFileIfExists(file).split('\n').slice(-lines).join('\n');
}

function checkBuildPrerequisites() {
  const missing = [];
  for (const tool of ['make', 'g++', 'python3']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) missing.push(tool);
  }
  if (missing.length > 0) {
    throw new Error(`code-server's native modules need ${missing.join(', ')} to build. Install them (Debian: apt-get install -y build-essential python3).`);
  }
  if (!existsSync('/usr/include/gssapi/gssapi.h')) {
    throw new Error("code-server's native module kerberos needs the Kerberos headers (gssapi/gssapi.h). Install them: apt-get install -y libkrb5-dev");
  }
}

async function ensureNode24() {
  const expected = `node@${NODE_MAJOR}`;
  if (markerMatches(NODE_MARKER, expected) && nodeMajor(NODE_BINARY) === NODE_MAJOR) return;
  log(`installing Node ${NODE_MAJOR} from the npm registry into ${path.relative(REPO_ROOT, NODE_PREFIX)}/`);
  rmSync(NODE_PREFIX, { recursive: true, force: true });
  mkdirSync(NODE_PREFIX, { recursive: true });
  // npm 11 runs a dependency's install scripts only when allowScripts names it; `node` fetches its binary in one.
  writeFileSync(path.join(NODE_PREFIX, 'package.json'), JSON.stringify({ private: true, allowScripts: { node: true } }, null, 2));
  const logFile = path.join(CACHE_DIR, 'node24-install.log');
  rmSync(logFile, { force: true });
  const code = await runNpm(['install', '--no-audit', '--no-fund', '--no-update-notifier', `node@${NODE_MAJOR}`], { cwd: NODE_PREFIX, env: withoutNpmRunEnv(), logFile });
  const major = nodeMajor(NODE_BINARY);
  if (code !== 0 || major !== NODE_MAJOR) {
    throw new Error(`Installing Node ${NODE_MAJOR} failed (npm exit ${code}, binary reports major ${major}). Last lines of ${logFile}:\n${tail(logFile, 30)}`);
  }
  writeFileSync(NODE_MARKER, expected);
}

function nodeMajor(binary) {
  if (!existsSync(binary)) return undefined;
  const result = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  const match = /^v(\d+)\./.exec(result.stdout ?? '');
  return match ? Number(match[1]) : undefined;
}

/**
 * The environment minus what an outer `npm run` exported: a nested npm would take those npm_* settings as its
 * own (user_agent names Node 20, so code-server's postinstall refuses; local_prefix names this project).
 */
function withoutNpmRunEnv(base = process.env) {
  return Object.fromEntries(Object.entries(base).filter(([key]) => !key.startsWith('npm_')));
}

/** Environment in which npm and node-gyp build for the Node 24 binary, not the machine's Node. */
function node24Env(base = process.env) {
  return {
    ...withoutNpmRunEnv(base),
    PATH: `${NODE_BIN_DIR}${path.delimiter}${base.PATH ?? ''}`,
    npm_config_nodedir: NODE_HEADERS_DIR,
  };
}

function verifyNativeModules() {
  const script = `
    const { createRequire } = require('node:module');
    const path = require('node:path');
    const failures = [];
    for (const { from, name } of JSON.parse(process.argv[1])) {
      try { createRequire(path.join(from, 'package.json'))(name); } catch (error) { failures.push(name + ': ' + error.message.split('\\n')[0]); }
    }
    if (failures.length) { console.error(failures.join('\\n')); process.exit(1); }
  `;
  const result = spawnSync(NODE_BINARY, ['-e', script, JSON.stringify(NATIVE_MODULES)], { encoding: 'utf8', env: node24Env() });
  return result.status === 0 ? undefined : (result.stderr || result.stdout || `exit ${result.status}`).trim();
}

async function installCodeServer() {
  checkBuildPrerequisites();
  const logFile = path.join(CACHE_DIR, 'code-server-install.log');
  rmSync(logFile, { force: true });
  log(`installing code-server@${CODE_SERVER_VERSION} into ${path.relative(REPO_ROOT, SERVER_PREFIX)}/ (~600 MB, 2-4 minutes; log: ${path.relative(REPO_ROOT, logFile)})`);
  rmSync(SERVER_PREFIX, { recursive: true, force: true });
  mkdirSync(SERVER_PREFIX, { recursive: true });
  // code-server's postinstall installs lib/vscode, whose own package.json allows its native modules' scripts.
  const allowScripts = { [`code-server@${CODE_SERVER_VERSION}`]: true, argon2: true };
  writeFileSync(path.join(SERVER_PREFIX, 'package.json'), JSON.stringify({ private: true, allowScripts }, null, 2));
  const started = Date.now();
  const code = await runNpm(['install', '--no-audit', '--no-fund', '--no-update-notifier', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: SERVER_PREFIX,
    env: node24Env(),
    logFile,
  });
  const output = readFileIfExists(logFile);
  if (code !== 0) {
    const hint = output.includes('gssapi/gssapi.h') ? '\nThe Kerberos headers are missing: apt-get install -y libkrb5-dev' : '';
    throw new Error(`npm install code-server@${CODE_SERVER_VERSION} failed (exit ${code}).${hint}\nLast lines of ${logFile}:\n${tail(logFile, 40)}`);
  }
  if (!existsSync(SERVER_MAIN)) throw new Error(`code-server installed but ${SERVER_MAIN} is missing; see ${logFile}`);
  const nativeProblem = verifyNativeModules();
  if (nativeProblem) {
    throw new Error(`code-server installed but its native modules do not load under Node ${NODE_MAJOR} (were install scripts skipped?):\n${nativeProblem}\nSee ${logFile}`);
  }
  writeFileSync(SERVER_MARKER, CODE_SERVER_VERSION);
  log(`installed in ${Math.round((Date.now() - started) / 1000)} s`);
}

/**
 * Makes sure Node 24 and code-server are installed in `.vscode-test/` (cached: a marker file records the version).
 * @returns {Promise<{ nodeBinary: string, serverMain: string, vscodeDir: string, vscodeVersion: string }>}
 */
export async function ensureCodeServer() {
  const ready = () => markerMatches(NODE_MARKER, `node@${NODE_MAJOR}`) && markerMatches(SERVER_MARKER, CODE_SERVER_VERSION) && existsSync(SERVER_MAIN);
  if (!ready()) {
    await withInstallLock(async () => {
      await ensureNode24();
      if (!markerMatches(SERVER_MARKER, CODE_SERVER_VERSION) || !existsSync(SERVER_MAIN)) await installCodeServer();
    });
  }
  const vscodeVersion = JSON.parse(readFileSync(path.join(VSCODE_DIR, 'package.json'), 'utf8')).version;
  return { nodeBinary: NODE_BINARY, serverMain: SERVER_MAIN, vscodeDir: VSCODE_DIR, vscodeVersion };
}

/**
 * Makes sure the Node that runs the server's extension host is installed, without the server itself: the
 * runtime benchmarks measure the extension's code on.
 * @returns {Promise<{ nodeBinary: string, nodeVersion: string }>}
 */
export async function ensureExtensionHostNode() {
  if (!markerMatches(NODE_MARKER, `node@${NODE_MAJOR}`) || nodeMajor(NODE_BINARY) !== NODE_MAJOR) {
    await withInstallLock(ensureNode24);
  }
  const nodeVersion = spawnSync(NODE_BINARY, ['--version'], { encoding: 'utf8' }).stdout.trim();
  return { nodeBinary: NODE_BINARY, nodeVersion };
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function parseRemoteAuthority(html) {
  const meta = /<meta[^>]*id="vscode-workbench-web-configuration"[^>]*>/.exec(html)?.[0];
  const settings = meta && /data-settings="([^"]*)"/.exec(meta)?.[1];
  if (!settings) return undefined;
  const json = settings.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return JSON.parse(json).remoteAuthority;
}

/**
 * Starts the VS Code server on 127.0.0.1 and waits until its workbench page answers.
 * Pass `connectionToken` (the URL then needs `?tkn=`), or `--without-connection-token` in `extraArgs`.
 * @param {{ port?: number, workspace?: string, extensionsDir: string, userDataDir: string, serverDataDir: string,
 *   connectionToken?: string, extraArgs?: string[], env?: Record<string, string>, onOutput?: (line: string) => void,
 *   startTimeoutMs?: number }} options
 * @returns {Promise<{ url: string, port: number, remoteAuthority: string, pid: number,
 *   exited: Promise<{ code: number | null, signal: string | null }>, stop: () => Promise<void> }>}
 */
export async function startServer(options) {
  const { nodeBinary, serverMain } = await ensureCodeServer();
  const port = options.port ?? (await freePort());
  for (const dir of [options.extensionsDir, options.userDataDir, options.serverDataDir]) mkdirSync(dir, { recursive: true });
  const args = [
    serverMain,
    '--host', '127.0.0.1',
    '--port', String(port),
    '--accept-server-license-terms',
    '--server-data-dir', options.serverDataDir,
    '--user-data-dir', options.userDataDir,
    '--extensions-dir', options.extensionsDir,
    ...(options.extraArgs ?? []),
  ];
  if (options.workspace) args.push(options.workspace.endsWith('.code-workspace') ? '--default-workspace' : '--default-folder', options.workspace);
  if (options.connectionToken) args.push('--connection-token', options.connectionToken);
  const onOutput = options.onOutput ?? ((line) => console.log(`[server] ${line}`));
  // Own process group, so stop() also ends the extension host, pty host and file watcher it spawns.
  const child = spawn(nodeBinary, args, {
    cwd: REPO_ROOT,
    env: { ...node24Env(), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) onOutput(line);
    });
  }
  let exited = false;
  const exitPromise = new Promise((resolve) => child.on('exit', (code, signal) => {
    exited = true;
    resolve({ code, signal });
  }));

  const stop = async () => {
    if (exited) return;
    const signalGroup = (signal) => {
      try {
        process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    };
    signalGroup('SIGTERM');
    const timer = new Promise((resolve) => setTimeout(() => resolve('timeout'), 5000));
    if ((await Promise.race([exitPromise, timer])) === 'timeout') signalGroup('SIGKILL');
    await exitPromise;
    // Helpers the server spawned may outlive it briefly; make sure none is left.
    signalGroup('SIGKILL');
  };

  const url = `http://127.0.0.1:${port}/`;
  // The server accepts the token as a cookie too, which spares following its ?tkn= redirect.
  const probeHeaders = options.connectionToken ? { cookie: `vscode-tkn=${options.connectionToken}` } : {};
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  for (;;) {
    if (exited) {
      const { code, signal } = await exitPromise;
      throw new Error(`The VS Code server exited before it answered (code ${code}, signal ${signal}).`);
    }
    try {
      const response = await fetch(url, { headers: probeHeaders, signal: AbortSignal.timeout(5000) });
      const html = await response.text();
      const remoteAuthority = response.ok ? parseRemoteAuthority(html) : undefined;
      if (remoteAuthority) return { url, port, remoteAuthority, pid: child.pid, exited: exitPromise, stop };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`The VS Code server did not answer on ${url} within ${Math.round((options.startTimeoutMs ?? 60_000) / 1000)} s.`);
    }
    await sleep(250);
  }
}
