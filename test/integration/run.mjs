// `npm run test:integration`: runs the mocha suite in test/integration/suite inside a real VS Code extension host.
// Default (web): the VS Code server from the npm package code-server, its workbench in Debian's Chromium driven
// by Playwright. SPANLENS_TEST_HOST=desktop: @vscode/test-electron (downloads VS Code; for machines online).
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { format } from 'node:util';
import { CODE_SERVER_VERSION, REPO_ROOT, ensureCodeServer, startServer } from '../../scripts/codeServer.mjs';
import { BRIDGE_ENV_VAR, startBrowserBridge } from './browserBridge.mjs';
import { SUITE_OUT_DIR_NAME, buildSuite } from './buildSuite.mjs';
import { isNoise } from './noise.mjs';

const host = process.env.SPANLENS_TEST_HOST ?? 'web';
const timeoutMs = Number(process.env.SPANLENS_TEST_TIMEOUT_MS ?? 5 * 60_000);
const verbose = process.env.SPANLENS_TEST_VERBOSE === '1';
const chromiumPath = process.env.SPANLENS_CHROMIUM ?? '/usr/bin/chromium';
// Printed by suite/index.ts: its first line, and its counts after mocha finishes.
const SUITE_BANNER = 'SpanLens integration suite:';
const RESULT_MARKER = 'SPANLENS_RESULT ';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

const startedAt = Date.now();
const outDir = path.join(REPO_ROOT, SUITE_OUT_DIR_NAME);
const cleanups = [];
let result;

function say(message) {
  console.log(`[integration] ${message}`);
}

