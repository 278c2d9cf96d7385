// Writes a generated trace to a file, so the traces the benchmarks use can be loaded into other trace
// UIs (Jaeger UI's "Upload JSON", Zipkin's "Upload JSON") for comparison:
//   node --import tsx bench/generateTrace.ts --spans 100000 --format jaeger-v1 --out trace.json [--seed N]
// The text is streamed in chunks: a million spans make close to a gigabyte, more than one JS string holds.

import { closeSync, openSync, writeSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { generateTraceColumns, jaegerV1Chunks, otlpJsonChunks, zipkinV2Chunks } from '../test/support/traceGenerator';
import type { GeneratedTraceSource } from '../test/support/traceGenerator';

const FORMATS: Readonly<Record<string, (traces: readonly GeneratedTraceSource[]) => Generator<string>>> = {
  'jaeger-v1': jaegerV1Chunks,
  'zipkin-v2': zipkinV2Chunks,
  'otlp-json': otlpJsonChunks,
};
/** Same seed as the parse benchmarks, so the files match what they measure. */
const DEFAULT_SEED = 20_240_601;
const FLUSH_CHARS = 1 << 20;
const USAGE = `usage: node --import tsx bench/generateTrace.ts --spans N --format ${Object.keys(FORMATS).join('|')} --out FILE [--seed N]`;

function main(): void {
  const { values } = parseArgs({
    options: {
      spans: { type: 'string' },
      format: { type: 'string', default: 'jaeger-v1' },
      out: { type: 'string' },
      seed: { type: 'string' },
    },
  });
  const spanCount = Number(values.spans);
  const seed = values.seed === undefined ? DEFAULT_SEED : Number(values.seed);
  const write = FORMATS[values.format];
  if (!Number.isSafeInteger(spanCount) || spanCount < 1 || !Number.isSafeInteger(seed) || write === undefined || values.out === undefined) {
    console.error(USAGE);
    process.exitCode = 2;
    return;
  }

  const started = performance.now();
  const trace = generateTraceColumns({ spanCount, seed });
  const fd = openSync(values.out, 'w');
  let pending: string[] = [];
  let pendingChars = 0;
  let bytes = 0;
  const flush = (): void => {
    bytes += writeSync(fd, pending.join(''));
    pending = [];
    pendingChars = 0;
  };
  try {
    for (const chunk of write([trace])) {
      pending.push(chunk);
      pendingChars += chunk.length;
      if (pendingChars >= FLUSH_CHARS) flush();
    }
    flush();
  } finally {
    closeSync(fd);
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`${values.out}: ${spanCount} spans, ${trace.services.length} services, trace ${trace.traceId}, ${(bytes / 1e6).toFixed(1)} MB ${values.format} in ${seconds.toFixed(1)} s`);
}

main();
