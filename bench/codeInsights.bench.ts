// Spans-to-code benchmarks.
// - codeInsights/pipeline: decode + map + aggregate, end to end; budget 300k spans/s. OTLP protobuf request
//   bodies as the OpenTelemetry JS SDK's exporter sends them, from five services whose spans carry
//   code.function.name, code.file.path (container paths, /app/src/…) and code.line.number at 500 distinct
//   locations, go through the extension's own stages (codeInsightsPipelineWorker.ts): decode, store + sample
//   feed, map onto a workspace of about 3,000 files by path suffix, aggregate, snapshot. The budgeted figure
//   runs them as the extension does: the decode on the OTLP worker thread, the rest on the editor's thread
//   (here the pipeline worker's), eight requests in flight. The same path all on one thread is printed beside
//   it. As in ingest.bench.ts, the figures are the fastest of nine passes, the median beside them; the two-thread
//   passes run first and on their own, so the heap holds no other pass's records and samples. Each stage's
//   rate and share of the time, each measured alone on one thread, say which one holds the pipeline back; for
//   comparison, protobufjs's read of the requests alone (the floor of any decode) and the path without the
//   store (decodeOtlpPayload → samplesFromTrace → map → aggregate).
// - codeInsights/lens: provideCodeLenses on a 5,000-line file with 500 functions that have data; budget p95
//   10 ms. Measured in the real VS Code host by the integration runner's bench pass
//   (test/integration/suite/lensBench.bench.ts), after `npm run build`; its figures are relayed from there.

import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Worker } from 'node:worker_threads';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Context, HrTime, Span } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { createRandom } from '../test/support/traceGenerator';
import type { Benchmark, BenchResult, Budget } from './benchmark';
import type { PipelineJob, PipelineResult, PipelineStage } from './codeInsightsPipelineWorker';

const TRACES = 5000;
const SPANS_PER_TRACE = 12;
const BATCH_SIZE = 512;
const END_TO_END_BUDGET = { min: 300_000 };
const NOW = Date.parse('2026-11-26T12:00:00Z');
const WINDOW_MILLIS = 3_600_000;
const WORKSPACE_ROOT = '/home/dev/shop';
const REPO_ROOT = join(__dirname, '..');

/** Five services of four areas of five files of five functions: 500 code locations. */
const SERVICES: readonly { readonly name: string; readonly areas: readonly string[] }[] = [
  { name: 'storefront', areas: ['pages', 'session', 'recommendations', 'layout'] },
  { name: 'checkout', areas: ['cart', 'orders', 'pricing', 'shipping'] },
  { name: 'payments', areas: ['cards', 'refunds', 'ledger', 'fraud'] },
  { name: 'inventory', areas: ['stock', 'warehouses', 'reservations', 'suppliers'] },
  { name: 'search', areas: ['indexer', 'query', 'ranking', 'facets'] },
];
const FILE_ROLES = ['Controller', 'Service', 'Repository', 'Validator', 'Events'];
const METHODS = ['handle', 'load', 'save', 'validate', 'publish'];

interface CodeSite {
  readonly service: number;
  readonly functionName: string;
  /** As the container reports it: /app/src/<area>/<file>.ts. */
  readonly containerPath: string;
  readonly lineNumber: number;
  readonly medianMicros: number;
}

function codeSites(random: () => number): CodeSite[][] {
  return SERVICES.map((service, s) => {
    const sites: CodeSite[] = [];
    for (const area of service.areas) {
      for (const role of FILE_ROLES) {
        const file = `${area}${role}`;
        const className = file[0].toUpperCase() + file.slice(1);
        METHODS.forEach((method, m) => {
          sites.push({
            service: s,
            functionName: `${className}.${method}`,
            containerPath: `/app/src/${area}/${file}.ts`,
            lineNumber: 14 + 36 * m,
            medianMicros: 40 * Math.exp(random() * 7),
          });
        });
      }
    }
    return sites;
  });
}

/**
 * The developer's checkout of the monorepo: each service's sources with tests, build output and helpers around
 * them, shared packages, and an old copy of the checkout code that shares file names (so suffix inference has
 * to compare folders).
 */
