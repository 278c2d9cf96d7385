// Ingest benchmarks for the embedded receiver and the local store, on request bodies the OpenTelemetry JS
// SDK's exporters really sent (sdkExportCapture.ts):
// - throughput on one core: decode, check, index and store each request (what the worker and the store do
//   per request) on one thread, in spans/s, for protobuf and JSON; budget 100k spans/s for protobuf. The
//   figure is the fastest of nine passes: other load on a shared machine only ever slows a pass down, so the
//   fastest is the closest to the cost of the code; the median pass is printed beside it. The OpenTelemetry
//   Collector's sizing guidance is 10-15k spans/s per core; the ratio is against its upper end.
// - the event-loop delay (p99) of the thread that runs the receiver and the store (the editor's thread)
//   while a client sends 20k spans/s over OTLP/HTTP; budget 20 ms.
// - how long opening a store directory of 100k spans takes (log replay).

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { PayloadFormat } from '../src/core/otlp/decodeOtlpPayload';
import { runIngestJob } from '../src/core/otlpWorker/otlpJobs';
import { OtlpWorkerClient } from '../src/core/otlpWorker/otlpWorkerClient';
import { OtlpReceiver } from '../src/core/receiver/otlpReceiver';
import { LocalTraceStore } from '../src/core/store/localTraceStore';
import { TEST_WORKER_PATH } from '../test/support/receiverHarness';
import type { Benchmark, BenchResult } from './benchmark';
import type { ThroughputJob, ThroughputResult } from './ingestThroughputWorker';
import { median } from './measure';
import type { CapturedBodies } from './sdkExportCapture';
import { captureSdkExports } from './sdkExportCapture';

const THROUGHPUT_SPANS = 20_000;
const PROTOBUF_BUDGET = { min: 100_000 };
/** Upper end of the Collector's published 10-15k spans/s per core. */
const COLLECTOR_SPANS_PER_SECOND = 15_000;
const LAG_SPANS_PER_SECOND = 20_000;
const LAG_SECONDS = 5;
const LAG_BUDGET = { max: 20 };
const REPLAY_SPANS = 100_000;

let captured: Promise<CapturedBodies> | undefined;

function bodies(): Promise<CapturedBodies> {
  captured ??= captureSdkExports(THROUGHPUT_SPANS, true);
  return captured;
}

// Loads a TypeScript worker through tsx (the benchmarks run from source).
const TS_WORKER_BOOTSTRAP = "require('tsx/cjs'); require(require('node:worker_threads').workerData.entry);";

async function throughput(encoding: PayloadFormat['encoding']): Promise<BenchResult[]> {
  const capture = await bodies();
  const requests = encoding === 'protobuf' ? capture.protobuf : capture.json;
  const job: ThroughputJob = {
    entry: join(__dirname, 'ingestThroughputWorker.ts'),
    bodies: requests,
    format: { encoding, compression: 'none' },
    spanCount: capture.spanCount,
    warmUp: 3,
    runs: 9,
  };
  const worker = new Worker(TS_WORKER_BOOTSTRAP, { eval: true, workerData: job });
  const result = await new Promise<ThroughputResult | { error: string }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  if ('error' in result) throw new Error(`ingest/${encoding}: ${result.error}`);
  const millis = result.fastestMillis;
  const spansPerSecond = Math.round(capture.spanCount / (millis / 1000));
  const bytes = requests.reduce((total, body) => total + body.length, 0);
  const results: BenchResult[] = [
    { name: `ingest/${encoding} spans/s`, value: spansPerSecond, unit: 'spans/s', budget: encoding === 'protobuf' ? PROTOBUF_BUDGET : undefined },
    { name: `ingest/${encoding} spans/s (median pass)`, value: Math.round(capture.spanCount / (result.medianMillis / 1000)), unit: 'spans/s' },
    { name: `ingest/${encoding} MiB/s`, value: round(bytes / 1024 / 1024 / (millis / 1000)), unit: 'MiB/s' },
  ];
  if (encoding === 'protobuf') {
    results.push({ name: 'ingest/protobuf vs Collector 15k spans/s/core', value: round(spansPerSecond / COLLECTOR_SPANS_PER_SECOND), unit: 'x' });
  }
  return results;
}

