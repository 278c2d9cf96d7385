// Parse throughput: generated traces in every wire format, parsed by parseTraceText, against plain
// JSON.parse of the same text. The budget says the model conversion may cost at most as much again as
// JSON.parse itself (ratio >= 0.5).

import { parseTraceText } from '../src/core/formats/parseTraceText';
import type { GeneratedTrace } from '../test/support/traceGenerator';
import { generateTrace, writeJaegerV1, writeOtlpJson, writeZipkinV2 } from '../test/support/traceGenerator';
import type { Benchmark, BenchResult } from './benchmark';
import { medianMillis } from './measure';

const SEED = 20_240_601;
const RATIO_BUDGET = { min: 0.5 };

const SIZES = [
  { label: '10k', spanCount: 10_000, repetitions: { warmUp: 3, runs: 15 } },
  { label: '100k', spanCount: 100_000, repetitions: { warmUp: 1, runs: 5 } },
] as const;

const WRITERS = [
  { format: 'jaeger-v1', write: writeJaegerV1 },
  { format: 'zipkin-v2', write: writeZipkinV2 },
  { format: 'otlp-json', write: writeOtlpJson },
] as const;

const generated = new Map<number, GeneratedTrace>();

function traceOf(spanCount: number): GeneratedTrace {
  let trace = generated.get(spanCount);
  if (!trace) {
    generated.clear(); // one size at a time keeps memory flat
    trace = generateTrace({ spanCount, seed: SEED });
    generated.set(spanCount, trace);
  }
  return trace;
}

export const parseBenchmarks: readonly Benchmark[] = SIZES.flatMap((size) =>
  WRITERS.map(
    ({ format, write }): Benchmark => ({
      name: `parse/${format}/${size.label}`,
      async run(): Promise<BenchResult[]> {
        const text = write([traceOf(size.spanCount)]);
        const parsed = parseTraceText(text);
        const spans = parsed.traces.reduce((total, trace) => total + trace.spans.length, 0);
        if (parsed.format !== format || spans !== size.spanCount) {
          throw new Error(`parse/${format}/${size.label}: read ${spans} spans as ${parsed.format}`);
        }
        const [jsonMillis, parseMillis] = medianMillis([() => JSON.parse(text), () => parseTraceText(text)], size.repetitions);
        const name = `parse/${format}/${size.label}`;
        return [
          { name: `${name} spans/s`, value: Math.round(spans / (parseMillis / 1000)), unit: 'spans/s' },
          { name: `${name} ms`, value: round(parseMillis), unit: 'ms' },
          { name: `${name} JSON.parse ms`, value: round(jsonMillis), unit: 'ms' },
          { name: `${name} vs JSON.parse`, value: round(jsonMillis / parseMillis), unit: 'ratio', budget: RATIO_BUDGET },
        ];
      },
    }),
  ),
);

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
