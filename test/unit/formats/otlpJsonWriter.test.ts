import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { OtlpWriteError, writeOtlpJson } from '../../../src/core/formats/otlpJsonWriter';
import { parseTraceText } from '../../../src/core/formats/parseTraceText';
import type { ParsedTraces, Span, Trace } from '../../../src/core/model/trace';
import { EMPTY_SCOPE } from '../../../src/core/model/trace';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const ownFixtures = path.join(repoRoot, 'test', 'fixtures', 'own');
const sharedFixtures = path.resolve(repoRoot, '..', 'shared', 'fixtures');

/** Every file that parses as traces, under `root`. */
function traceFiles(root: string): { file: string; parsed: ParsedTraces }[] {
  if (!existsSync(root)) return [];
  const files: { file: string; parsed: ParsedTraces }[] = [];
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.(json|jsonl|txt)$/.test(entry.name)) continue;
    const file = path.join(entry.parentPath, entry.name);
    try {
      files.push({ file: path.relative(root, file), parsed: parseTraceText(readFileSync(file, 'utf8')) });
    } catch {
      // Not a trace document (specs, manifests, error envelopes); parseTraceText's tests cover those.
    }
  }
  return files;
}

function hasHexIds(trace: Trace): boolean {
  return trace.spans.every((span) => /^[0-9a-f]{32}$/.test(span.traceId) && /^[0-9a-f]{16}$/.test(span.spanId));
}

// Jaeger and Zipkin name the service outside the attributes; the writer adds `service.name` for them.
// An absent optional field and one set to undefined mean the same.
function comparable(span: Span): unknown {
  const attributes = span.resource.attributes.filter((attribute) => attribute.key !== 'service.name');
  const { traceState, ...rest } = span;
  return { ...rest, traceState: traceState ?? null, resource: { serviceName: span.resource.serviceName, attributes } };
}

interface WrittenSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  kind?: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  status?: { code?: number; message?: string };
  attributes?: { key: string; value: Record<string, unknown> }[];
  events?: { timeUnixNano: string; name: string }[];
  links?: { traceId: string; spanId: string; traceState?: string }[];
  traceState?: string;
}

interface WrittenDocument {
  resourceSpans: {
    resource: { attributes: { key: string; value: Record<string, unknown> }[] };
    scopeSpans: { scope?: { name?: string; version?: string }; spans: WrittenSpan[] }[];
  }[];
}

function write(file: string): WrittenDocument {
  return JSON.parse(writeOtlpJson(parseTraceText(readFileSync(path.join(ownFixtures, file), 'utf8')).traces)) as WrittenDocument;
}

