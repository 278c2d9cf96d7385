import { strict as assert } from 'node:assert';
import { runCliCaptured } from '../support/runCliCaptured';
import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import * as esbuild from 'esbuild';
import { parseTraceText } from '../../src/core/formats/parseTraceText';
import { TEST_WORKER_PATH } from '../support/receiverHarness';

const repoRoot = path.resolve(__dirname, '..', '..');
const sourceEntry = path.join(repoRoot, 'src', 'cli', 'main.ts');
const bundleEntry = path.join(repoRoot, 'dist', 'cli.js');

const cli = runCliCaptured;

/** dist/cli.js and dist/otlpWorker.js exactly as scripts/build.mjs builds them, without the other bundles. */
async function buildCliBundle(): Promise<void> {
  const common: esbuild.BuildOptions = {
    absWorkingDir: repoRoot,
    outdir: 'dist',
    bundle: true,
    sourcemap: true,
    legalComments: 'none',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
  };
  await esbuild.build({ ...common, entryPoints: { otlpWorker: 'src/core/otlpWorker/otlpWorker.ts' } });
  await esbuild.build({ ...common, entryPoints: { cli: 'src/cli/main.ts' }, banner: { js: '#!/usr/bin/env node' } });
}

// ---- `spanlens serve` as a child process ------------------------------------------------------------------

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

interface ServeProcess {
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  readonly exited: Promise<Exit>;
  stdout(): string;
  stderr(): string;
}

interface RunningServe extends ServeProcess {
  /** The listening line, without its newline. */
  readonly line: string;
  readonly httpUrl: string | undefined;
  /** `127.0.0.1:PORT`, as the gRPC exporter takes it after `http://`. */
  readonly grpcAddress: string | undefined;
}

const children = new Set<ServeProcess>();

/** Runs `spanlens serve ...args` from the bundle, or from source through tsx with the worker run from source too. */
function spawnServe(args: readonly string[], from: 'bundle' | 'source', workerScript = TEST_WORKER_PATH): ServeProcess {
  const argv = from === 'bundle' ? [bundleEntry, 'serve', ...args] : ['--import', 'tsx', sourceEntry, 'serve', ...args];
  const env = { ...process.env };
  if (from === 'source') env.SPANLENS_OTLP_WORKER = workerScript;
  else delete env.SPANLENS_OTLP_WORKER;
  const child = spawn(process.execPath, argv, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<Exit>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  const serve: ServeProcess = { child, exited, stdout: () => stdout, stderr: () => stderr };
  children.add(serve);
  void exited.then(() => children.delete(serve));
  return serve;
}

const LISTENING = /^spanlens: listening on (?:http:\/\/(127\.0\.0\.1:\d+) \(OTLP\/HTTP\))?(?: and )?(?:(127\.0\.0\.1:\d+) \(OTLP\/gRPC\))?, (.*)\n/;

async function startServe(args: readonly string[], from: 'bundle' | 'source'): Promise<RunningServe> {
  const serve = spawnServe(args, from);
  const deadline = Date.now() + 30_000;
  let exit: Exit | undefined;
  void serve.exited.then((value) => (exit = value));
  while (!serve.stdout().includes('\n')) {
    if (exit !== undefined) assert.fail(`serve exited (${exit.code ?? exit.signal}) before listening: ${serve.stderr()}`);
    if (Date.now() > deadline) assert.fail(`serve did not print its listening line: ${serve.stderr()}`);
    await sleep(20);
  }
  const match = LISTENING.exec(serve.stdout());
  assert.ok(match, `unexpected first line: ${serve.stdout()}`);
  return {
    ...serve,
    line: match[0].slice(0, -1),
    httpUrl: match[1] === undefined ? undefined : `http://${match[1]}`,
    grpcAddress: match[2],
  };
}

/** Sends `signal` and waits for the exit; it must come promptly. */
async function stopServe(serve: ServeProcess, signal: NodeJS.Signals): Promise<Exit> {
  const sentAt = Date.now();
  serve.child.kill(signal);
  const exit = await serve.exited;
  assert.ok(Date.now() - sentAt < 10_000, `serve took ${Date.now() - sentAt} ms to stop`);
  return exit;
}

// ---- traces from the real OpenTelemetry SDK -----------------------------------------------------------------

type ExportCallback = Parameters<SpanExporter['export']>[1];
type ExportResult = Parameters<ExportCallback>[0];

/** Passes spans on to `inner` and keeps every result, so a failed export fails the test. */
class RecordingExporter implements SpanExporter {
  readonly results: ExportResult[] = [];

  constructor(private readonly inner: SpanExporter) {}

  export(spans: ReadableSpan[], resultCallback: ExportCallback): void {
    this.inner.export(spans, (result) => {
      this.results.push(result);
      resultCallback(result);
    });
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

/** One trace of a server span and `childCount` client spans, one of them an error, ending now; returns its ID. */
async function exportTrace(exporter: SpanExporter, service: string, childCount: number): Promise<string> {
  const recording = new RecordingExporter(exporter);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': service }),
    spanProcessors: [new BatchSpanProcessor(recording)],
  });
  const tracer = provider.getTracer('spanlens-serve-test');
  const root = tracer.startSpan(`GET /${service}`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'GET' } });
  const rootContext = trace.setSpan(context.active(), root);
  for (let index = 0; index < childCount; index++) {
    const child = tracer.startSpan(`SELECT item ${index}`, { kind: SpanKind.CLIENT, attributes: { 'db.system': 'postgresql' } }, rootContext);
    if (index === 0) child.setStatus({ code: SpanStatusCode.ERROR, message: 'timeout' });
    child.end();
  }
  root.end();
  await provider.forceFlush();
  await provider.shutdown();
  assert.ok(recording.results.length > 0, 'the exporter sent nothing');
  for (const result of recording.results) assert.equal(result.error, undefined, `export failed: ${String(result.error)}`);
  return root.spanContext().traceId;
}

