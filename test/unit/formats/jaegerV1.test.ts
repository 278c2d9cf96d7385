import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseJaegerV1Document } from '../../../src/core/formats/jaegerV1';
import { TraceParseError } from '../../../src/core/formats/traceParseError';
import type { AnyValue, Span, Trace } from '../../../src/core/model/trace';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const ownFixtures = path.join(repoRoot, 'test', 'fixtures', 'own');
const sharedFixtures = path.resolve(repoRoot, '..', 'shared', 'fixtures', 'jaeger', 'api_v1');

function parseFile(file: string): { traces: Trace[]; warnings: string[] } {
  const warnings: string[] = [];
  const traces = parseJaegerV1Document(JSON.parse(readFileSync(file, 'utf8')), warnings);
  return { traces, warnings };
}

function spanById(trace: Trace, spanId: string): Span {
  const span = trace.spans.find((candidate) => candidate.spanId === spanId);
  assert.ok(span, `span ${spanId} not found`);
  return span;
}

function attribute(span: Span, key: string): AnyValue | undefined {
  return span.attributes.find((candidate) => candidate.key === key)?.value;
}

function keys(span: Span): string[] {
  return span.attributes.map((candidate) => candidate.key);
}

describe('Jaeger v1 parser', () => {
  describe('own fixtures', () => {
    const envelope = parseFile(path.join(ownFixtures, 'jaeger-envelope-otel.json'));
    const [checkout, cron] = envelope.traces;

    it('reads every trace of the {"data":[…]} envelope, IDs lowercased and padded', () => {
      assert.deepEqual(
        envelope.traces.map((trace) => [trace.traceId, trace.spans.length]),
        [
          ['5b8efff798038103d269b633813fc701', 3],
          ['000000000000000000000000000000ab', 1],
        ],
      );
      assert.equal(checkout.spans[0].spanId, 'eee19b7ec3c1b174');
      assert.equal(checkout.spans[0].traceId, '5b8efff798038103d269b633813fc701');
    });

    it('converts microseconds to nanoseconds', () => {
      const root = checkout.spans[0];
      assert.equal(root.startTimeUnixNano, 1_700_000_000_000_001_000n);
      assert.equal(root.durationNano, 2_500_000n);
      assert.deepEqual(
        root.events.map((event) => event.timeUnixNano),
        [1_700_000_000_000_500_000n, 1_700_000_000_000_900_000n],
      );
    });

    it('moves OpenTelemetry tags into kind, status, scope and trace state', () => {
      const root = checkout.spans[0];
      assert.equal(root.kind, 'server');
      assert.deepEqual(root.status, { code: 'error', message: 'upstream timed out' });
      assert.deepEqual(root.scope, { name: 'io.opentelemetry.http', version: '1.2.3', attributes: [] });
      assert.equal(root.traceState, 'vendor=abc');
      for (const moved of ['span.kind', 'otel.status_code', 'otel.status_description', 'otel.scope.name', 'otel.scope.version', 'w3c.tracestate']) {
        assert.ok(!keys(root).includes(moved), `${moved} should not stay an attribute`);
      }
      assert.equal(checkout.spans[1].scope, root.scope, 'equal scopes are one shared object');
    });

    it('types tag values, including bools sent as strings and int64 beyond 2^53', () => {
      const root = checkout.spans[0];
      assert.deepEqual(attribute(root, 'http.request.method'), { type: 'string', value: 'GET' });
      assert.deepEqual(attribute(root, 'http.response.status_code'), { type: 'int', value: '504' });
      assert.deepEqual(attribute(root, 'retry'), { type: 'bool', value: true });
      assert.deepEqual(attribute(root, 'sampled'), { type: 'bool', value: false });
      assert.deepEqual(attribute(root, 'big'), { type: 'int', value: '9223372036854775807' });
      assert.deepEqual(attribute(root, 'ratio'), { type: 'double', value: 0.25 });
      assert.deepEqual(attribute(root, 'payload'), { type: 'bytes', value: 'AAAwOQ==' });
    });

    it('turns logs into events named by their "event" field', () => {
      const root = checkout.spans[0];
      assert.deepEqual(
        root.events.map((event) => [event.name, event.attributes]),
        [
          ['exception', [{ key: 'exception.message', value: { type: 'string', value: 'timeout' } }]],
          ['log', [{ key: 'level', value: { type: 'string', value: 'info' } }]],
        ],
      );
    });

    it('treats error=true as an error status and drops the tag', () => {
      const query = checkout.spans[1];
      assert.deepEqual(query.status, { code: 'error' });
      assert.deepEqual(keys(query), ['db.system']);
      assert.equal(query.kind, 'client');
    });

    it('takes the parent from CHILD_OF, else a same-trace FOLLOWS_FROM; other references become links', () => {
      assert.equal(checkout.spans[0].parentSpanId, undefined);
      assert.equal(checkout.spans[1].parentSpanId, 'eee19b7ec3c1b174');
      const publish = checkout.spans[2];
      assert.equal(publish.kind, 'producer');
      assert.equal(publish.parentSpanId, '00000000000000a2');
      assert.deepEqual(publish.links, [
        {
          traceId: '00000000000000000000000000000abc',
          spanId: '0000000000000def',
          attributes: [{ key: 'opentracing.ref_type', value: { type: 'string', value: 'follows_from' } }],
        },
      ]);
    });

    it('makes one Resource per process, with service.name and the process tags', () => {
      const root = checkout.spans[0];
      assert.equal(root.resource.serviceName, 'frontend');
      assert.deepEqual(root.resource.attributes, [
        { key: 'service.name', value: { type: 'string', value: 'frontend' } },
        { key: 'host.name', value: { type: 'string', value: 'web-1' } },
        { key: 'process.pid', value: { type: 'int', value: '4242' } },
      ]);
      assert.equal(checkout.spans[1].resource, checkout.spans[2].resource);
      assert.equal(checkout.spans[1].resource.serviceName, 'orders');
    });

    it('treats an all-zero parentSpanID as no parent', () => {
      assert.equal(cron.spans[0].parentSpanId, undefined);
      assert.equal(cron.spans[0].resource.serviceName, 'scheduler');
    });

    it('reports envelope errors and span warnings once each', () => {
      assert.deepEqual(envelope.warnings, [
        'Jaeger reported: trace not found (HTTP 404) for trace 0000000000000fff',
        'Jaeger attached warnings to 1 span, e.g. "clock skew adjusted"',
      ]);
    });

    it('reads UI-model span arrays with inline processes, grouped by trace', () => {
      const { traces, warnings } = parseFile(path.join(ownFixtures, 'jaeger-ui-spans.json'));
      assert.deepEqual(warnings, []);
      assert.deepEqual(
        traces.map((trace) => [trace.traceId, trace.spans.map((span) => span.name)]),
        [
          ['000000000000000000000000000000ab', ['child with deprecated parentSpanID', 'root']],
          ['000000000000000000000000000000cd', ['other trace']],
        ],
      );
      const [child, root] = traces[0].spans;
      assert.equal(child.parentSpanId, '0000000000000001', 'the deprecated parentSpanID field still counts');
      assert.equal(child.resource, root.resource, 'equal inline processes share one Resource');
      assert.deepEqual(root.resource.attributes[1], { key: 'region', value: { type: 'string', value: 'eu' } });
    });
  });

  describe('bad input', () => {
    const validSpan = { traceID: 'ab', spanID: 'cd', operationName: 'x', startTime: 1, duration: 1, processID: 'p1' };

    function parseError(doc: unknown): string {
      try {
        parseJaegerV1Document(doc, []);
      } catch (error) {
        assert.ok(error instanceof TraceParseError, `expected TraceParseError, got ${String(error)}`);
        return error.message;
      }
      assert.fail('expected a TraceParseError');
    }

    it('names the span and the missing field', () => {
      const spans = [validSpan, validSpan, validSpan, { ...validSpan, spanID: undefined }];
      assert.equal(parseError({ data: [{ traceID: 'ab', spans, processes: {} }] }), 'data[0].spans[3] is missing "spanID"');
      assert.equal(parseError({ data: [{ spans: [{ ...validSpan, traceID: undefined }] }] }), 'data[0].spans[0] is missing "traceID"');
      assert.equal(parseError({ traceID: 'ab', spans: [{ ...validSpan, startTime: undefined }] }), 'spans[0] is missing "startTime"');
      assert.equal(parseError([validSpan, { ...validSpan, spanID: '' }]), '[1] is missing "spanID"');
    });

    it('rejects a start time too large for a number', () => {
      assert.match(parseError(JSON.parse('{"traceID":"ab","spans":[{"spanID":"cd","startTime":1e400}]}')), /spans\[0\]\.startTime is not a number of microseconds/);
    });

    it('takes a span without traceID from its trace object', () => {
      const traces = parseJaegerV1Document({ traceID: 'ab', spans: [{ ...validSpan, traceID: undefined }] }, []);
      assert.equal(traces[0].traceId, '000000000000000000000000000000ab');
    });

    it('rejects a start time that is not microseconds, and unknown shapes', () => {
      assert.match(parseError({ traceID: 'ab', spans: [{ ...validSpan, startTime: 'soon' }] }), /^spans\[0\]\.startTime is not a number of microseconds: "soon"$/);
      assert.match(parseError({ hello: 1 }), /not a Jaeger v1 document/);
      assert.match(parseError({ data: 'x' }), /"data" is not a list of traces/);
      assert.match(parseError({ data: [{ traceID: 'ab', spans: [42] }] }), /data\[0\]\.spans\[0\] is not a span object/);
    });

    it('survives odd values: unknown processes, odd tag types, prototype keys', () => {
      const warnings: string[] = [];
      const [trace] = parseJaegerV1Document(
        {
          traceID: 'ab',
          spans: [
            {
              ...validSpan,
              processID: 'constructor',
              duration: -5,
              tags: [
                { key: 'span.kind', type: 'string', value: 'constructor' },
                { key: 'n', type: 'int64', value: 'twelve' },
                { key: 'nothing', value: null },
                { key: 'nested', type: 'string', value: { a: 1 } },
                { value: 'no key' },
              ],
            },
          ],
          processes: {},
        },
        warnings,
      );
      const span = trace.spans[0];
      assert.equal(span.kind, 'unspecified');
      assert.equal(span.resource.serviceName, 'unknown_service');
      assert.equal(span.durationNano, 0n);
      assert.deepEqual(span.attributes, [
        { key: 'span.kind', value: { type: 'string', value: 'constructor' } },
        { key: 'n', value: { type: 'string', value: 'twelve' } },
        { key: 'nothing', value: { type: 'empty', value: null } },
        { key: 'nested', value: { type: 'string', value: '{"a":1}' } },
      ]);
      assert.deepEqual(warnings, ['1 span has no valid "duration"; shown as 0', '1 span has no process; shown as "unknown_service"']);
    });
  });

  describe('real fixtures', function () {
    before(function () {
      if (!existsSync(sharedFixtures)) this.skip();
    });

    // Span counts from the auto-check column of fixtures/README.md.
    const expectedSpanCounts: Record<string, number> = {
      'anonymizer-ui-spans.trace_success.json': 2,
      'trace-object.ui_01.json': 5,
      'transform-response.otlp2jaeger-out.json': 2,
      'jaeger-ui/TraceGraph-testTrace.json': 11,
      'jaeger-ui/genaiTestTrace.json': 57,
      'jaeger-ui/spanAmongEachOtherGroupedAndSpans.json': 17,
      'jaeger-ui/spanLongerAsParent.json': 8,
      'jaeger-ui/spansAmongEachOtherGrouped.json': 15,
      'jaeger-ui/testTraceNormal.json': 5,
      'jaeger-ui/traceWithOverlappingChildrenLongerThanParent.json': 4,
      'jaeger-ui/traceWithSingleChildLongerThanParentAndStartsAfterParent.json': 2,
    };

    for (const [file, spanCount] of Object.entries(expectedSpanCounts)) {
      it(`${file}: one trace of ${spanCount} spans`, () => {
        const { traces } = parseFile(path.join(sharedFixtures, file));
        assert.equal(traces.length, 1);
        assert.equal(traces[0].spans.length, spanCount);
        for (const span of traces[0].spans) {
          assert.ok(span.startTimeUnixNano % 1000n === 0n, 'µs times become whole thousands of ns');
          assert.ok(span.resource.serviceName !== '');
        }
      });
    }

    it('trace-object.ui_01.json: tag types, logs, cross-trace references', () => {
      const [trace] = parseFile(path.join(sharedFixtures, 'trace-object.ui_01.json')).traces;
      assert.equal(trace.traceId, '00000000000000000000000000000001');
      const [general, tagged, , referenced] = trace.spans;
      assert.equal(general.startTimeUnixNano, 1_485_467_191_639_875_000n);
      assert.equal(general.durationNano, 5000n);
      assert.deepEqual(
        general.events.map((event) => event.name),
        ['some-event', 'log'],
      );
      assert.deepEqual(general.events[1].attributes, [{ key: 'x', value: { type: 'string', value: 'y' } }]);
      assert.deepEqual(tagged.status, { code: 'error' });
      assert.deepEqual(attribute(tagged, 'peer.ipv4'), { type: 'int', value: '23456' });
      assert.deepEqual(attribute(tagged, 'temperature'), { type: 'double', value: 72.5 });
      assert.deepEqual(attribute(tagged, 'javascript_limit'), { type: 'int', value: '9223372036854775222' });
      assert.deepEqual(attribute(tagged, 'blob'), { type: 'bytes', value: 'AAAwOQ==' });
      assert.equal(general.resource, tagged.resource);
      // The first CHILD_OF points into another trace, so the parent is the second one.
      assert.equal(referenced.parentSpanId, '0000000000000002');
      assert.deepEqual(
        referenced.links.map((link) => [link.traceId, link.spanId, link.attributes[0].value.value]),
        [
          ['000000000000000000000000000000ff', '00000000000000ff', 'child_of'],
          ['00000000000000000000000000000001', '0000000000000002', 'follows_from'],
        ],
      );
    });

    it('anonymizer-ui-spans.trace_success.json: inline processes, kinds, string bool error', () => {
      const [trace] = parseFile(path.join(sharedFixtures, 'anonymizer-ui-spans.trace_success.json')).traces;
      assert.equal(trace.traceId, '00000000000000002be38093ead7a083');
      const [server, client] = trace.spans;
      assert.equal(server.kind, 'server');
      assert.equal(server.resource.serviceName, '16af988c443cff37');
      assert.equal(server.parentSpanId, '492770a15935810f');
      assert.equal(client.kind, 'client');
      assert.equal(client.parentSpanId, '7606ddfe69932d34');
      assert.deepEqual(client.status, { code: 'error' });
      assert.deepEqual(client.attributes, []);
    });

    it('transform-response.otlp2jaeger-out.json: scope from otel.scope.name', () => {
      const [trace] = parseFile(path.join(sharedFixtures, 'transform-response.otlp2jaeger-out.json')).traces;
      const span = trace.spans[0];
      assert.equal(span.scope.name, 'telemetrygen');
      assert.equal(span.kind, 'server');
      assert.equal(span.durationNano, 123_000n);
      assert.deepEqual(keys(span), ['net.peer.ip', 'peer.service']);
      assert.equal(span.resource.serviceName, 'telemetrygen');
    });

    it('TraceGraph-testTrace.json: non-hex IDs are kept and reported once', () => {
      const { traces, warnings } = parseFile(path.join(sharedFixtures, 'jaeger-ui', 'TraceGraph-testTrace.json'));
      const [trace] = traces;
      assert.equal(trace.traceId, 'trace-123');
      assert.equal(spanById(trace, 'span-7').parentSpanId, 'span-6', 'FOLLOWS_FROM is the parent when there is no CHILD_OF');
      assert.deepEqual(spanById(trace, 'span-2').status, { code: 'error' });
      assert.equal(spanById(trace, 'span-4').resource.serviceName, 'service2');
      assert.equal(warnings.length, 1);
      assert.match(warnings[0], /Jaeger IDs are not hexadecimal \(e\.g\. "trace-123"\); kept as written/);
    });

    it('genaiTestTrace.json: kinds and the one error span', () => {
      const [trace] = parseFile(path.join(sharedFixtures, 'jaeger-ui', 'genaiTestTrace.json')).traces;
      const kinds = new Map<string, number>();
      for (const span of trace.spans) kinds.set(span.kind, (kinds.get(span.kind) ?? 0) + 1);
      assert.deepEqual(Object.fromEntries(kinds), { server: 30, client: 19, internal: 8 });
      const errors = trace.spans.filter((span) => span.status.code === 'error');
      assert.deepEqual(
        errors.map((span) => [span.spanId, span.name, span.resource.serviceName]),
        [['0000000000000011', 'GET /api/v1/pods', 'k8s-api']],
      );
    });

    it('31-digit trace IDs are left-padded', () => {
      const [trace] = parseFile(path.join(sharedFixtures, 'jaeger-ui', 'spansAmongEachOtherGrouped.json')).traces;
      assert.equal(trace.traceId, '0df84e36b9e2ee3815d07f0867a5be1f');
    });
  });
});
