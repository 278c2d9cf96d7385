import { strict as assert } from 'node:assert';
import { parseTraceText } from '../../../src/core/formats/parseTraceText';
import { buildSpanTree } from '../../../src/core/model/spanTree';
import type { Span } from '../../../src/core/model/trace';
import { generateTrace, writeJaegerV1, writeOtlpJson, writeZipkinV2 } from '../../support/traceGenerator';

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
});

function withoutEvents(line: string): string {
  return line.split(' | ').slice(0, 7).join(' | ');
}