// ---- helpers ------------------------------------------------------------------------------------------------

function sleep(millis: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, millis));
}

async function occupyPort(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

interface SearchRow {
  readonly traceId: string;
  readonly rootName: string | null;
  readonly spans: number | null;
  readonly errors: number | null;
}

async function searchStore(directory: string, ...filters: string[]): Promise<SearchRow[]> {
  const run = await cli(['search', '--store', directory, '--json', ...filters]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stderr, '');
  return JSON.parse(run.stdout) as SearchRow[];
}

async function spanCount(directory: string, traceId: string): Promise<number> {
  const run = await cli(['get', traceId, '--store', directory, '--json']);
  assert.equal(run.code, 0, run.stderr);
  return (JSON.parse(run.stdout) as { spans: number }).spans;
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMillis: number): Promise<T> {
  const deadline = Date.now() + timeoutMillis;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(50);
  }
}

describe('spanlens serve', function () {
  this.timeout(90_000);
  let scratch: string;

  before(async function () {
    this.timeout(120_000);
    scratch = mkdtempSync(path.join(tmpdir(), 'spanlens-serve-'));
    await buildCliBundle();
  });

  afterEach(async () => {
    for (const serve of [...children]) {
      serve.child.kill('SIGKILL');
      await serve.exited;
    }
  });

  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('the bundle receives OTLP/HTTP and gRPC into --store; readable while it runs and after SIGTERM', async () => {
    const directory = path.join(scratch, 'bundle', 'traces');
    const serve = await startServe(['--port', '0', '--grpc-port', '0', '--store', directory], 'bundle');
    assert.ok(serve.httpUrl !== undefined && serve.grpcAddress !== undefined, serve.line);
    assert.equal(serve.line, `spanlens: listening on ${serve.httpUrl} (OTLP/HTTP) and ${serve.grpcAddress} (OTLP/gRPC), storing to ${directory}`);
    assert.notEqual(serve.httpUrl, 'http://127.0.0.1:4318', '--port 0 prints the port it picked');

    const checkout = await exportTrace(new ProtoExporter({ url: `${serve.httpUrl}/v1/traces` }), 'checkout', 3);
    const inventory = await exportTrace(new GrpcExporter({ url: `http://${serve.grpcAddress}` }), 'inventory', 1);

    // Read-only while serve writes: the records show up once they reach the log.
    const live = await waitFor(async () => {
      const rows = await searchStore(directory);
      return rows.length === 2 ? rows : undefined;
    }, 10_000);
    assert.deepEqual(new Set(live.map((row) => row.traceId)), new Set([checkout, inventory]));

    // A second writer is turned away: the directory is locked.
    const second = spawnServe(['--port', '0', '--grpc-port', '0', '--store', directory], 'bundle');
    assert.equal((await second.exited).code, 1);
    assert.equal(second.stdout(), '');
    assert.match(second.stderr(), new RegExp(`^spanlens: The trace store ${escape(directory)} is in use by process ${serve.child.pid}; [^\\n]*\\n$`));

    const exit = await stopServe(serve, 'SIGTERM');
    assert.deepEqual(exit, { code: 0, signal: null }, serve.stderr());
    assert.equal(serve.stdout(), `${serve.line}\n`, 'one line on stdout');
    assert.equal(serve.stderr(), `spanlens: stopped after receiving 6 spans (2 requests); ${directory} holds 6 spans in 2 traces\n`);
    assert.ok(!existsSync(path.join(directory, 'store.lock')), 'the lock was not released');

    assert.equal(await spanCount(directory, checkout), 4);
    assert.equal(await spanCount(directory, inventory), 2);
    const rows = await searchStore(directory);
    const byId = new Map(rows.map((row) => [row.traceId, row]));
    assert.deepEqual(byId.get(checkout), { ...byId.get(checkout), rootName: 'checkout: GET /checkout', spans: 4, errors: 1 });
    assert.deepEqual(byId.get(inventory), { ...byId.get(inventory), rootName: 'inventory: GET /inventory', spans: 2, errors: 1 });
    assert.deepEqual((await searchStore(directory, '--service', 'inventory')).map((row) => row.traceId), [inventory]);

    // Without --json: the trace itself, as OTLP JSON.
    const got = await cli(['get', checkout, '--store', directory]);
    assert.equal(got.code, 0, got.stderr);
    const parsed = parseTraceText(got.stdout);
    assert.equal(parsed.format, 'otlp-json');
    assert.deepEqual(
      parsed.traces[0].spans.map((span) => span.name).sort(),
      ['GET /checkout', 'SELECT item 0', 'SELECT item 1', 'SELECT item 2'],
    );
  });

  it('stops the same way on SIGINT (from source), and a restart adds to the store it replays', async () => {
    const directory = path.join(scratch, 'sigint');
    const first = await startServe(['--port', '0', '--grpc-port', 'off', '--store', directory], 'source');
    assert.equal(first.grpcAddress, undefined);
    assert.equal(first.line, `spanlens: listening on ${first.httpUrl} (OTLP/HTTP), storing to ${directory}`);
    const before = await exportTrace(new ProtoExporter({ url: `${first.httpUrl}/v1/traces` }), 'billing', 2);
    assert.deepEqual(await stopServe(first, 'SIGINT'), { code: 0, signal: null }, first.stderr());
    assert.equal(first.stderr(), `spanlens: stopped after receiving 3 spans (1 request); ${directory} holds 3 spans in 1 trace\n`);

    const second = await startServe(['--port', '0', '--grpc-port', '0', '--store', directory, '--max-spans', '1000'], 'source');
    assert.match(second.line, new RegExp(`, storing to ${escape(directory)} \\(holding 3 spans in 1 trace already\\)$`));
    const after = await exportTrace(new GrpcExporter({ url: `http://${second.grpcAddress}` }), 'billing', 1);
    assert.deepEqual(await stopServe(second, 'SIGINT'), { code: 0, signal: null }, second.stderr());
    assert.equal(await spanCount(directory, before), 3);
    assert.equal(await spanCount(directory, after), 2);
    assert.equal((await searchStore(directory, '--service', 'billing')).length, 2);
  });

  it('without --store keeps traces in memory only, and says so', async () => {
    const serve = await startServe(['--port', '0', '--grpc-port', '0'], 'source');
    assert.match(serve.line, /, keeping traces in memory only \(--store DIR keeps them\)$/);
    await exportTrace(new ProtoExporter({ url: `${serve.httpUrl}/v1/traces` }), 'scratchpad', 1);
    assert.deepEqual(await stopServe(serve, 'SIGTERM'), { code: 0, signal: null }, serve.stderr());
    assert.equal(serve.stderr(), 'spanlens: stopped after receiving 2 spans (1 request); they were kept in memory only\n');
  });

  it('a port in use: exit 1 with one line naming the port and the flag to change it', async () => {
    const taken = await occupyPort();
    const directory = path.join(scratch, 'port-in-use');
    try {
      const http = spawnServe(['--port', String(taken.port), '--grpc-port', '0', '--store', directory], 'bundle');
      assert.deepEqual(await http.exited, { code: 1, signal: null });
      assert.equal(http.stdout(), '');
      assert.equal(
        http.stderr(),
        `spanlens: Port ${taken.port} is already in use, so the OTLP/HTTP receiver cannot listen on 127.0.0.1:${taken.port}; choose another with --port PORT (0 picks a free one)\n`,
      );
      // The store it had opened was closed again.
      assert.ok(!existsSync(path.join(directory, 'store.lock')));

      const grpc = spawnServe(['--port', '0', '--grpc-port', String(taken.port)], 'source');
      assert.deepEqual(await grpc.exited, { code: 1, signal: null });
      assert.match(grpc.stderr(), new RegExp(`^spanlens: Port ${taken.port} is already in use, so the OTLP/gRPC receiver cannot listen on 127\\.0\\.0\\.1:${taken.port}; choose another with --grpc-port PORT \\(0 picks a free one\\)\\n$`));
    } finally {
      taken.server.close();
    }
  });

  it('from source without a worker script: exit 1, saying how to get one', async () => {
    const script = path.join(scratch, 'no-worker.js');
    const serve = spawnServe(['--port', '0', '--grpc-port', '0'], 'source', script);
    assert.deepEqual(await serve.exited, { code: 1, signal: null });
    assert.equal(serve.stdout(), '');
    assert.equal(serve.stderr(), `spanlens: SPANLENS_OTLP_WORKER names ${script}, which does not exist\n`);
  });
});