// The client runs on its own thread, so the only work on the measured thread is the receiver's.
const LOAD_GENERATOR = `
const { workerData, parentPort } = require('node:worker_threads');
const http = require('node:http');
const { url, bodies, intervalMillis, count } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
let done = 0;
let failed = 0;
const started = performance.now();
const finish = () => { if (++done === count) parentPort.postMessage({ failed, elapsedMillis: performance.now() - started }); };
const send = (i) => {
  const body = bodies[i % bodies.length];
  const request = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length } }, (response) => {
    if (response.statusCode !== 200) failed++;
    response.resume();
    response.on('end', finish);
  });
  request.on('error', () => { failed++; finish(); });
  request.end(body);
};
for (let i = 0; i < count; i++) setTimeout(() => send(i), i * intervalMillis);
`;

async function eventLoopLag(): Promise<BenchResult[]> {
  const capture = await bodies();
  // Full batches only, so each request carries the same number of spans.
  const spansPerRequest = 512;
  const full = capture.protobuf.slice(0, Math.floor(capture.spanCount / spansPerRequest));
  const count = Math.round((LAG_SECONDS * LAG_SPANS_PER_SECOND) / spansPerRequest);
  const directory = await mkdtemp(join(tmpdir(), 'spanlens-bench-'));
  const worker = new OtlpWorkerClient({ workerPath: TEST_WORKER_PATH });
  const store = await LocalTraceStore.open({ directory });
  const receiver = new OtlpReceiver({ sink: store, processor: worker, httpPort: 0, grpcPort: null });
  try {
    const { http } = await receiver.start();
    // Warm the worker and the JIT before measuring.
    for (const body of full.slice(0, 3)) await worker.ingest({ body: Uint8Array.from(body), format: { encoding: 'protobuf', compression: 'none' }, maxDecompressedBytes: 1 << 26 });
    await store.clear();
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    const client = new Worker(LOAD_GENERATOR, {
      eval: true,
      workerData: { url: `${http?.url}/v1/traces`, bodies: full, intervalMillis: (1000 * spansPerRequest) / LAG_SPANS_PER_SECOND, count },
    });
    const outcome = await new Promise<{ failed: number; elapsedMillis: number }>((resolve, reject) => {
      client.once('message', resolve);
      client.once('error', reject);
    });
    delay.disable();
    await client.terminate();
    if (outcome.failed > 0) throw new Error(`ingest/event-loop lag: ${outcome.failed} of ${count} requests failed`);
    const stored = store.stats().spans;
    return [
      { name: 'ingest/event-loop lag p99 at 20k spans/s', value: round(delay.percentile(99) / 1e6), unit: 'ms', budget: LAG_BUDGET },
      { name: 'ingest/event-loop lag max at 20k spans/s', value: round(delay.max / 1e6), unit: 'ms' },
      { name: 'ingest/event-loop lag spans stored/s', value: Math.round(stored / (outcome.elapsedMillis / 1000)), unit: 'spans/s' },
    ];
  } finally {
    await receiver.stop();
    await store.close();
    await worker.close();
    await rm(directory, { recursive: true, force: true });
  }
}

async function replay(): Promise<BenchResult[]> {
  const capture = await captureSdkExports(REPLAY_SPANS, false, 11);
  const directory = await mkdtemp(join(tmpdir(), 'spanlens-bench-'));
  try {
    const writer = await LocalTraceStore.open({ directory });
    for (const body of capture.protobuf) {
      const result = runIngestJob({ body, format: { encoding: 'protobuf', compression: 'none' }, maxDecompressedBytes: 1 << 26 });
      if (!result.ok || result.record === undefined) throw new Error('ingest/replay: a captured request failed');
      writer.append(result.record);
    }
    await writer.close();
    const samples: number[] = [];
    let stats;
    for (let run = 0; run < 6; run++) {
      const started = performance.now();
      const store = await LocalTraceStore.open({ directory });
      const elapsed = performance.now() - started;
      stats = store.stats();
      await store.close();
      if (run > 0) samples.push(elapsed);
    }
    if (stats?.spans !== capture.spanCount) throw new Error(`ingest/replay: replayed ${stats?.spans} of ${capture.spanCount} spans`);
    const millis = median(samples);
    return [
      { name: 'ingest/replay 100k spans ms', value: round(millis), unit: 'ms' },
      { name: 'ingest/replay log MiB', value: round(stats.diskBytes / 1024 / 1024), unit: 'MiB' },
    ];
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

export const ingestBenchmarks: readonly Benchmark[] = [
  { name: 'ingest/protobuf', run: () => throughput('protobuf') },
  { name: 'ingest/json', run: () => throughput('json') },
  { name: 'ingest/event-loop lag', run: eventLoopLag },
  { name: 'ingest/replay', run: replay },
];