describe('OTLP JSON writer', () => {
  describe('round trip: parse, write, parse again gives the same spans', () => {
    const all = [...traceFiles(ownFixtures).map((entry) => ({ ...entry, file: `own/${entry.file}` }))];
    all.push(...traceFiles(sharedFixtures).map((entry) => ({ ...entry, file: `shared/${entry.file}` })));

    it('found fixtures to round-trip', () => {
      assert.ok(all.length >= 10, `only ${all.length} fixtures`);
    });

    for (const { file, parsed } of all) {
      if (!parsed.traces.every(hasHexIds)) continue;
      it(file, () => {
        const again = parseTraceText(writeOtlpJson(parsed.traces));
        assert.equal(again.format, 'otlp-json');
        assert.deepEqual(
          again.traces.map((trace) => trace.traceId).sort(),
          parsed.traces.map((trace) => trace.traceId).sort(),
        );
        const byId = new Map(again.traces.map((trace) => [trace.traceId, trace]));
        for (const trace of parsed.traces) {
          const rewritten = byId.get(trace.traceId)?.spans ?? [];
          assert.equal(rewritten.length, trace.spans.length);
          // Spans are regrouped by resource and scope, so compare as sets in the original order.
          const key = (span: Span): string => `${span.spanId}/${span.startTimeUnixNano}/${span.name}/${span.resource.serviceName}`;
          const remaining = new Map<string, Span[]>();
          for (const span of rewritten) remaining.set(key(span), [...(remaining.get(key(span)) ?? []), span]);
          for (const span of trace.spans) {
            const match = remaining.get(key(span))?.shift();
            assert.ok(match, `span ${span.spanId} lost`);
            assert.deepEqual(comparable(match), comparable(span));
          }
        }
      });
    }

    it('an OTLP source survives exactly, shared resource and scope objects included', () => {
      const parsed = parseTraceText(readFileSync(path.join(ownFixtures, 'otlp-int64-numbers.json'), 'utf8'));
      const again = parseTraceText(writeOtlpJson(parsed.traces));
      assert.deepEqual(again.traces, parsed.traces);
      assert.equal(again.traces[0].spans[0].resource, again.traces[0].spans[1].resource);
      assert.equal(again.traces[0].spans[0].scope, again.traces[0].spans[1].scope);
    });
  });

  describe('spec OTLP JSON', () => {
    it('writes hex IDs, integer enums and int64 as decimal strings', () => {
      const [server, client] = write('tempo-v1-base64.json').resourceSpans[0].scopeSpans[0].spans;
      assert.equal(server.traceId, '5b8efff798038103d269b633813fc700');
      assert.equal(server.spanId, 'eee19b7ec3c1b173');
      assert.equal(server.parentSpanId, undefined);
      assert.equal(client.parentSpanId, 'eee19b7ec3c1b173');
      assert.equal(server.kind, 2);
      assert.equal(client.kind, 3);
      assert.deepEqual(server.status, { code: 2, message: 'upstream failed' });
      assert.equal(client.status, undefined);
      assert.equal(server.startTimeUnixNano, '1700000000100000000');
      assert.equal(server.endTimeUnixNano, '1700000000350000000');
      assert.deepEqual(server.attributes?.[0], { key: 'http.response.status_code', value: { intValue: '500' } });
      assert.deepEqual(client.events, [{ timeUnixNano: '1700000000150000000', name: 'retry', attributes: [{ key: 'attempt', value: { intValue: '2' } }] }]);
    });

    it('groups spans by resource, then scope, in order of first appearance', () => {
      const written = write('tempo-v1-base64.json');
      assert.deepEqual(
        written.resourceSpans.map((resourceSpans) => [
          resourceSpans.resource.attributes.map((attribute) => attribute.value.stringValue),
          resourceSpans.scopeSpans.map((scopeSpans) => [scopeSpans.scope, scopeSpans.spans.length]),
        ]),
        [
          [['shop-backend', 'node-7'], [[{ name: 'http-server', version: '2.1.0' }, 2]]],
          [['payments'], [[{ name: 'grpc' }, 1]]],
        ],
      );
    });

    it('writes every AnyValue type, links with trace state, and span trace state', () => {
      const [reserve] = write('otlp-int64-numbers.json').resourceSpans[0].scopeSpans[0].spans;
      assert.equal(reserve.traceState, 'vendor=a1');
      assert.deepEqual(reserve.links, [
        {
          traceId: '0af7651916cd43dd8448eb211c80319c',
          spanId: 'b7ad6b7169203331',
          traceState: 'vendor=b2',
          attributes: [{ key: 'link.reason', value: { stringValue: 'batch' } }],
        },
      ]);
      assert.deepEqual(
        reserve.attributes?.map((attribute) => attribute.value),
        [
          { intValue: '3' },
          { doubleValue: 0.25 },
          { boolValue: false },
          { arrayValue: { values: [{ stringValue: 'A-1' }, { intValue: '42' }] } },
          { kvlistValue: { values: [{ key: 'w', value: { doubleValue: 1.5 } }, { key: 'h', value: {} }] } },
          { bytesValue: 'AAAwOQ==' },
        ],
      );
    });

    it('spells non-finite doubles as proto3 JSON strings', () => {
      const span: Span = {
        traceId: '0af7651916cd43dd8448eb211c80319c',
        spanId: 'b7ad6b7169203331',
        parentSpanId: undefined,
        name: 'x',
        kind: 'internal',
        status: { code: 'unset' },
        startTimeUnixNano: 5n,
        durationNano: 0n,
        attributes: [
          { key: 'nan', value: { type: 'double', value: Number.NaN } },
          { key: 'inf', value: { type: 'double', value: Number.NEGATIVE_INFINITY } },
        ],
        events: [],
        links: [],
        resource: { serviceName: 'svc', attributes: [] },
        scope: EMPTY_SCOPE,
      };
      const written = JSON.parse(writeOtlpJson([{ traceId: span.traceId, spans: [span] }])) as WrittenDocument;
      const out = written.resourceSpans[0];
      assert.deepEqual(out.resource.attributes, [{ key: 'service.name', value: { stringValue: 'svc' } }]);
      assert.equal(out.scopeSpans[0].scope, undefined);
      assert.deepEqual(
        out.scopeSpans[0].spans[0].attributes?.map((attribute) => attribute.value),
        [{ doubleValue: 'NaN' }, { doubleValue: '-Infinity' }],
      );
      const again = parseTraceText(JSON.stringify(written)).traces[0].spans[0];
      assert.ok(again.attributes[0].value.type === 'double' && Number.isNaN(again.attributes[0].value.value));
    });

    it('refuses IDs that are not hex instead of writing invalid OTLP', function () {
      const file = path.join(sharedFixtures, 'jaeger/api_v1/jaeger-ui/TraceGraph-testTrace.json');
      if (!existsSync(file)) this.skip();
      const parsed = parseTraceText(readFileSync(file, 'utf8'));
      assert.throws(() => writeOtlpJson(parsed.traces), (error: unknown) => error instanceof OtlpWriteError && /is not 32 hex digits/.test(error.message));
    });

    it('writes an empty document for no traces', () => {
      assert.equal(writeOtlpJson([]), '{"resourceSpans":[]}');
    });
  });
});