function workspaceFiles(): string[] {
  const files: string[] = [];
  const add = (path: string): void => {
    files.push(`${WORKSPACE_ROOT}/${path}`);
  };
  for (const name of ['package.json', 'README.md', 'tsconfig.base.json', '.eslintrc.json', 'docker-compose.yml']) add(name);
  for (const service of SERVICES) {
    const root = `services/${service.name}`;
    for (const name of ['package.json', 'tsconfig.json', 'README.md', 'Dockerfile', 'src/main.ts', 'src/config.ts']) add(`${root}/${name}`);
    for (const area of service.areas) {
      add(`${root}/src/${area}/index.ts`);
      add(`${root}/src/${area}/types.ts`);
      for (let k = 0; k < 12; k++) add(`${root}/src/${area}/internal/helper${k}.ts`);
      for (const role of FILE_ROLES) {
        const file = `${area}${role}`;
        add(`${root}/src/${area}/${file}.ts`);
        add(`${root}/test/${area}/${file}.test.ts`);
        for (const built of ['js', 'js.map', 'd.ts']) add(`${root}/dist/${area}/${file}.${built}`);
      }
    }
  }
  for (const area of SERVICES[1].areas) for (const role of FILE_ROLES) add(`packages/legacy-checkout/lib/${area}/${area}${role}.ts`);
  for (let p = 0; p < 30; p++) {
    const root = `packages/lib${p}`;
    for (const name of ['package.json', 'README.md', 'tsconfig.json', 'src/index.ts', 'CHANGELOG.md']) add(`${root}/${name}`);
    for (let m = 0; m < 8; m++) {
      add(`${root}/src/module${m}/index.ts`);
      for (let f = 0; f < 5; f++) {
        add(`${root}/src/module${m}/part${f}.ts`);
        if (f < 2) add(`${root}/test/module${m}/part${f}.test.ts`);
      }
    }
  }
  return files;
}

interface CapturedRequests {
  readonly bodies: readonly Buffer[];
  readonly spanCount: number;
}

/**
 * Traces through the five services (each service's spans exported by its own SDK, as in production) in the
 * hour before NOW, captured as the protobuf exporter sends them.
 */
