import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { detectTraceFormat } from '../../../src/core/formats/detectFormat';
import { findJsonSyntaxProblem, lineAndColumn } from '../../../src/core/formats/jsonSyntaxError';
import { NO_SPANS_WARNING, parseTraceDocument, parseTraceText } from '../../../src/core/formats/parseTraceText';
import { TraceParseError } from '../../../src/core/formats/traceParseError';
import type { ParsedTraces, Span, TraceFormat } from '../../../src/core/model/trace';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const ownFixtures = path.join(repoRoot, 'test', 'fixtures', 'own');
const sharedFixtures = path.resolve(repoRoot, '..', 'shared', 'fixtures');

function parseFile(file: string): ParsedTraces {
  return parseTraceText(readFileSync(file, 'utf8'));
}

function spanCount(parsed: ParsedTraces): number {
  return parsed.traces.reduce((sum, trace) => sum + trace.spans.length, 0);
}

function allSpans(parsed: ParsedTraces): Span[] {
  return parsed.traces.flatMap((trace) => trace.spans);
}

function rejects(text: string, pattern: RegExp): void {
  assert.throws(
    () => parseTraceText(text),
    (error: unknown) => {
      assert.ok(error instanceof TraceParseError, `expected a TraceParseError, got ${String(error)}`);
      assert.match(error.message, pattern);
      return true;
    },
  );
}

/** Files of the shared fixtures folder that are not trace documents (API specs, manifests, other endpoints). */
function isNonTraceFixture(relative: string): boolean {
  const base = path.basename(relative);
  return (
    base.endsWith('.md') ||
    base.endsWith('.yaml') ||
    base === 'MANIFEST.json' ||
    base.endsWith('.manifest.json') ||
    base.endsWith('.openapi.json') ||
    base.startsWith('dependencies-data') ||
    base === 'GetServices.json' ||
    base === 'GetOperations.json' ||
    base === 'FindTraceSummaries.json'
  );
}

interface Expected {
  readonly format: TraceFormat;
  readonly traces: number;
  readonly spans: number;
}