describe('spanlens get and search --store', () => {
  let scratch: string;

  before(() => {
    scratch = mkdtempSync(path.join(tmpdir(), 'spanlens-store-'));
  });

  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('a missing directory or a file: exit 1 with the path and the reason', async () => {
    const missing = path.join(scratch, 'nope');
    assert.deepEqual(await cli(['get', '4bf92f3577b34da6a3ce929d0e0e4736', '--store', missing]), {
      code: 1,
      stdout: '',
      stderr: `spanlens: ${missing}: no such directory\n`,
    });
    assert.deepEqual(await cli(['search', '--store', missing, '--json']), { code: 1, stdout: '', stderr: `spanlens: ${missing}: no such directory\n` });
    const file = path.join(scratch, 'file.json');
    writeFileSync(file, '{}');
    const notDirectory = await cli(['get', '4bf92f3577b34da6a3ce929d0e0e4736', '--store', file]);
    assert.equal(notDirectory.code, 1);
    assert.match(notDirectory.stderr, new RegExp(`^spanlens: ${escape(file)}: is not a directory `));
    assert.ok(!existsSync(missing), 'reading created the directory');
  });

  it('an empty directory is an empty store: search finds nothing, get reports the trace missing', async () => {
    const directory = path.join(scratch, 'empty');
    mkdirSync(directory);
    assert.deepEqual(await cli(['search', '--store', directory, '--json']), { code: 0, stdout: '[]\n', stderr: '' });
    assert.deepEqual(await cli(['search', '--store', directory]), { code: 0, stdout: '', stderr: 'spanlens: no traces found\n' });
    const missing = await cli(['get', '4bf92f3577b34da6a3ce929d0e0e4736', '--store', directory]);
    assert.deepEqual(missing, { code: 1, stdout: '', stderr: `spanlens: Trace 4bf92f3577b34da6a3ce929d0e0e4736 is not in the Local store at ${directory}\n` });
    assert.deepEqual(readdirSync(directory), [], 'a read-only open writes nothing');
  });

  it('usage errors: exit 2', async () => {
    const directory = scratch;
    const cases: [string[], string][] = [
      [['get', '4bf92f3577b34da6a3ce929d0e0e4736', '--store', directory, '--url', 'http://localhost:16686'], '--url does not apply to --store, which reads a directory rather than a server'],
      [['search', '--store', directory, '--backend', 'jaeger'], '--backend does not apply to --store, which reads a directory rather than a server'],
      [['search', '--store', directory, '--tenant', 'acme'], '--tenant does not apply to --store, which reads a directory rather than a server'],
      [['get', '4bf92f3577b34da6a3ce929d0e0e4736', '--store', ''], '--store needs a directory'],
      [['get', '4bf92f3577b34da6a3ce929d0e0e4736'], 'missing --backend TYPE and --url URL, or --store DIR'],
      [['search', '--store', directory, '--traceql', '{ }'], '--traceql needs a backend that runs TraceQL (tempo); Local store does not'],
      [['serve', '--port', '70000'], '--port needs a port from 0 to 65535 (0 picks a free one) or off, not "70000"'],
      [['serve', '--grpc-port', 'any'], '--grpc-port needs a port from 0 to 65535 (0 picks a free one) or off, not "any"'],
      [['serve', '--port', 'off', '--grpc-port', 'off'], '--port off and --grpc-port off leave nothing to listen on'],
      [['serve', '--store', ' '], '--store needs a directory'],
      [['serve', '--max-spans', '1.5'], '--max-spans needs a positive whole number, not "1.5"'],
      [['serve', '--max-mb', '0'], '--max-mb needs a positive number, not "0"'],
      [['serve', '--host', ''], '--host needs an address, e.g. 127.0.0.1 or 0.0.0.0'],
      [['serve', 'now'], 'unexpected argument "now"'],
    ];
    for (const [args, message] of cases) {
      const run = await cli(args);
      assert.deepEqual(run, { code: 2, stdout: '', stderr: `spanlens: ${message}\nRun 'spanlens ${args[0]} --help' for usage.\n` }, args.join(' '));
    }
  });

  it('help lists serve and the --store forms', async () => {
    const help = await cli(['--help']);
    assert.match(help.stdout, /^ {2}serve {4}Run the OTLP receiver and trace store without VS Code/m);
    const serve = await cli(['serve', '--help']);
    assert.equal(serve.code, 0);
    assert.match(serve.stdout, /^Usage: spanlens serve \[--port 4318\] \[--grpc-port 4317\] \[--store DIR\] \[options\]\n/);
    for (const flag of ['--port PORT', '--grpc-port PORT', '--host ADDRESS', '--store DIR', '--max-spans N', '--max-mb N']) {
      assert.match(serve.stdout, new RegExp(`^ {2}${escape(flag)} `, 'm'), flag);
    }
    assert.match((await cli(['get', '--help'])).stdout, /^ {7}spanlens get TRACE_ID --store DIR \[options\]$/m);
    assert.match((await cli(['search', '--help'])).stdout, /^ {2}--store DIR {14}Read the trace store directory/m);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
