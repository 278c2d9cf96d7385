// Runs in a worker thread of its own (ingest.bench.ts starts it): decodes, indexes and stores the captured
// requests pass after pass on this one thread, and reports the fastest and the median pass. A fresh thread
// has a fresh heap, so what other benchmarks did to the main thread's heap (forced full collections shrink
// the young generation for a long while) does not slow it down.

import { parentPort, workerData } from 'node:worker_threads';
import type { PayloadFormat } from '../src/core/otlp/decodeOtlpPayload';
import { runIngestJob } from '../src/core/otlpWorker/otlpJobs';
import { LocalTraceStore } from '../src/core/store/localTraceStore';
import { median } from './measure';

export interface ThroughputJob {
  /** This file, for the bootstrap that loads it. */
  readonly entry: string;
  readonly bodies: readonly Uint8Array[];
  readonly format: PayloadFormat;
  readonly spanCount: number;
  readonly warmUp: number;
  readonly runs: number;
}

export interface ThroughputResult {
  readonly fastestMillis: number;
  readonly medianMillis: number;
}

async function measure(job: ThroughputJob): Promise<ThroughputResult> {
  const store = await LocalTraceStore.open({ maxSpans: 100_000_000, maxBytes: 64 * 1024 * 1024 * 1024 });
  const samples: number[] = [];
  for (let pass = 0; pass < job.warmUp + job.runs; pass++) {
    const started = performance.now();
    let spans = 0;
    for (const body of job.bodies) {
      const result = runIngestJob({ body, format: job.format, maxDecompressedBytes: 64 * 1024 * 1024 });
      if (!result.ok || result.record === undefined) throw new Error('a captured request failed');
      spans += store.append(result.record).storedSpans;
    }
    const elapsed = performance.now() - started;
    if (spans !== job.spanCount) throw new Error(`stored ${spans} of ${job.spanCount} spans`);
    if (pass >= job.warmUp) samples.push(elapsed);
  }
  await store.close();
  return { fastestMillis: Math.min(...samples), medianMillis: median(samples) };
}

if (parentPort !== null && workerData !== null) {
  const port = parentPort;
  measure(workerData as ThroughputJob).then(
    (result) => port.postMessage(result),
    (error: unknown) => port.postMessage({ error: error instanceof Error ? error.message : String(error) }),
  );
}