function seconds(since) {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

async function cleanUp() {
  while (cleanups.length > 0) {
    try {
      await cleanups.pop()();
    } catch (error) {
      say(`cleanup failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

function checkExtensionBuilt() {
  const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  const main = path.join(REPO_ROOT, manifest.main);
  if (!existsSync(main)) throw new Error(`${path.relative(REPO_ROOT, main)} is missing: run \`npm run build\` first.`);
}

/** A fresh copy of test/integration/workspace, so tests never change the committed files. */
function prepareWorkspace(tempRoot) {
  const workspace = path.join(tempRoot, 'workspace');
  cpSync(path.join(REPO_ROOT, 'test', 'integration', 'workspace'), workspace, { recursive: true });
  return workspace;
}

// Workbench chatter is shown only while the suite runs (between its banner and its result line), errors always.
let suitePhase = 'before';

/** Handles one console message of the workbench page (the extension host's console arrives here too). */
function suiteMessage(level, text) {
  if (text.startsWith(RESULT_MARKER)) {
    result = JSON.parse(text.slice(RESULT_MARKER.length));
    suitePhase = 'after';
    return;
  }
  if (text.startsWith(SUITE_BANNER)) {
    suitePhase = 'running';
    say(`the extension host started the suite ${seconds(startedAt)} into the run`);
  }
  if (verbose) {
    console.log(`[${level}] ${text}`);
    return;
  }
  if (isNoise(text)) return;
  if (suitePhase === 'running' || level === 'error') console.log(text);
}

/** The workbench logs `'%c LEVEL', css, ...args`; this turns that back into a level and the text. */
async function readConsoleMessage(message) {
  // Messages of the browser itself (a failed request, a sandbox warning) have no arguments, only text.
  if (message.args().length === 0) return { level: message.type() === 'error' ? 'error' : 'log', text: message.text() };
  let args;
  try {
    args = await Promise.all(message.args().map((arg) => arg.jsonValue()));
  } catch {
    return { level: message.type(), text: message.text() };
  }
  let level = message.type() === 'error' ? 'error' : 'log';
  const prefix = typeof args[0] === 'string' ? /^%c\s*(\w+)/.exec(args[0]) : null;
  if (prefix) {
    if (/^(ERR|ERROR)$/i.test(prefix[1])) level = 'error';
    args = args.slice(2);
  }
  return { level, text: format(...args) };
}

async function runWeb(tempRoot, workspace, suiteEntry) {
  const { chromium } = await import('playwright-core');
  const { vscodeVersion } = await ensureCodeServer();
  say(`host: VS Code ${vscodeVersion} server (npm code-server@${CODE_SERVER_VERSION}) in ${chromiumPath}`);

  let page;
  const bridge = await startBrowserBridge(() => page);
  cleanups.push(bridge.close);

  mkdirSync(outDir, { recursive: true });
  const serverLogFile = path.join(outDir, 'server.log');
  const serverLog = createWriteStream(serverLogFile);
  cleanups.push(() => new Promise((resolve) => serverLog.end(resolve)));
  const serverStartedAt = Date.now();
  const server = await startServer({
    extensionsDir: path.join(tempRoot, 'extensions'),
    userDataDir: path.join(tempRoot, 'user-data'),
    serverDataDir: path.join(tempRoot, 'server-data'),
    extraArgs: [
      '--enable-smoke-test-driver',
      '--without-connection-token',
      '--disable-telemetry',
      '--disable-workspace-trust',
    ],
    env: { [BRIDGE_ENV_VAR]: bridge.url },
    onOutput: (line) => {
      serverLog.write(`${line}\n`);
      if (verbose) console.log(`[server] ${line}`);
    },
  });
  cleanups.push(server.stop);
  say(`server answered on ${server.url} after ${seconds(serverStartedAt)} (log: ${path.relative(REPO_ROOT, serverLogFile)})`);

  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS });
  cleanups.push(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  page = await context.newPage();

  let finish;
  const finished = new Promise((resolve) => (finish = resolve));
  await page.exposeFunction('codeAutomationExit', (code) => finish({ kind: 'exit', code: Number(code) }));
  // The workbench sends the same log lines here and to the console; the console also has the browser's own.
  await page.exposeFunction('codeAutomationLog', () => undefined);
  let printing = Promise.resolve();
  page.on('console', (message) => {
    const read = readConsoleMessage(message);
    printing = printing.then(async () => {
      const { level, text } = await read;
      suiteMessage(level, text);
    });
  });
  page.on('pageerror', (error) => {
    if (verbose || !isNoise(error.message)) console.log(`[page error] ${error.message}`);
  });
  page.on('crash', () => finish({ kind: 'failure', reason: 'the workbench page crashed' }));
  browser.on('disconnected', () => finish({ kind: 'failure', reason: 'Chromium exited' }));
  server.exited.then(({ code, signal }) => finish({ kind: 'failure', reason: `the VS Code server exited (code ${code}, signal ${signal})` }));

  const remote = (absolutePath) => `vscode-remote://${server.remoteAuthority}${absolutePath}`;
  const payload = [
    ['extensionDevelopmentPath', remote(REPO_ROOT)],
    ['extensionTestsPath', remote(suiteEntry)],
    ['skipWelcome', 'true'],
  ];
  const url = `${server.url}?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  await page.goto(url);

  const timer = setTimeout(() => finish({ kind: 'timeout' }), timeoutMs);
  const outcome = await finished;
  clearTimeout(timer);
  if (outcome.kind === 'exit') {
    // The result line travels the same channel as the exit call; give a straggler a moment.
    for (let waited = 0; !result && waited < 2000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
    await printing;
    if (outcome.code !== 0) {
      const screenshot = path.join(outDir, 'failure.png');
      await page.screenshot({ path: screenshot }).catch(() => undefined);
      say(`the workbench at the end of the failed run: ${path.relative(REPO_ROOT, screenshot)}`);
    }
    return outcome.code;
  }
  await printing;
  if (outcome.kind === 'timeout') {
    const screenshot = path.join(outDir, 'timeout.png');
    await page.screenshot({ path: screenshot }).catch(() => undefined);
    say(`TIMEOUT: the extension tests did not finish within ${timeoutMs / 1000} s (the workbench never called codeAutomationExit).`);
    say(`screenshot of the workbench: ${path.relative(REPO_ROOT, screenshot)}; server log: ${path.relative(REPO_ROOT, serverLogFile)}`);
  } else {
    say(`FAILED: ${outcome.reason} before the tests finished; server log: ${path.relative(REPO_ROOT, serverLogFile)}`);
  }
  return 1;
}

async function runDesktop(workspace, suiteEntry) {
  const { runTests } = await import('@vscode/test-electron');
  say('host: desktop VS Code through @vscode/test-electron (downloads VS Code on first use); webview DOM tests are skipped');
  try {
    return await runTests({
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: suiteEntry,
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    });
  } catch (error) {
    say(`desktop run failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

async function main() {
  checkExtensionBuilt();
  const suiteEntry = await buildSuite(REPO_ROOT);
  const tempRoot = mkdtempSync(path.join(os.tmpdir(), 'spanlens-integration-'));
  cleanups.push(() => rmSync(tempRoot, { recursive: true, force: true }));
  const workspace = prepareWorkspace(tempRoot);
  let code;
  if (host === 'web') code = await runWeb(tempRoot, workspace, suiteEntry);
  else if (host === 'desktop') code = await runDesktop(workspace, suiteEntry);
  else throw new Error(`SPANLENS_TEST_HOST must be "web" or "desktop", not "${host}"`);
  if (host === 'web' && code === 0 && (!result || result.passed + result.failed === 0)) {
    say('FAILED: the suite reported no test run');
    code = 1;
  }
  return code;
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    say(`${signal}: stopping`);
    cleanUp().finally(() => process.exit(130));
  });
}

let exitCode;
try {
  exitCode = await main();
} catch (error) {
  say(`ERROR: ${error instanceof Error ? error.message : String(error)}`);
  exitCode = 1;
}
await cleanUp();
say(`finished in ${seconds(startedAt)}, exit code ${exitCode}`);
if (result) console.log(`integration: ${result.passed} passed, ${result.failed} failed, ${result.skipped} skipped`);
process.exit(exitCode);
