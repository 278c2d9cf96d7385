// Aggregation into sketches, from decoded spans: CodeSpanSample arrays built up front (500 code locations,
// 5 services, log-normal latencies, 2% errors, some GenAI spans, start times spread over the window in
// arrival order), then only CodeStatsAggregator.add timed.
// Twice: with samples sharing location objects (as one trace's spans or cached store rows may) and with a
// fresh location object per sample (the worst case for the key lookup).

import type { SpanCodeLocation } from '../src/core/codeMapping/spanCodeLocation';
import { CodeStatsAggregator } from '../src/core/stats/codeStatsAggregator';
import type { CodeSpanSample } from '../src/core/stats/codeSpanSample';
import { createRandom } from '../test/support/traceGenerator';
import type { Benchmark, BenchResult } from './benchmark';
import { medianMillis } from './measure';

const SAMPLE_COUNT = 1_000_000;
const LOCATION_COUNT = 500;
const SERVICES = ['frontend', 'checkout', 'payment', 'inventory', 'search'];
const NOW = Date.parse('2026-11-26T12:00:00Z');
const WINDOW_MILLIS = 3_600_000;
const THROUGHPUT_BUDGET = { min: 2_000_000 };
const REPETITIONS = { warmUp: 2, runs: 7 };

interface Site {
  readonly location: SpanCodeLocation;
  readonly services: readonly string[];
  readonly medianNano: number;
}

function sites(random: () => number): Site[] {
  const result: Site[] = [];
  for (let i = 0; i < LOCATION_COUNT; i++) {
    const module = `module${i % 40}`;
    const location: SpanCodeLocation = {
      functionName: `com.example.${module}.Handler${i}.handle`,
      filePath: i % 3 === 0 ? undefined : `/app/src/${module}/handler${i}.ts`,
      lineNumber: i % 3 === 0 ? undefined : 10 + ((i * 37) % 900),
      columnNumber: undefined,
      stackTrace: undefined,
      fileOrigin: i % 3 === 0 ? undefined : 'code',
    };
    const home = SERVICES[i % SERVICES.length];
    // Every tenth function also runs in a second service.
    const services = i % 10 === 0 ? [home, SERVICES[(i + 1) % SERVICES.length]] : [home];
    result.push({ location, services, medianNano: 50_000 * Math.exp(random() * 8) });
  }
  return result;
}

function samples(fresh: boolean): CodeSpanSample[] {
  const random = createRandom(20_261_126);
  const all = sites(random);
  const out: CodeSpanSample[] = [];
  for (let i = 0; i < SAMPLE_COUNT; i++) {
    const site = all[Math.floor(random() * all.length)];
    const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const durationNano = Math.round(site.medianNano * Math.exp(normal * 0.8));
    const genAi = i % 50 === 0 ? { model: 'gpt-4o-mini', inputTokens: 100 + (i % 900), outputTokens: 20 + (i % 300) } : undefined;
    out.push({
      location: fresh ? { ...site.location } : site.location,
      serviceName: site.services[i % site.services.length],
      spanName: 'handle',
      traceId: (i >>> 4).toString(16).padStart(32, '0'),
      spanId: i.toString(16).padStart(16, '0'),
      // Spans arrive roughly in start order, as live ones and the store's replay do.
      startUnixMillis: NOW - WINDOW_MILLIS + Math.floor(((i + random() * 1000) / SAMPLE_COUNT) * (WINDOW_MILLIS - 1000)),
      durationNano,
      // Leaves (most spans) spend all their time in themselves.
      selfTimeNano: random() < 0.6 ? durationNano : Math.round(durationNano * random()),
      isError: random() < 0.02,
      genAi,
    });
  }
  return out;
}

function aggregate(batch: readonly CodeSpanSample[]): CodeStatsAggregator {
  const aggregator = new CodeStatsAggregator({ windowMillis: WINDOW_MILLIS, now: () => NOW });
  for (let i = 0; i < batch.length; i++) aggregator.add(batch[i]);
  return aggregator;
}

const VARIANTS = [
  { label: 'shared locations', fresh: false },
  { label: 'fresh locations', fresh: true },
] as const;

export const codeStatsBenchmarks: readonly Benchmark[] = [
  ...VARIANTS.map(
    ({ label, fresh }): Benchmark => ({
      name: `codeStats/aggregate/${fresh ? 'fresh' : 'shared'}`,
      async run(): Promise<BenchResult[]> {
        const batch = samples(fresh);
        const check = aggregate(batch).snapshot();
        const counted = check.rows.reduce((total, row) => total + row.summary.calls, 0);
        if (counted !== SAMPLE_COUNT || check.rows.length !== 550) {
          throw new Error(`codeStats/aggregate: ${counted} calls in ${check.rows.length} rows, expected ${SAMPLE_COUNT} in 550`);
        }
        const [millis] = medianMillis([() => aggregate(batch)], REPETITIONS);
        const aggregator = aggregate(batch);
        const [snapshotMillis] = medianMillis([() => aggregator.snapshot()], { warmUp: 2, runs: 9 });
        const spansPerSecond = Math.round(SAMPLE_COUNT / (millis / 1000));
        const name = `codeStats/aggregate/${label}`;
        return [
          { name: `${name} spans/s`, value: spansPerSecond, unit: 'spans/s', budget: THROUGHPUT_BUDGET },
          { name: `${name} vs budget`, value: round(spansPerSecond / THROUGHPUT_BUDGET.min), unit: 'ratio', budget: { min: 1 } },
          { name: `${name} snapshot of 550 rows ms`, value: round(snapshotMillis), unit: 'ms' },
        ];
      },
    }),
  ),
];

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
