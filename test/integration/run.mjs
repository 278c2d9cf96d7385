// `npm run test:integration`: runs the mocha suite in test/integration/suite inside a real VS Code extension host.
// Default (web): the VS Code server from the npm package code-server, its workbench in Debian's Chromium driven
// by Playwright. SPANLENS_TEST_HOST=desktop: @vscode/test-electron (downloads VS Code; for machines online).
// Two passes, each a fresh VS Code: "trusted" (workspace trust off, every test file but untrusted*) and
// "untrusted" (trust on, a folder nobody trusted whose settings name its own backend; untrusted*.test.ts only).
// A third, "bench", runs only when SPANLENS_TEST_PASS names it (`npm run bench` does): the *.bench.ts files.
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { format } from 'node:util';
import { CODE_SERVER_VERSION, REPO_ROOT, ensureCodeServer, freePort, startServer } from '../../scripts/codeServer.mjs';
import { BRIDGE_ENV_VAR, startBrowserBridge } from './browserBridge.mjs';
import { SUITE_OUT_DIR_NAME, buildSuite } from './buildSuite.mjs';
import { isNoise } from './noise.mjs';
import { startRecordingBackend } from './recordingBackend.mjs';

const host = process.env.SPANLENS_TEST_HOST ?? 'web';
const timeoutMs = Number(process.env.SPANLENS_TEST_TIMEOUT_MS ?? 5 * 60_000);
const verbose = process.env.SPANLENS_TEST_VERBOSE === '1';
const chromiumPath = process.env.SPANLENS_CHROMIUM ?? '/usr/bin/chromium';
// Printed by suite/index.ts: its first line, and its counts after mocha finishes.
const SUITE_BANNER = 'SpanLens integration suite';
const RESULT_MARKER = 'SPANLENS_RESULT ';
// Read by suite/index.ts (which test files to load) and here (run only that pass).
const PASS_ENV_VAR = 'SPANLENS_TEST_PASS';
const PASS_NAMES = ['trusted', 'untrusted'];
// Run only when asked for by name.
const BENCH_PASS = 'bench';
// Read by suite/recordingBackend.ts.
const REPO_BACKEND_ENV_VAR = 'SPANLENS_TEST_REPO_BACKEND';
const USER_BACKEND_ENV_VAR = 'SPANLENS_TEST_USER_BACKEND';
// Read by suite/lensBench.bench.ts.
const OTLP_ENDPOINT_ENV_VAR = 'SPANLENS_TEST_OTLP_ENDPOINT';

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

/** A fresh copy of the committed folder test/integration/`name`, so tests never change the committed files. */
function copyWorkspace(name, passRoot) {
  const workspace = path.join(passRoot, 'workspace');
  cpSync(path.join(REPO_ROOT, 'test', 'integration', name), workspace, { recursive: true });
  return workspace;
}

/**
 * The trusted pass opens two folders: the copy of test/integration/workspace (first, so tests find their files
 * there) and samples/ai-app, whose source the code insight tests map the sample's spans onto.
 */
function multiRootWorkspace(testFolder, passRoot) {
  const file = path.join(passRoot, 'spanlens-tests.code-workspace');
  writeJson(file, {
    folders: [
      { name: 'workspace', path: testFolder },
      { name: 'ai-app', path: path.join(REPO_ROOT, 'samples', 'ai-app') },
    ],
  });
  return file;
}

function writeJson(file, value) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * How one pass starts VS Code: `workspace` (folder or .code-workspace file to open), `userDataDir`, `trust` (false: the server runs
 * with --disable-workspace-trust), `env` for the server and extension host, and `check` run after the suite
 * (a problem the runner saw itself, or undefined).
 */
function trustedPass(passRoot) {
  return {
    name: 'trusted',
    workspace: multiRootWorkspace(copyWorkspace('workspace', passRoot), passRoot),
    userDataDir: path.join(passRoot, 'user-data'),
    trust: false,
    env: {},
    check: () => undefined,
  };
}

/**
 * A folder opened without trust whose settings point SpanLens at "repo-backend", and user settings with
 * "user-backend": two local servers that record what they receive.
 */