async function captureRequests(): Promise<CapturedRequests> {
  const bodies: Buffer[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      bodies.push(Buffer.concat(chunks));
      response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`;
  const batchOptions = { maxExportBatchSize: BATCH_SIZE, maxQueueSize: TRACES * SPANS_PER_TRACE + BATCH_SIZE, scheduledDelayMillis: 60_000 };
  const providers = SERVICES.map(
    (service, s) =>
      new NodeTracerProvider({
        resource: resourceFromAttributes({
          'service.name': service.name,
          'service.version': `2.${s}.7`,
          'service.instance.id': `7d3c2a10-0000-4000-8000-00000000000${s}`,
          'deployment.environment.name': 'production',
          'host.name': `${service.name}-7f9c8d-x${s}q`,
          'process.runtime.name': 'nodejs',
          'process.runtime.version': '20.19.0',
        }),
        spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url, concurrencyLimit: 10_000 }), batchOptions)],
      }),
  );
  const tracers = providers.map((provider, s) => provider.getTracer(`@shop/${SERVICES[s].name}`, '2.0.0'));
  const random = createRandom(20_261_126);
  const sites = codeSites(random);
  const int = (low: number, high: number): number => low + Math.floor(random() * (high - low + 1));
  // Some functions are far busier than others.
  const pickSite = (service: number): CodeSite => sites[service][Math.floor(random() ** 1.5 * sites[service].length)];
  const durationMicros = (site: CodeSite): number => {
    const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return Math.max(1, Math.round(site.medianMicros * Math.exp(normal * 0.7)));
  };
  const at = (micros: number): HrTime => [Math.floor(micros / 1e6), (micros % 1e6) * 1000 + int(0, 999)];

  const firstMicros = (NOW - WINDOW_MILLIS + 300_000) * 1000;
  const stepMicros = Math.floor(((WINDOW_MILLIS - 600_000) * 1000) / TRACES);
  for (let t = 0; t < TRACES; t++) {
    const start = firstMicros + t * stepMicros + int(0, stepMicros - 1);
    const spans: { span: Span; context: Context; startMicros: number }[] = [];
    let cursor = start;
    for (let i = 0; i < SPANS_PER_TRACE; i++) {
      const service = i === 0 ? 0 : int(0, SERVICES.length - 1);
      const site = i === 0 ? sites[0][int(0, 24)] : pickSite(service);
      // Mostly a chain of calls, sometimes a sibling of an earlier span.
      const parent = i === 0 ? undefined : random() < 0.6 ? spans[i - 1] : spans[int(0, i - 1)];
      const startMicros = parent === undefined ? start : Math.max(cursor, parent.startMicros + int(5, 200));
      const isGenAi = SERVICES[service].name === 'search' && site.functionName.startsWith('Ranking');
      const attributes: Record<string, string | number | boolean> = {
        'code.function.name': site.functionName,
        'code.file.path': site.containerPath,
        'code.line.number': site.lineNumber,
        'app.request.id': `req-${t}`,
        'app.tenant': `tenant-${int(1, 40)}`,
        'cache.hit': random() < 0.5,
      };
      if (i === 0) {
        attributes['http.request.method'] = 'GET';
        attributes['http.route'] = '/products/:id';
        attributes['http.response.status_code'] = random() < 0.02 ? 500 : 200;
      }
      if (isGenAi) {
        attributes['gen_ai.operation.name'] = 'chat';
        attributes['gen_ai.request.model'] = 'gpt-4o-mini';
        attributes['gen_ai.usage.input_tokens'] = int(200, 3000);
        attributes['gen_ai.usage.output_tokens'] = int(20, 400);
      }
      const span = tracers[service].startSpan(
        i === 0 ? 'GET /products/:id' : site.functionName,
        { kind: i === 0 ? SpanKind.SERVER : SpanKind.INTERNAL, startTime: at(startMicros), attributes },
        parent?.context ?? context.active(),
      );
      if (random() < 0.02) span.setStatus({ code: SpanStatusCode.ERROR, message: 'upstream timed out' });
      span.end(at(startMicros + durationMicros(site)));
      spans.push({ span, context: trace.setSpan(context.active(), span), startMicros });
      cursor = startMicros + int(10, 300);
    }
  }
  for (const provider of providers) {
    await provider.forceFlush();
    await provider.shutdown();
  }
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return { bodies, spanCount: TRACES * SPANS_PER_TRACE };
}

// Loads a TypeScript worker through tsx (the benchmarks run from source).
const TS_WORKER_BOOTSTRAP = "require('tsx/cjs'); require(require('node:worker_threads').workerData.entry);";

async function pipeline(): Promise<BenchResult[]> {
  const captured = await captureRequests();
  const files = workspaceFiles();
  const job: PipelineJob = {
    entry: join(__dirname, 'codeInsightsPipelineWorker.ts'),
    otlpWorkerEntry: join(REPO_ROOT, 'src', 'core', 'otlpWorker', 'otlpWorker.ts'),
    bodies: captured.bodies,
    spanCount: captured.spanCount,
    workspaceRoot: WORKSPACE_ROOT,
    workspaceFiles: files,
    nowUnixMillis: NOW,
    windowMillis: WINDOW_MILLIS,
    warmUp: 3,
    runs: 9,
  };
  const worker = new Worker(TS_WORKER_BOOTSTRAP, { eval: true, workerData: job });
  const result = await new Promise<PipelineResult | { error: string }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  if ('error' in result) throw new Error(`codeInsights/pipeline: ${result.error}`);
  if (result.locations !== 500 || result.resolvedLocations !== 500) {
    throw new Error(`codeInsights/pipeline: ${result.resolvedLocations} of ${result.locations} code locations resolved onto their service's file, expected 500 of 500`);
  }

  const spans = captured.spanCount;
  const rate = (millis: number): number => Math.round(spans / (millis / 1000));
  const stage = (name: PipelineStage): { fastest: number; median: number } => ({
    fastest: rate(result.stages[name].fastestMillis),
    median: rate(result.stages[name].medianMillis),
  });
  const endToEnd = stage('endToEnd');
  const oneThread = stage('endToEndOneThread');
  const stageLabels: readonly [PipelineStage, string][] = [
    ['decode', 'decode (OTLP worker job)'],
    ['storeAndFeed', 'store + sample feed'],
    ['map', 'map (cached resolution)'],
    ['aggregate', 'aggregate'],
  ];
  const results: BenchResult[] = [
    { name: 'codeInsights/pipeline end to end spans/s', value: endToEnd.fastest, unit: 'spans/s', budget: END_TO_END_BUDGET },
    { name: 'codeInsights/pipeline end to end vs budget', value: round(endToEnd.fastest / END_TO_END_BUDGET.min), unit: 'ratio', budget: { min: 1 } },
    { name: 'codeInsights/pipeline end to end (median pass)', value: endToEnd.median, unit: 'spans/s' },
    { name: 'codeInsights/pipeline end to end on one thread spans/s', value: oneThread.fastest, unit: 'spans/s' },
    { name: 'codeInsights/pipeline end to end on one thread (median pass)', value: oneThread.median, unit: 'spans/s' },
  ];
  for (const [name, label] of stageLabels) {
    const figures = stage(name);
    results.push({ name: `codeInsights/pipeline ${label} spans/s`, value: figures.fastest, unit: 'spans/s' });
    results.push({ name: `codeInsights/pipeline ${label} median`, value: figures.median, unit: 'spans/s' });
  }
  // Where the time goes: each stage's share of the sum of the stages.
  const stageMillis = stageLabels.map(([name]) => result.stages[name].fastestMillis);
  const total = stageMillis.reduce((sum, millis) => sum + millis, 0);
  stageLabels.forEach(([, label], i) => {
    results.push({ name: `codeInsights/pipeline ${label} share`, value: round((100 * stageMillis[i]) / total), unit: '%' });
  });
  for (const [name, label] of [
    ['protobufRead', 'without store: protobuf read alone'],
    ['direct', 'without store: decodeOtlpPayload→samplesFromTrace→map→aggregate'],
  ] as const) {
    results.push({ name: `codeInsights/pipeline ${label} spans/s`, value: stage(name).fastest, unit: 'spans/s' });
  }
  results.push(
    { name: `codeInsights/pipeline snapshot of ${result.rows} rows + map ms`, value: round(result.stages.snapshot.fastestMillis), unit: 'ms' },
    { name: 'codeInsights/pipeline first resolution of 500 locations ms', value: round(result.coldResolveMillis), unit: 'ms' },
    { name: 'codeInsights/pipeline workspace files indexed', value: files.length, unit: 'files' },
  );
  return results;
}

