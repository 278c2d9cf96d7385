// `npm run demo`: builds SpanLens and serves a real VS Code (the server inside the npm package code-server) on
// 127.0.0.1 with SpanLens installed and the sample workspace open (samples/ai-app and samples/traces), and runs
// the traced sample app against SpanLens's embedded OTLP receiver, until Ctrl+C. Open the printed URL.
// Each running part is a "service" with a stop().
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import path from 'node:path';
import { CACHE_DIR, REPO_ROOT, ensureCodeServer, startServer } from './codeServer.mjs';

const DEFAULT_PORT = 8080;
const DEMO_DIR = path.join(CACHE_DIR, 'demo');
const WORKSPACE = path.join(REPO_ROOT, 'samples', 'demo.code-workspace');
const RECEIVER = { host: '127.0.0.1', port: 4318 };

/** @type {{ name: string, stop: () => Promise<void> }[]} */
const services = [];
let stopping = false;

function say(message) {
  console.log(`[demo] ${message}`);
}

function demoPort() {
  const raw = process.env.SPANLENS_DEMO_PORT;
  if (raw === undefined || raw === '') return DEFAULT_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`SPANLENS_DEMO_PORT must be a port number, not "${raw}"`);
  return port;
}

function assertPortFree(port) {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error) => {
      reject(error.code === 'EADDRINUSE' ? new Error(`Port ${port} on 127.0.0.1 is in use; choose another with SPANLENS_DEMO_PORT=<port>.`) : error);
    });
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

function buildExtension() {
  say('building SpanLens (npm run build)');
  const result = spawnSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`npm run build failed (exit ${result.status})`);
}

/**
 * Installs SpanLens as a user extension by linking the repository into the extensions folder, so it shows in the
 * Extensions view like any installed extension and runs the freshly built dist/.
 */
function installExtensionLink(extensionsDir) {
  const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  // Start from an empty folder: a link left by an older version would be a second copy.
  rmSync(extensionsDir, { recursive: true, force: true });
  mkdirSync(extensionsDir, { recursive: true });
  symlinkSync(REPO_ROOT, path.join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`), 'dir');
  return `${manifest.displayName ?? manifest.name} ${manifest.version}`;
}

async function startEditor(port) {
  const extensionsDir = path.join(DEMO_DIR, 'extensions');
  const installed = installExtensionLink(extensionsDir);
  const logFile = path.join(DEMO_DIR, 'server.log');
  const log = createWriteStream(logFile);
  const connectionToken = randomBytes(16).toString('hex');
  say(`starting VS Code on 127.0.0.1:${port} with ${installed} (server log: ${path.relative(REPO_ROOT, logFile)})`);
  const server = await startServer({
    port,
    workspace: WORKSPACE,
    extensionsDir,
    // Kept between runs, like a real profile: settings and layout survive a restart.
    userDataDir: path.join(DEMO_DIR, 'user-data'),
    serverDataDir: path.join(DEMO_DIR, 'server-data'),
    connectionToken,
    extraArgs: ['--disable-telemetry', '--disable-workspace-trust'],
    onOutput: (line) => log.write(`${line}\n`),
  });
  services.push({
    name: 'VS Code server',
    stop: async () => {
      await server.stop();
      await new Promise((resolve) => log.end(resolve));
    },
  });
  server.exited.then(({ code, signal }) => {
    if (stopping) return;
    say(`the VS Code server exited unexpectedly (code ${code}, signal ${signal}); see ${logFile}`);
    void shutdown(1);
  });
  return `${server.url}?tkn=${connectionToken}&workspace=${encodeURIComponent(WORKSPACE)}`;
}

/** Resolves once something accepts connections on the receiver's port. */
function receiverListening() {
  return new Promise((resolve) => {
    const socket = createConnection(RECEIVER);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Runs samples/ai-app as continuous load once the receiver listens. The receiver lives in the extension host,
 * which starts when the workbench is opened in a browser; if the window closes, the app stops and waits again.
 */
function startSampleApp() {
  const logFile = path.join(DEMO_DIR, 'ai-app.log');
  const log = createWriteStream(logFile, { flags: 'a' });
  let child;
  let waiting;
  let announced = false;
  const loop = async () => {
    while (!stopping) {
      if (!(await receiverListening())) {
        await new Promise((resolve) => (waiting = setTimeout(resolve, 1000)));
        continue;
      }
      if (!announced) say(`SpanLens's receiver is listening on ${RECEIVER.host}:${RECEIVER.port}; the sample app sends it traces (log: ${path.relative(REPO_ROOT, logFile)})`);
      announced = true;
      child = spawn(process.execPath, ['--import', 'tsx', 'samples/ai-app/src/main.ts', '--loop', '--rate', '1'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.pipe(log, { end: false });
      child.stderr.pipe(log, { end: false });
      await new Promise((resolve) => child.once('exit', resolve));
      child = undefined;
    }
  };
  void loop();
  services.push({
    name: 'sample app',
    stop: async () => {
      clearTimeout(waiting);
      if (child) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGINT');
        await exited;
      }
      await new Promise((resolve) => log.end(resolve));
    },
  });
}

async function shutdown(exitCode) {
  if (stopping) return;
  stopping = true;
  for (const service of services.reverse()) {
    say(`stopping ${service.name}`);
    try {
      await service.stop();
    } catch (error) {
      say(`stopping ${service.name} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  process.exit(exitCode);
}

async function main() {
  const port = demoPort();
  await assertPortFree(port);
  buildExtension();
  await ensureCodeServer();
  const url = await startEditor(port);
  startSampleApp();
  console.log(`\nSpanLens demo ready — open ${url}\n`);
  say('traces from samples/ai-app start arriving once the workbench has loaded');
  say('press Ctrl+C to stop');
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

try {
  await main();
} catch (error) {
  say(`ERROR: ${error instanceof Error ? error.message : String(error)}`);
  await shutdown(1);
}
