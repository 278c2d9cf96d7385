import { strict as assert } from 'node:assert';
import { parseTraceText } from '../../../src/core/formats/parseTraceText';
import { buildSpanTree } from '../../../src/core/model/spanTree';
import type { Span } from '../../../src/core/model/trace';
import {
  generateTrace,
  generateTraceColumns,
  generatedModelTrace,
  generatedSpanAt,
  jaegerV1Chunks,
  otlpJsonChunks,
  writeJaegerV1,
  writeOtlpJson,
  writeZipkinV2,
} from '../../support/traceGenerator';

/** What every format carries alike, so one generated trace must read the same from each. */
function essentials(span: Span): string {
  return [
    span.spanId,
    span.parentSpanId ?? '-',
    span.name,
    span.resource.serviceName,
    span.startTimeUnixNano,
    span.durationNano,
    span.status.code,
    span.events.map((event) => `${event.name}@${event.timeUnixNano}`).join(','),
  ].join(' | ');
}

describe('trace generator', () => {
  const trace = generateTrace({ spanCount: 500, seed: 3 });

  it('is deterministic for a seed', () => {
    assert.equal(writeJaegerV1([generateTrace({ spanCount: 500, seed: 3 })]), writeJaegerV1([trace]));
    assert.notEqual(writeJaegerV1([generateTrace({ spanCount: 500, seed: 4 })]), writeJaegerV1([trace]));
  });

  it('builds the requested shape: one root, fan-out 3..10, 5..20 services, parents first', () => {
    assert.equal(trace.spans.length, 500);
    assert.ok(trace.services.length >= 5 && trace.services.length <= 20);
    const children = new Map<number, number>();
    trace.spans.forEach((span, i) => {
      assert.ok(span.parentIndex < i);
      if (span.parentIndex !== -1) children.set(span.parentIndex, (children.get(span.parentIndex) ?? 0) + 1);
      assert.ok(span.attributes.length >= 6 && span.attributes.length <= 10);
      assert.ok(span.depth <= 12);
    });
    assert.equal(trace.spans.filter((span) => span.parentIndex === -1).length, 1);
    const fanOuts = [...children.values()];
    assert.ok(Math.max(...fanOuts) <= 10);
  });

  it('reads the same spans back from Jaeger v1, Zipkin v2 and OTLP JSON', () => {
    const parsed = [writeJaegerV1, writeZipkinV2, writeOtlpJson].map((write) => parseTraceText(write([trace])));
    assert.deepEqual(
      parsed.map((result) => result.format),
      ['jaeger-v1', 'zipkin-v2', 'otlp-json'],
    );
    const [jaeger, zipkin, otlp] = parsed.map((result) => {
      assert.deepEqual(result.warnings, []);
      assert.equal(result.traces.length, 1);
      assert.equal(result.traces[0].traceId, trace.traceId);
      return result.traces[0].spans.map(essentials).sort();
    });
    assert.deepEqual(zipkin, otlp);
    // The Jaeger writer adds an "error" log to failed spans, as Jaeger clients do.
    assert.deepEqual(jaeger.map(withoutEvents), otlp.map(withoutEvents));
    const tree = buildSpanTree(parsed[2].traces[0].spans);
    assert.equal(tree.rootCount, 1);
    assert.equal(tree.maxDepth, Math.max(...trace.spans.map((span) => span.depth)));
  });

  it('builds the model the OTLP parser reads from its own JSON', () => {
    const parsed = parseTraceText(writeOtlpJson([trace])).traces[0];
    assert.deepEqual(spanJson(generatedModelTrace(trace).spans), spanJson(parsed.spans));
  });

  it('writes the same text from columns as from materialized spans', () => {
    const columns = generateTraceColumns({ spanCount: 500, seed: 3 });
    assert.deepEqual(generatedSpanAt(columns, 123), trace.spans[123]);
    assert.equal([...jaegerV1Chunks([columns])].join(''), writeJaegerV1([trace]));
    assert.equal([...otlpJsonChunks([columns])].join(''), writeOtlpJson([trace]));
    // Several traces in one document, as the search endpoints return them.
    const two = parseTraceText(writeJaegerV1([trace, generateTrace({ spanCount: 20, seed: 9 })]));
    assert.deepEqual(two.traces.map((each) => each.spans.length), [500, 20]);
  });

  it('grows a million spans as columns within fan-out 3..10 and depth 12', function () {
    this.timeout(60_000);
    const heapBefore = process.memoryUsage().heapUsed;
    const columns = generateTraceColumns({ spanCount: 1_000_000, seed: 11 });
    const heapGrowthMb = (process.memoryUsage().heapUsed - heapBefore) / 1e6;
    assert.equal(columns.spanCount, 1_000_000);
    const children = new Uint32Array(columns.spanCount);
    const ids = new Set<number>();
    for (let i = 1; i < columns.spanCount; i++) {
      assert.ok(columns.parentIndex[i] < i && columns.parentIndex[i] >= 0);
      children[columns.parentIndex[i]]++;
      ids.add(columns.spanIdLow[i]);
    }
    assert.equal(ids.size, columns.spanCount - 1, 'span IDs repeat');
    let maxFanOut = 0;
    let partialFanOuts = 0;
    for (let i = 0; i < columns.spanCount; i++) {
      maxFanOut = Math.max(maxFanOut, children[i]);
      if (children[i] > 0 && children[i] < 3) partialFanOuts++;
    }
    assert.ok(maxFanOut <= 10, `a span has ${maxFanOut} children`);
    assert.ok(partialFanOuts <= 1, 'only the last parent may get fewer than 3 children');
    assert.ok(columns.depth.every((depth) => depth <= 12));
    // Typed columns only: a few dozen bytes per span, where objects would take about a kilobyte.
    assert.ok(heapGrowthMb < 100, `columns took ${heapGrowthMb.toFixed(0)} MB of heap`);
  });
});

/** Spans by ID as JSON (bigint as text, undefined fields dropped), for comparing models. */
function spanJson(spans: readonly Span[]): string[] {
  return [...spans]
    .sort((a, b) => (a.spanId < b.spanId ? -1 : 1))
    .map((span) => JSON.stringify(span, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value)));
}

function withoutEvents(line: string): string {
  return line.split(' | ').slice(0, 7).join(' | ');
}