/** Prefix of the figure lines that test/integration/suite/lensBench.bench.ts prints. */
const LENS_FIGURE_MARKER = 'SPANLENS_BENCH ';

interface RelayedFigure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly budget?: Budget;
}

/** Runs `node <args>` in the repository, its output to stderr (stdout is the figures); resolves with its lines. */
function runNode(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; lines: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        lines.push(line);
        if (!line.startsWith(LENS_FIGURE_MARKER)) process.stderr.write(`  ${line}\n`);
      });
    }
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? 1, lines }));
  });
}

async function lenses(): Promise<BenchResult[]> {
  const build = await runNode(['scripts/build.mjs']);
  if (build.code !== 0) throw new Error(`codeInsights/lens: npm run build failed (exit code ${build.code})`);
  const run = await runNode(['test/integration/run.mjs'], { SPANLENS_TEST_PASS: 'bench' });
  const figures = run.lines.filter((line) => line.startsWith(LENS_FIGURE_MARKER)).map((line) => JSON.parse(line.slice(LENS_FIGURE_MARKER.length)) as RelayedFigure);
  if (run.code !== 0 || figures.length === 0) {
    throw new Error(`codeInsights/lens: the integration bench pass ${run.code !== 0 ? `failed (exit code ${run.code})` : 'printed no figures'}; its output is above`);
  }
  return figures.map((figure) => ({ name: figure.name, value: figure.value, unit: figure.unit, ...(figure.budget === undefined ? {} : { budget: figure.budget }) }));
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

export const codeInsightsBenchmarks: readonly Benchmark[] = [
  { name: 'codeInsights/pipeline', run: pipeline },
  { name: 'codeInsights/lens', run: lenses },
];