// Span counts from the auto-check column of fixtures/README.md.
const SHARED_EXPECTED: Readonly<Record<string, Expected>> = {
  'jaeger/api_v1/anonymizer-ui-spans.trace_success.json': { format: 'jaeger-v1', traces: 1, spans: 2 },
  'jaeger/api_v1/jaeger-ui/TraceGraph-testTrace.json': { format: 'jaeger-v1', traces: 1, spans: 11 },
  'jaeger/api_v1/jaeger-ui/genaiTestTrace.json': { format: 'jaeger-v1', traces: 1, spans: 57 },
  'jaeger/api_v1/jaeger-ui/spanAmongEachOtherGroupedAndSpans.json': { format: 'jaeger-v1', traces: 1, spans: 17 },
  'jaeger/api_v1/jaeger-ui/spanLongerAsParent.json': { format: 'jaeger-v1', traces: 1, spans: 8 },
  'jaeger/api_v1/jaeger-ui/spansAmongEachOtherGrouped.json': { format: 'jaeger-v1', traces: 1, spans: 15 },
  'jaeger/api_v1/jaeger-ui/testTraceNormal.json': { format: 'jaeger-v1', traces: 1, spans: 5 },
  'jaeger/api_v1/jaeger-ui/traceWithOverlappingChildrenLongerThanParent.json': { format: 'jaeger-v1', traces: 1, spans: 4 },
  'jaeger/api_v1/jaeger-ui/traceWithSingleChildLongerThanParentAndStartsAfterParent.json': { format: 'jaeger-v1', traces: 1, spans: 2 },
  'jaeger/api_v1/trace-object.ui_01.json': { format: 'jaeger-v1', traces: 1, spans: 5 },
  'jaeger/api_v1/transform-request.otlp2jaeger-in.json': { format: 'otlp-json', traces: 1, spans: 2 },
  'jaeger/api_v1/transform-response.otlp2jaeger-out.json': { format: 'jaeger-v1', traces: 1, spans: 2 },
  'jaeger/api_v3/captured-hotrod/n_plus_one_full_concurrent.json': { format: 'otlp-json', traces: 1, spans: 40 },
  'jaeger/api_v3/captured-hotrod/n_plus_one_full_serial.json': { format: 'otlp-json', traces: 1, spans: 40 },
  'jaeger/api_v3/legacy-v1.53.0/FindTraces.json': { format: 'jaeger-v3', traces: 1, spans: 1 },
  'jaeger/api_v3/legacy-v1.53.0/GetTrace.json': { format: 'jaeger-v3', traces: 1, spans: 1 },
  'jaeger/api_v3/snapshots/FindTraces.json': { format: 'jaeger-v3', traces: 1, spans: 1 },
  'jaeger/api_v3/snapshots/GetTrace.json': { format: 'jaeger-v3', traces: 1, spans: 1 },
  'jaeger/api_v3/v1.54.0/GetTrace.json': { format: 'jaeger-v3', traces: 1, spans: 1 },
  'otlp/jaeger-integration-example_trace.json': { format: 'otlp-json', traces: 1, spans: 5 },
  'otlp/jaeger-integration-link_attributes_trace.json': { format: 'otlp-json', traces: 1, spans: 1 },
  'otlp/jaeger-integration-scope_attributes_trace.json': { format: 'otlp-json', traces: 1, spans: 1 },
  'otlp/jaeger-memory-otel_traces_01.json': { format: 'otlp-json', traces: 2, spans: 4 },
  'otlp/jaeger-ui-otlp2jaeger-in-error.json': { format: 'otlp-json', traces: 1, spans: 1 },
  'otlp/jaeger-ui-otlp2jaeger-multi-in-combined.json': { format: 'otlp-json', traces: 1, spans: 4 },
  'otlp/jaeger-ui-otlp2jaeger-multi-in.ndjson.txt': { format: 'otlp-jsonl', traces: 1, spans: 4 },
  'otlp/opentelemetry-proto-examples-trace.json': { format: 'otlp-json', traces: 1, spans: 1 },
  'tempo/apache-2.0/tempopb-trace.batches.json': { format: 'tempo-v1', traces: 1, spans: 1 },
  'zipkin/api_v2/spans-post.zipkin2-chinese.json': { format: 'zipkin-v2', traces: 1, spans: 1 },
  'zipkin/api_v2/spans-post.zipkin2-client.json': { format: 'zipkin-v2', traces: 1, spans: 1 },
  'zipkin/api_v2/trace/ascend.json': { format: 'zipkin-v2', traces: 1, spans: 8 },
  'zipkin/api_v2/trace/envoy.json': { format: 'zipkin-v2', traces: 1, spans: 1 },
  'zipkin/api_v2/trace/malformed-kong.json': { format: 'zipkin-v2', traces: 1, spans: 7 },
  'zipkin/api_v2/trace/messaging-kafka.json': { format: 'zipkin-v2', traces: 1, spans: 28 },
  'zipkin/api_v2/trace/messaging.json': { format: 'zipkin-v2', traces: 1, spans: 4 },
  'zipkin/api_v2/trace/messaging2.json': { format: 'zipkin-v2', traces: 1, spans: 11 },
  'zipkin/api_v2/trace/simple-db-p6.json': { format: 'zipkin-v2', traces: 1, spans: 5 },
  'zipkin/api_v2/trace/skew.json': { format: 'zipkin-v2', traces: 1, spans: 4 },
  'zipkin/api_v2/trace/smartthings-oauth-authorization.json': { format: 'zipkin-v2', traces: 1, spans: 175 },
  'zipkin/api_v2/trace/yelp.json': { format: 'zipkin-v2', traces: 1, spans: 16 },
};

const OWN_EXPECTED: Readonly<Record<string, Expected>> = {
  'tempo-v1-base64.json': { format: 'tempo-v1', traces: 1, spans: 3 },
  'tempo-v2-partial.json': { format: 'tempo-v2', traces: 1, spans: 2 },
  'otlp-int64-numbers.json': { format: 'otlp-json', traces: 1, spans: 2 },
  'otlp-instrumentation-library.json': { format: 'otlp-json', traces: 1, spans: 1 },
  'otlp-lines.jsonl': { format: 'otlp-jsonl', traces: 2, spans: 3 },
  'jaeger-v3-legacy-names.json': { format: 'jaeger-v3', traces: 1, spans: 2 },
  'jaeger-v1-envelope.json': { format: 'jaeger-v1', traces: 1, spans: 2 },
  'zipkin-v2-traces.json': { format: 'zipkin-v2', traces: 2, spans: 3 },
};

function listFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

describe('parseTraceText', () => {
  describe('own fixtures', () => {
    for (const [name, expected] of Object.entries(OWN_EXPECTED)) {
      it(`${name}: ${expected.format}, ${expected.traces} trace(s), ${expected.spans} spans`, () => {
        const parsed = parseFile(path.join(ownFixtures, name));
        assert.equal(parsed.format, expected.format);
        assert.equal(parsed.traces.length, expected.traces);
        assert.equal(spanCount(parsed), expected.spans);
      });
    }

    it('Tempo v1: base64 IDs, enum names, one resource per batch', () => {
      const parsed = parseFile(path.join(ownFixtures, 'tempo-v1-base64.json'));
      assert.deepEqual(parsed.warnings, []);
      const [checkout, select, charge] = allSpans(parsed);
      assert.equal(parsed.traces[0].traceId, '5b8efff798038103d269b633813fc700');
      assert.equal(checkout.spanId, 'eee19b7ec3c1b173');
      assert.equal(checkout.parentSpanId, undefined);
      assert.equal(select.parentSpanId, 'eee19b7ec3c1b173');
      assert.equal(charge.spanId, 'ffffffffffffffff');
      assert.deepEqual([checkout.kind, select.kind, charge.kind], ['server', 'client', 'server']);
      assert.deepEqual(checkout.status, { code: 'error', message: 'upstream failed' });
      assert.deepEqual(charge.status, { code: 'ok' });
      assert.equal(checkout.durationNano, 250_000_000n);
      assert.deepEqual(checkout.attributes[0], { key: 'http.response.status_code', value: { type: 'int', value: '500' } });
      assert.equal(select.events[0].timeUnixNano, 1700000000150000000n);
      assert.equal(checkout.resource, select.resource);
      assert.deepEqual([checkout.resource.serviceName, charge.resource.serviceName], ['shop-backend', 'payments']);
      assert.deepEqual(checkout.scope, { name: 'http-server', version: '2.1.0', attributes: [] });
    });

    it('Tempo v2: a PARTIAL status becomes a warning with the message', () => {
      const parsed = parseFile(path.join(ownFixtures, 'tempo-v2-partial.json'));
      assert.deepEqual(parsed.warnings, ['Tempo returned a partial trace: trace exceeds max size (max bytes: 5000000), partial trace returned']);
      assert.equal(parsed.traces[0].traceId, '0af7651916cd43dd8448eb211c80319c');
      assert.deepEqual(
        allSpans(parsed).map((span) => [span.spanId, span.parentSpanId, span.kind]),
        [
          ['b7ad6b7169203331', undefined, 'server'],
          ['00f067aa0ba902b7', 'b7ad6b7169203331', 'internal'],
        ],
      );
    });

    it('JSON Lines: merges a trace split across lines, in order of first appearance', () => {
      const parsed = parseFile(path.join(ownFixtures, 'otlp-lines.jsonl'));
      assert.deepEqual(
        parsed.traces.map((trace) => [trace.traceId, trace.spans.map((span) => span.spanId)]),
        [
          ['11111111111111111111111111111111', ['1111111111111111', '1111111111111112']],
          ['22222222222222222222222222222222', ['2222222222222222']],
        ],
      );
      assert.equal(parsed.traces[0].spans[1].resource.serviceName, 'backend');
    });

    it('Jaeger v1 and Zipkin documents go to their parsers, microseconds become nanoseconds', () => {
      const jaeger = parseFile(path.join(ownFixtures, 'jaeger-v1-envelope.json'));
      assert.equal(jaeger.traces[0].traceId, '00000000000000003f2a1b0c4d5e6f70');
      assert.equal(jaeger.traces[0].spans[0].startTimeUnixNano, 1700000006000000000n);
      assert.equal(jaeger.traces[0].spans[0].durationNano, 45_000_000n);
      assert.equal(jaeger.traces[0].spans[1].parentSpanId, 'a1b2c3d4e5f60718');
      const zipkin = parseFile(path.join(ownFixtures, 'zipkin-v2-traces.json'));
      assert.equal(zipkin.traces[0].traceId, '000000000000000086154a4ba6e91385');
      assert.equal(zipkin.traces[0].spans[1].durationNano, 15_000_000n);
      assert.equal(zipkin.traces[1].traceId, '463ac35c9f6413ad48485a3953bb6124');
    });

    it('Jaeger api_v3 legacy spelling equals the current one', () => {
      const legacy = allSpans(parseFile(path.join(ownFixtures, 'jaeger-v3-legacy-names.json')));
      assert.deepEqual(
        legacy.map((span) => [span.traceId, span.spanId, span.parentSpanId, span.kind, span.status.code]),
        [
          ['5b8efff798038103d269b633813fc700', 'eee19b7ec3c1b173', undefined, 'server', 'error'],
          ['5b8efff798038103d269b633813fc700', 'eee19b7ec3c1b174', 'eee19b7ec3c1b173', 'client', 'unset'],
        ],
      );
    });

    it('error envelopes become errors carrying the server message', () => {
      rejects(readFileSync(path.join(ownFixtures, 'jaeger-v3-error.json'), 'utf8'), /^Jaeger API v3 returned an error \(HTTP 404\): No traces found$/);
      rejects(readFileSync(path.join(ownFixtures, 'jaeger-v1-not-found.json'), 'utf8'), /^Jaeger returned an error: trace not found \(HTTP 404\)$/);
    });
  });

  describe('shared fixtures', function () {
    before(function () {
      if (!existsSync(sharedFixtures)) this.skip();
    });

    it('covers every trace file of the shared fixtures folder', function () {
      if (!existsSync(sharedFixtures)) this.skip();
      const traceFiles = listFiles(sharedFixtures).filter((file) => !isNonTraceFixture(file));
      assert.deepEqual(traceFiles, Object.keys(SHARED_EXPECTED).sort());
    });

    for (const [file, expected] of Object.entries(SHARED_EXPECTED)) {
      it(`${file}: ${expected.format}, ${expected.spans} spans`, () => {
        const parsed = parseFile(path.join(sharedFixtures, file));
        assert.equal(parsed.format, expected.format);
        assert.equal(parsed.traces.length, expected.traces);
        assert.equal(spanCount(parsed), expected.spans);
        for (const span of allSpans(parsed)) {
          assert.match(span.traceId, /^[0-9a-f]{32}$|^[0-9a-z-]+$/);
          assert.ok(span.durationNano >= 0n);
        }
      });
    }

    it('rejects the non-trace JSON files, naming what was found', function () {
      if (!existsSync(sharedFixtures)) this.skip();
      for (const file of ['jaeger/api_v3/snapshots/GetServices.json', 'jaeger/api_v3/snapshots/FindTraceSummaries.json']) {
        rejects(readFileSync(path.join(sharedFixtures, file), 'utf8'), /^unrecognized trace format: found an object with the keys "(services|summaries)"\. Supported formats: /);
      }
      rejects(
        readFileSync(path.join(sharedFixtures, 'jaeger/api_v1/dependencies-data.small.json'), 'utf8'),
        /found an array whose first element has the keys "parent", "child", "callCount"/,
      );
    });

    it('Jaeger api_v3 ≤ v1.53 (base64, enum names) and ≥ v1.54 (hex, integers) give the same span', () => {
      const legacy = parseFile(path.join(sharedFixtures, 'jaeger/api_v3/legacy-v1.53.0/GetTrace.json'));
      const current = parseFile(path.join(sharedFixtures, 'jaeger/api_v3/v1.54.0/GetTrace.json'));
      const span = allSpans(legacy)[0];
      assert.equal(span.traceId, '000000000000009600000000000000a0');
      assert.equal(span.spanId, '00000000000000b4');
      assert.equal(span.parentSpanId, undefined);
      assert.equal(span.kind, 'server');
      assert.equal(span.status.code, 'error');
      assert.equal(span.startTimeUnixNano, 11651379494838206464n);
      assert.deepEqual(allSpans(current), allSpans(legacy));
    });

    it('Jaeger api_v3 snapshots omit zero times; the span still opens, with warnings', () => {
      const parsed = parseFile(path.join(sharedFixtures, 'jaeger/api_v3/snapshots/GetTrace.json'));
      const span = allSpans(parsed)[0];
      assert.equal(span.traceId, '00000000000000000000000000000001');
      assert.equal(span.startTimeUnixNano, 0n);
      assert.equal(span.durationNano, 0n);
      assert.equal(span.resource.serviceName, 'unknown_service');
      assert.equal(parsed.warnings.length, 3);
    });

    it('OTLP example: upper-case hex lowercased, server kind, 1 s duration; Tempo v1 body of it is equal', () => {
      const otlp = parseFile(path.join(sharedFixtures, 'otlp/opentelemetry-proto-examples-trace.json'));
      const tempo = parseFile(path.join(sharedFixtures, 'tempo/apache-2.0/tempopb-trace.batches.json'));
      const span = allSpans(otlp)[0];
      assert.equal(span.traceId, '5b8efff798038103d269b633813fc60c');
      assert.equal(span.spanId, 'eee19b7ec3c1b174');
      assert.equal(span.parentSpanId, 'eee19b7ec3c1b173');
      assert.equal(span.kind, 'server');
      assert.equal(span.durationNano, 1_000_000_000n);
      assert.equal(span.resource.serviceName, 'my.service');
      assert.deepEqual(span.scope, {
        name: 'my.library',
        version: '1.0.0',
        attributes: [{ key: 'my.scope.attribute', value: { type: 'string', value: 'some scope attribute' } }],
      });
      assert.deepEqual(allSpans(tempo), allSpans(otlp));
    });

    it('the same trace as OTLP (transform request) and as Jaeger v1 (transform response) agrees', () => {
      const otlp = allSpans(parseFile(path.join(sharedFixtures, 'jaeger/api_v1/transform-request.otlp2jaeger-in.json')))[0];
      const jaeger = allSpans(parseFile(path.join(sharedFixtures, 'jaeger/api_v1/transform-response.otlp2jaeger-out.json')))[0];
      for (const span of [otlp, jaeger]) {
        assert.equal(span.traceId, '83a9efd15c1c98a977e0711cc93ee28b');
        assert.equal(span.spanId, 'e127af99e3b3e074');
        assert.equal(span.parentSpanId, '909541b92cf05311');
        assert.equal(span.startTimeUnixNano, 1706678909209712000n);
        assert.equal(span.durationNano, 123_000n);
        assert.equal(span.kind, 'server');
        assert.equal(span.resource.serviceName, 'telemetrygen');
        assert.equal(span.scope.name, 'telemetrygen');
      }
    });

    it('JSON Lines and the same lines merged into one document give the same spans', () => {
      const lines = parseFile(path.join(sharedFixtures, 'otlp/jaeger-ui-otlp2jaeger-multi-in.ndjson.txt'));
      const combined = parseFile(path.join(sharedFixtures, 'otlp/jaeger-ui-otlp2jaeger-multi-in-combined.json'));
      const project = (parsed: ParsedTraces): unknown[] =>
        allSpans(parsed).map((span) => [span.spanId, span.parentSpanId, span.startTimeUnixNano, span.durationNano, span.scope.name]);
      assert.deepEqual(project(lines), project(combined));
      const main = allSpans(lines).find((span) => span.name === 'main');
      assert.equal(main?.parentSpanId, undefined);
      assert.equal(main?.durationNano, 1711138247116321958n - 1711138246940000000n);
    });

    it('captured HotROD trace: six services, one root, three error spans', () => {
      const spans = allSpans(parseFile(path.join(sharedFixtures, 'jaeger/api_v3/captured-hotrod/n_plus_one_full_serial.json')));
      assert.deepEqual([...new Set(spans.map((span) => span.resource.serviceName))].sort(), [
        'customer',
        'driver',
        'frontend',
        'mysql',
        'redis-manual',
        'route',
      ]);
      assert.deepEqual(
        spans.filter((span) => span.parentSpanId === undefined).map((span) => span.name),
        ['GET /dispatch'],
      );
      assert.equal(spans.filter((span) => span.status.code === 'error').length, 3);
    });

    it('OTLP memory fixture: spans grouped into two traces, kinds as integers, trace state, links', () => {
      const parsed = parseFile(path.join(sharedFixtures, 'otlp/jaeger-memory-otel_traces_01.json'));
      assert.deepEqual(
        parsed.traces.map((trace) => trace.traceId),
        ['00000000000000010000000000000000', '00000000000000020000000000000000'],
      );
      const spans = allSpans(parsed);
      assert.deepEqual(
        spans.map((span) => span.kind),
        ['server', 'producer', 'client', 'consumer'],
      );
      assert.equal(spans[0].traceState, 'state.2');
      assert.equal(spans[0].links.length, 2);
      assert.equal(spans[0].links[1].traceId, '00000000000000ff0000000000000000');
      assert.deepEqual(spans[0].attributes[2], { key: 'blob', value: { type: 'bytes', value: 'AAAwOQ==' } });
    });

    it('OTLP without service.name: unknown_service and a warning', () => {
      const parsed = parseFile(path.join(sharedFixtures, 'otlp/jaeger-ui-otlp2jaeger-in-error.json'));
      assert.equal(allSpans(parsed)[0].resource.serviceName, 'unknown_service');
      assert.match(parsed.warnings[0], /no "service.name"/);
    });

    it('Zipkin: microseconds to nanoseconds', () => {
      const span = allSpans(parseFile(path.join(sharedFixtures, 'zipkin/api_v2/trace/yelp.json')))[0];
      assert.equal(span.traceId, '0000000000000000a03ee8fff1dcd9b9');
      assert.equal(span.startTimeUnixNano, 1571896375322000000n);
      assert.equal(span.durationNano, 14_000_000n);
      assert.equal(span.kind, 'client');
    });
  });

  describe('format detection', () => {
    const otlp = { resourceSpans: [] };
    it('recognizes each envelope', () => {
      assert.equal(detectTraceFormat({ data: [] }).format, 'jaeger-v1');
      assert.equal(detectTraceFormat({ traceID: 'a', spans: [], processes: {} }).format, 'jaeger-v1');
      assert.equal(detectTraceFormat([{ traceID: 'a', spanID: 'b', process: {} }]).format, 'jaeger-v1');
      assert.equal(detectTraceFormat([{ traceID: 'a', spans: [], processes: {} }]).format, 'jaeger-v1');
      assert.equal(detectTraceFormat({ result: otlp }).format, 'jaeger-v3');
      assert.equal(detectTraceFormat(otlp).format, 'otlp-json');
      assert.equal(detectTraceFormat({ batches: [] }).format, 'tempo-v1');
      assert.equal(detectTraceFormat({ trace: otlp }).format, 'tempo-v2');
      assert.equal(detectTraceFormat([{ traceId: 'a', id: 'b' }]).format, 'zipkin-v2');
      assert.equal(detectTraceFormat([[{ traceId: 'a', id: 'b' }]]).format, 'zipkin-v2');
      assert.equal(detectTraceFormat({ traceId: 'a', id: 'b' }).format, 'zipkin-v2');
    });

    it('hands the OTLP parsers the part inside the envelope, with its path', () => {
      const detected = detectTraceFormat({ trace: otlp, status: 'PARTIAL', message: 'pruned' });
      assert.equal(detected.payload, otlp);
      assert.equal(detected.payloadPath, 'trace');
      assert.deepEqual(detected.notices, ['Tempo returned a partial trace: pruned']);
    });

    it('names spans inside envelopes by their full path', () => {
      const bad = { resourceSpans: [{ scopeSpans: [{ spans: [{ spanId: 'eee19b7ec3c1b174', startTimeUnixNano: '1' }] }] }] };
      assert.throws(() => parseTraceDocument({ result: bad }), /^TraceParseError: result\.resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\] is missing "traceId"$/);
      assert.throws(() => parseTraceDocument({ trace: bad }), /trace\.resourceSpans\[0\]/);
      assert.throws(() => parseTraceDocument({ batches: bad.resourceSpans }), /batches\[0\]\.scopeSpans\[0\]\.spans\[0\]/);
    });
  });

  describe('bad and empty input', () => {
    it('reports JSON syntax errors with line and column', () => {
      rejects('{\n  "resourceSpans": [\n    {"x": tru}\n  ]\n}', /^not JSON: Unexpected token '}' at line 3 column 14$/);
      rejects('{"a":1,}', /^not JSON: Unexpected token '}' at line 1 column 8$/);
      rejects('hello', /^not JSON: Unexpected token 'h' at line 1 column 1$/);
      rejects('{"resourceSpans": [', /^not JSON: Unexpected end of input at line 1 column 20$/);
      rejects('{"a":"b\u0001"}', /^not JSON: Unescaped control character in string at line 1 column 8$/);
    });

    it('locates errors the same way for every kind of JSON mistake', () => {
      const valid = ['{}', '[]', '[1, -2.5e+3, "x\\u00e9\\n", true, false, null, {"a": [{}]}]', ' "s" '];
      for (const text of valid) assert.equal(findJsonSyntaxProblem(text), undefined, text);
      assert.deepEqual(findJsonSyntaxProblem('[01]'), { position: 2, reason: "Unexpected token '1'" });
      assert.deepEqual(findJsonSyntaxProblem('{"a" 1}'), { position: 5, reason: "Unexpected token '1'" });
      assert.deepEqual(findJsonSyntaxProblem('"\\x"'), { position: 2, reason: 'Bad escaped character in string' });
      assert.deepEqual(findJsonSyntaxProblem('[1] 2'), { position: 4, reason: "Unexpected token '2'" });
      assert.deepEqual(findJsonSyntaxProblem('"abc'), { position: 4, reason: 'Unterminated string' });
      assert.deepEqual(lineAndColumn('a\nbc\nd', 4), { line: 2, column: 3 });
      const deep = '['.repeat(200_000);
      assert.deepEqual(findJsonSyntaxProblem(deep), { position: 200_000, reason: 'Unexpected end of input' });
    });

    it('explains an empty file', () => {
      rejects('', /^the file is empty$/);
      rejects('\ufeff', /^the file is empty$/);
      rejects(' \n\t\n', /^the file holds only whitespace$/);
    });

    it('strips a UTF-8 byte order mark', () => {
      const parsed = parseTraceText(`\ufeff${readFileSync(path.join(ownFixtures, 'tempo-v1-base64.json'), 'utf8')}`);
      assert.equal(parsed.format, 'tempo-v1');
    });

    it('lists the supported formats and the keys found for an unknown shape', () => {
      rejects(
        '{"services":["a"],"total":1}',
        /^unrecognized trace format: found an object with the keys "services", "total"\. Supported formats: Jaeger query API v1 JSON .*Jaeger API v3 .*OTLP JSON .*JSON Lines, Zipkin v2 JSON .*Tempo trace JSON v1 .*v2/,
      );
      rejects('42', /^unrecognized trace format: the document is a number\. Supported formats/);
      rejects('[1,2]', /found an array whose first element is a number/);
    });

    it('treats a valid document without spans as empty, with a warning', () => {
      for (const text of ['{}', '{"resourceSpans":[]}', '{"result":{}}', '{"batches":[]}', '{"trace":{}}', '[]', '{"data":[]}', '{"data":null}']) {
        const parsed = parseTraceText(text);
        assert.deepEqual(parsed.traces, [], text);
        assert.deepEqual(parsed.warnings, [NO_SPANS_WARNING], text);
      }
    });

    it('JSON Lines: a bad line is named by number; a non-OTLP line is refused', () => {
      const line = '{"resourceSpans":[]}';
      rejects(`${line}\n${line}\n{"resourceSpans": oops}\n`, /^line 3 of the JSON Lines file is not JSON: Unexpected token 'o' at column 19$/);
      rejects(`${line}\n[1]\n`, /^line 2 of the JSON Lines file is an array without "resourceSpans"/);
      rejects(`{"a":1}\n{"b":2}\n`, /^not JSON: Unexpected token '\{' at line 2 column 1$/);
      const spanLine = (id: string): string =>
        `{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"11111111111111111111111111111111","spanId":"${id}","startTimeUnixNano":"1","endTimeUnixNano":"2"}]}]}]}`;
      rejects(`${spanLine('1111111111111111')}\n${spanLine('')}`, /^line 2: resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\] is missing "spanId"$/);
      assert.deepEqual(parseTraceText(`${line}\r\n${line}\r\n`), { format: 'otlp-jsonl', traces: [], warnings: [NO_SPANS_WARNING] });
    });
  });
});