async function untrustedPass(passRoot) {
  const repoBackend = await startRecordingBackend();
  cleanups.push(repoBackend.close);
  const userBackend = await startRecordingBackend();
  cleanups.push(userBackend.close);

  const workspace = copyWorkspace('workspace-untrusted', passRoot);
  const workspaceSettingsFile = path.join(workspace, '.vscode', 'settings.json');
  const workspaceSettings = JSON.parse(readFileSync(workspaceSettingsFile, 'utf8'));
  workspaceSettings['spanlens.backends'][0].url = repoBackend.url;
  writeJson(workspaceSettingsFile, workspaceSettings);

  // The server reads user settings from <user-data-dir>/User/settings.json.
  const userDataDir = path.join(passRoot, 'user-data');
  writeJson(path.join(userDataDir, 'User', 'settings.json'), {
    'security.workspace.trust.enabled': true,
    // No modal asking whether to trust the folder: it stays untrusted and nothing waits for an answer.
    'security.workspace.trust.startupPrompt': 'never',
    'spanlens.backends': [{ name: 'user-backend', type: 'jaeger', url: userBackend.url }],
  });
  return {
    name: 'untrusted',
    workspace,
    userDataDir,
    trust: true,
    env: { [REPO_BACKEND_ENV_VAR]: repoBackend.url, [USER_BACKEND_ENV_VAR]: userBackend.url },
    check: () =>
      repoBackend.requests.length === 0
        ? undefined
        : `the untrusted workspace's backend received ${repoBackend.requests.map((request) => `${request.method} ${request.path}`).join(', ')}`,
  };
}

/**
 * The benchmarks (*.bench.ts) in the copy of workspace/, with the receiver on a free port, so that a run of the
 * tests elsewhere on the machine (which use 4318) cannot send it spans or take its port.
 */
async function benchPass(passRoot) {
  const httpPort = await freePort();
  const userDataDir = path.join(passRoot, 'user-data');
  writeJson(path.join(userDataDir, 'User', 'settings.json'), { 'spanlens.receiver.httpPort': httpPort, 'spanlens.receiver.grpcPort': 0 });
  return {
    name: BENCH_PASS,
    workspace: copyWorkspace('workspace', passRoot),
    userDataDir,
    trust: false,
    env: { [OTLP_ENDPOINT_ENV_VAR]: `http://127.0.0.1:${httpPort}` },
    check: () => undefined,
  };
}

async function preparePass(name, tempRoot) {
  const passRoot = path.join(tempRoot, name);
  mkdirSync(passRoot, { recursive: true });
  if (name === BENCH_PASS) return benchPass(passRoot);
  return name === 'trusted' ? trustedPass(passRoot) : untrustedPass(passRoot);
}

/**
 * Handles the console messages of one pass's workbench page (the extension host's console arrives there too).
 * Workbench chatter is shown only while the suite runs (between its banner and its result line), errors always.
 */
function suiteOutput(passName, passStartedAt) {
  const state = { phase: 'before', result: undefined };
  const onMessage = (level, text) => {
    // Once the pass is over the workbench is torn down, and the reads it had in flight fail ("Canceled").
    if (state.phase === 'closed' && !verbose) return;
    if (text.startsWith(RESULT_MARKER)) {
      state.result = JSON.parse(text.slice(RESULT_MARKER.length));
      state.phase = 'after';
      return;
    }
    if (text.startsWith(SUITE_BANNER)) {
      state.phase = 'running';
      say(`the extension host started the ${passName} pass ${seconds(passStartedAt)} after its server`);
    }
    if (verbose) {
      console.log(`[${level}] ${text}`);
      return;
    }
    if (isNoise(text)) return;
    if (state.phase === 'running' || level === 'error') console.log(text);
  };
  return { state, onMessage };
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

/** Launches Chromium and the browser bridge once; every web pass opens its own page in a fresh context. */
async function startBrowser() {
  const { chromium } = await import('playwright-core');
  const { vscodeVersion } = await ensureCodeServer();
  say(`host: VS Code ${vscodeVersion} server (npm code-server@${CODE_SERVER_VERSION}) in ${chromiumPath}`);
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS });
  cleanups.push(() => browser.close());
  // The bridge answers from whichever pass's page is open.
  let page;
  const bridge = await startBrowserBridge(() => page);
  cleanups.push(bridge.close);
  return { browser, bridgeUrl: bridge.url, setPage: (current) => (page = current) };
}

/** Runs one pass in the web host; resolves with its exit code and the suite's counts (if it reported them). */
async function runWebPass(web, pass, tempRoot, suiteEntry) {
  const passCleanups = [];
  try {
    return await runWebPassUntilDone(web, pass, tempRoot, suiteEntry, passCleanups);
  } finally {
    while (passCleanups.length > 0) await passCleanups.pop()().catch(() => undefined);
  }
}

async function runWebPassUntilDone(web, pass, tempRoot, suiteEntry, passCleanups) {
  mkdirSync(outDir, { recursive: true });
  const serverLogFile = path.join(outDir, `server-${pass.name}.log`);
  const serverLog = createWriteStream(serverLogFile);
  passCleanups.push(() => new Promise((resolve) => serverLog.end(resolve)));
  const serverStartedAt = Date.now();
  const server = await startServer({
    extensionsDir: path.join(tempRoot, pass.name, 'extensions'),
    userDataDir: pass.userDataDir,
    serverDataDir: path.join(tempRoot, pass.name, 'server-data'),
    extraArgs: [
      '--enable-smoke-test-driver',
      '--without-connection-token',
      '--disable-telemetry',
      ...(pass.trust ? [] : ['--disable-workspace-trust']),
    ],
    env: { [BRIDGE_ENV_VAR]: web.bridgeUrl, [PASS_ENV_VAR]: pass.name, ...pass.env },
    onOutput: (line) => {
      serverLog.write(`${line}\n`);
      if (verbose) console.log(`[server] ${line}`);
    },
  });
  passCleanups.push(server.stop);
  cleanups.push(server.stop); // also on SIGINT while the pass runs
  say(`${pass.name} pass: server answered on ${server.url} after ${seconds(serverStartedAt)} (log: ${path.relative(REPO_ROOT, serverLogFile)})`);

  const context = await web.browser.newContext({ viewport: { width: 1600, height: 1000 } });
  passCleanups.push(() => context.close());
  const page = await context.newPage();
  web.setPage(page);

  const output = suiteOutput(pass.name, serverStartedAt);
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
      output.onMessage(level, text);
    });
  });
  page.on('pageerror', (error) => {
    if (verbose || !isNoise(error.message)) console.log(`[page error] ${error.message}`);
  });
  page.on('crash', () => finish({ kind: 'failure', reason: 'the workbench page crashed' }));
  const onBrowserGone = () => finish({ kind: 'failure', reason: 'Chromium exited' });
  web.browser.on('disconnected', onBrowserGone);
  passCleanups.push(async () => web.browser.off('disconnected', onBrowserGone));
  server.exited.then(({ code, signal }) => finish({ kind: 'failure', reason: `the VS Code server exited (code ${code}, signal ${signal})` }));

  const remote = (absolutePath) => `vscode-remote://${server.remoteAuthority}${absolutePath}`;
  const payload = [
    ['extensionDevelopmentPath', remote(REPO_ROOT)],
    ['extensionTestsPath', remote(suiteEntry)],
    ['skipWelcome', 'true'],
  ];
  const opened = pass.workspace.endsWith('.code-workspace') ? 'workspace' : 'folder';
  const url = `${server.url}?${opened}=${encodeURIComponent(pass.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  await page.goto(url);

  const timer = setTimeout(() => finish({ kind: 'timeout' }), timeoutMs);
  const outcome = await finished;
  clearTimeout(timer);
  const closePass = async () => {
    await printing;
    output.state.phase = 'closed';
  };
  const screenshot = async (name) => {
    const file = path.join(outDir, `${name}-${pass.name}.png`);
    await page.screenshot({ path: file }).catch(() => undefined);
    return path.relative(REPO_ROOT, file);
  };
  if (outcome.kind === 'exit') {
    // The result line travels the same channel as the exit call; give a straggler a moment.
    for (let waited = 0; !output.state.result && waited < 2000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
    await closePass();
    if (outcome.code !== 0) say(`the workbench at the end of the failed ${pass.name} pass: ${await screenshot('failure')}`);
    return { code: outcome.code, result: output.state.result };
  }
  await closePass();
  if (outcome.kind === 'timeout') {
    say(`TIMEOUT: the ${pass.name} pass did not finish within ${timeoutMs / 1000} s (the workbench never called codeAutomationExit).`);
    say(`screenshot of the workbench: ${await screenshot('timeout')}; server log: ${path.relative(REPO_ROOT, serverLogFile)}`);
  } else {
    say(`FAILED: ${outcome.reason} before the ${pass.name} pass finished; server log: ${path.relative(REPO_ROOT, serverLogFile)}`);
  }
  return { code: 1, result: output.state.result };
}

async function runDesktopPass(pass, suiteEntry) {
  const { runTests } = await import('@vscode/test-electron');
  const launchArgs = [pass.workspace, '--disable-extensions', '--skip-welcome', '--skip-release-notes'];
  // The untrusted and bench passes need their own user settings; the trusted one keeps test-electron's user data folder.
  if (pass.trust || pass.name === BENCH_PASS) launchArgs.push('--user-data-dir', pass.userDataDir);
  if (!pass.trust) launchArgs.push('--disable-workspace-trust');
  try {
    const code = await runTests({
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: suiteEntry,
      extensionTestsEnv: { [PASS_ENV_VAR]: pass.name, ...pass.env },
      launchArgs,
    });
    return { code, result: undefined };
  } catch (error) {
    say(`desktop ${pass.name} pass failed: ${error instanceof Error ? error.message : String(error)}`);
    return { code: 1, result: undefined };
  }
}

function passesToRun() {
  const only = process.env[PASS_ENV_VAR];
  if (only === undefined || only === '') return PASS_NAMES;
  const known = [...PASS_NAMES, BENCH_PASS];
  if (!known.includes(only)) throw new Error(`${PASS_ENV_VAR} must be ${known.map((name) => `"${name}"`).join(', ')}, not "${only}"`);
  return [only];
}

/** Runs every pass; resolves with the exit code and the summed counts (undefined when no pass reported any). */
async function main() {
  checkExtensionBuilt();
  if (host !== 'web' && host !== 'desktop') throw new Error(`SPANLENS_TEST_HOST must be "web" or "desktop", not "${host}"`);
  const names = passesToRun();
  const suiteEntry = await buildSuite(REPO_ROOT);
  const tempRoot = mkdtempSync(path.join(os.tmpdir(), 'spanlens-integration-'));
  cleanups.push(() => rmSync(tempRoot, { recursive: true, force: true }));
  if (host === 'desktop') say('host: desktop VS Code through @vscode/test-electron (downloads VS Code on first use); webview DOM tests are skipped');
  const web = host === 'web' ? await startBrowser() : undefined;

  let exitCode = 0;
  let total;
  for (const name of names) {
    const passStartedAt = Date.now();
    const pass = await preparePass(name, tempRoot);
    const { code, result } = web ? await runWebPass(web, pass, tempRoot, suiteEntry) : await runDesktopPass(pass, suiteEntry);
    let passCode = code;
    if (web && passCode === 0 && (!result || result.passed + result.failed === 0)) {
      say(`FAILED: the ${name} pass reported no test run`);
      passCode = 1;
    }
    const problem = pass.check();
    if (problem) {
      say(`FAILED: ${problem}`);
      passCode = 1;
    }
    const counts = result ? `: ${result.passed} passed, ${result.failed} failed, ${result.skipped} skipped` : '';
    say(`${name} pass ${passCode === 0 ? 'passed' : 'FAILED'} in ${seconds(passStartedAt)}${counts}`);
    if (result) {
      total ??= { passed: 0, failed: 0, skipped: 0 };
      for (const key of Object.keys(total)) total[key] += result[key];
    }
    if (passCode !== 0) exitCode = passCode;
  }
  return { exitCode, total };
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    say(`${signal}: stopping`);
    cleanUp().finally(() => process.exit(130));
  });
}

let outcome;
try {
  outcome = await main();
} catch (error) {
  say(`ERROR: ${error instanceof Error ? error.message : String(error)}`);
  outcome = { exitCode: 1, total: undefined };
}
await cleanUp();
say(`finished in ${seconds(startedAt)}, exit code ${outcome.exitCode}`);
const { total } = outcome;
if (total) console.log(`integration: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(outcome.exitCode);
