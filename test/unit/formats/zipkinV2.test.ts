import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { TraceParseError } from '../../../src/core/formats/traceParseError';
import { parseZipkinV2Document } from '../../../src/core/formats/zipkinV2';
import type { AnyValue, Span, Trace } from '../../../src/core/model/trace';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const ownFixtures = path.join(repoRoot, 'test', 'fixtures', 'own');
const sharedFixtures = path.resolve(repoRoot, '..', 'shared', 'fixtures', 'zipkin', 'api_v2');

function parseFile(file: string): { traces: Trace[]; warnings: string[] } {
  const warnings: string[] = [];
  const traces = parseZipkinV2Document(JSON.parse(readFileSync(file, 'utf8')), warnings);
  return { traces, warnings };
}

function attribute(span: Span, key: string): AnyValue | undefined {
  return span.attributes.find((candidate) => candidate.key === key)?.value;
}

describe('Zipkin v2 parser', () => {
  describe('own fixture (GET /api/v2/traces: a list of traces)', () => {
    const { traces, warnings } = parseFile(path.join(ownFixtures, 'zipkin-traces.json'));
    const [checkout, consume] = traces;
    const [root, client, server, reserve, leaf, producer] = checkout.spans;

    it('groups spans by normalized trace ID', () => {
      assert.deepEqual(
        traces.map((trace) => [trace.traceId, trace.spans.length]),
        [
          ['5aab74dbb904746bb33447baae403ed6', 6],
          ['00000000000000000000000000000fed', 1],
        ],
      );
      assert.equal(root.spanId, 'b33447baae403ed6');
      assert.equal(client.parentSpanId, 'b33447baae403ed6');
    });

    it('maps kinds; no kind is unspecified', () => {
      assert.deepEqual(
        checkout.spans.map((span) => span.kind),
        ['server', 'client', 'server', 'unspecified', 'unspecified', 'producer'],
      );
      assert.equal(consume.spans[0].kind, 'consumer');
    });

    it('converts microseconds to nanoseconds', () => {
      assert.equal(root.startTimeUnixNano, 1_700_000_000_000_000_000n);
      assert.equal(root.durationNano, 5_000_000n);
      assert.deepEqual(
        root.events.map((event) => [event.name, event.timeUnixNano]),
        [
          ['wr', 1_700_000_000_000_100_000n],
          ['ws', 1_700_000_000_004_900_000n],
        ],
      );
    });

    it('puts the local endpoint in the resource and the remote endpoint in attributes', () => {
      assert.equal(root.resource.serviceName, 'frontend');
      assert.deepEqual(root.resource.attributes, [
        { key: 'service.name', value: { type: 'string', value: 'frontend' } },
        {
          key: 'network.local.address',
          value: {
            type: 'array',
            value: [
              { type: 'string', value: '10.0.0.1' },
              { type: 'string', value: '2001:db8::1' },
            ],
          },
        },
        { key: 'network.local.port', value: { type: 'int', value: '8080' } },
      ]);
      assert.equal(client.resource, root.resource, 'equal endpoints share one Resource');
      assert.notEqual(server.resource, root.resource);
      assert.deepEqual(client.attributes, [
        { key: 'peer.service', value: { type: 'string', value: 'orders' } },
        { key: 'network.peer.address', value: { type: 'string', value: '10.0.0.2' } },
        { key: 'network.peer.port', value: { type: 'int', value: '9000' } },
      ]);
      assert.deepEqual(attribute(root, 'network.peer.address'), { type: 'string', value: '::1' });
      assert.deepEqual(attribute(root, 'http.path'), { type: 'string', value: '/checkout' });
    });

    it('reads the error tag as error status, its value as the message', () => {
      assert.deepEqual(client.status, { code: 'error' });
      assert.deepEqual(server.status, { code: 'error', message: 'insufficient stock' });
      assert.equal(attribute(server, 'error'), undefined);
      assert.deepEqual(root.status, { code: 'unset' });
    });

    it('dates spans without timestamp from annotations, else the parent', () => {
      assert.equal(reserve.startTimeUnixNano, 1_700_000_000_000_700_000n, 'earliest annotation');
      assert.equal(reserve.durationNano, 0n);
      assert.equal(leaf.startTimeUnixNano, reserve.startTimeUnixNano, 'undated parent resolved first');
      assert.equal(leaf.durationNano, 10_000n);
      assert.equal(producer.durationNano, 0n);
    });

    it('uses unknown_service without a local endpoint and reports each repair once', () => {
      assert.equal(consume.spans[0].resource.serviceName, 'unknown_service');
      assert.deepEqual(warnings, [
        '2 spans have no "timestamp"; placed at the earliest annotation, else the parent\'s or the trace\'s start',
        '2 spans have no "duration"; shown as 0',
        '1 span has no localEndpoint.serviceName; shown as "unknown_service"',
      ]);
    });
  });

  describe('shapes and bad input', () => {
    const span = { traceId: 'a', id: 'b', name: 'x', timestamp: 1, duration: 2, localEndpoint: { serviceName: 's' } };

    function parseError(doc: unknown): string {
      try {
        parseZipkinV2Document(doc, []);
      } catch (error) {
        assert.ok(error instanceof TraceParseError, `expected TraceParseError, got ${String(error)}`);
        return error.message;
      }
      assert.fail('expected a TraceParseError');
    }

    it('accepts one span object and an empty list', () => {
      const [trace] = parseZipkinV2Document(span, []);
      assert.equal(trace.spans[0].spanId, '000000000000000b');
      assert.deepEqual(parseZipkinV2Document([], []), []);
    });

    it('falls back to the trace start for an undated span without annotations or dated parent', () => {
      const [trace] = parseZipkinV2Document([span, { ...span, id: 'c', parentId: 'missing', timestamp: undefined }], []);
      assert.equal(trace.spans[1].startTimeUnixNano, 1000n);
    });

    it('treats a timestamp too large for a number as missing', () => {
      const warnings: string[] = [];
      const [trace] = parseZipkinV2Document(JSON.parse('[{"traceId":"a","id":"b","timestamp":1e400,"duration":1e400}]'), warnings);
      assert.equal(trace.spans[0].startTimeUnixNano, 0n);
      assert.equal(trace.spans[0].durationNano, 0n);
      assert.equal(warnings.length, 3);
    });

    it('does not loop on undated spans whose parents form a cycle', () => {
      const cycle = [
        { ...span, id: 'c', parentId: 'd', timestamp: undefined },
        { ...span, id: 'd', parentId: 'c', timestamp: undefined },
      ];
      const [trace] = parseZipkinV2Document(cycle, []);
      assert.deepEqual(
        trace.spans.map((candidate) => candidate.startTimeUnixNano),
        [0n, 0n],
      );
    });

    it('names the span and the missing field', () => {
      assert.equal(parseError([span, { ...span, id: undefined }]), '[1] is missing "id"');
      assert.equal(parseError([[span], [span, span, { ...span, traceId: '' }]]), '[1][2] is missing "traceId"');
      assert.match(parseError([[span], span]), /^\[1\] is not a list of spans/);
      assert.match(parseError([span, 'x']), /^\[1\] is not a Zipkin span object/);
      assert.match(parseError({ spans: [] }), /not a Zipkin v2 document/);
    });

    it('ignores unknown kinds, including prototype names', () => {
      const [trace] = parseZipkinV2Document([{ ...span, kind: 'constructor' }], []);
      assert.equal(trace.spans[0].kind, 'unspecified');
    });
  });

  describe('real fixtures', function () {
    before(function () {
      if (!existsSync(sharedFixtures)) this.skip();
    });

    // Span counts from the auto-check column of fixtures/README.md.
    const expectedSpanCounts: Record<string, number> = {
      'ascend.json': 8,
      'envoy.json': 1,
      'malformed-kong.json': 7,
      'messaging-kafka.json': 28,
      'messaging.json': 4,
      'messaging2.json': 11,
      'simple-db-p6.json': 5,
      'skew.json': 4,
      'smartthings-oauth-authorization.json': 175,
      'yelp.json': 16,
    };

    it('has a count for every trace fixture', () => {
      assert.deepEqual(readdirSync(path.join(sharedFixtures, 'trace')).sort(), Object.keys(expectedSpanCounts).sort());
    });

    for (const [file, spanCount] of Object.entries(expectedSpanCounts)) {
      it(`trace/${file}: one trace of ${spanCount} spans`, () => {
        const { traces } = parseFile(path.join(sharedFixtures, 'trace', file));
        assert.equal(traces.length, 1);
        assert.equal(traces[0].spans.length, spanCount);
      });
    }

    it('a /api/v2/traces body (the trace files joined in one list) keeps every trace apart', () => {
      const files = Object.keys(expectedSpanCounts);
      const body = files.map((file) => JSON.parse(readFileSync(path.join(sharedFixtures, 'trace', file), 'utf8')) as unknown);
      const traces = parseZipkinV2Document(body, []);
      assert.deepEqual(
        traces.map((trace) => trace.spans.length),
        files.map((file) => expectedSpanCounts[file]),
      );
    });

    it('messaging.json: 128-bit IDs, producer/consumer kinds, endpoints', () => {
      const [trace] = parseFile(path.join(sharedFixtures, 'trace', 'messaging.json')).traces;
      assert.equal(trace.traceId, '5aab74dbb904746bb33447baae403ed6');
      const [consumer, onMessage, producer, server] = trace.spans;
      assert.equal(consumer.kind, 'consumer');
      assert.equal(producer.kind, 'producer');
      assert.equal(onMessage.kind, 'unspecified');
      assert.equal(consumer.parentSpanId, '05e3ac9a4f6e3b90');
      assert.equal(consumer.startTimeUnixNano, 1_521_186_011_929_043_000n);
      assert.equal(consumer.durationNano, 14_000n);
      assert.deepEqual(attribute(consumer, 'peer.service'), { type: 'string', value: 'rabbitmq' });
      assert.deepEqual(attribute(server, 'network.peer.address'), { type: 'string', value: '::1' });
      assert.deepEqual(attribute(server, 'network.peer.port'), { type: 'int', value: '54602' });
      assert.deepEqual(consumer.resource.attributes[1], { key: 'network.local.address', value: { type: 'string', value: '192.168.0.10' } });
    });

    it('messaging-kafka.json: error tags, with and without message', () => {
      const [trace] = parseFile(path.join(sharedFixtures, 'trace', 'messaging-kafka.json')).traces;
      const errors = trace.spans.filter((span) => span.status.code === 'error');
      assert.deepEqual(
        errors.map((span) => span.status.message),
        ['some error', 'some error', undefined],
      );
    });

    it('spans-post.zipkin2-client.json: one span object with annotations', () => {
      const [trace] = parseFile(path.join(sharedFixtures, 'spans-post.zipkin2-client.json')).traces;
      const [span] = trace.spans;
      assert.equal(trace.traceId, '4d1e00c0db9010db86154a4ba6e91385');
      assert.equal(span.kind, 'client');
      assert.deepEqual(
        span.events.map((event) => [event.name, event.timeUnixNano]),
        [
          ['foo', 1_472_470_996_238_000_000n],
          ['bar', 1_472_470_996_403_000_000n],
        ],
      );
      assert.deepEqual(attribute(span, 'clnt/finagle.version'), { type: 'string', value: '6.45.0' });
    });

    it('spans-post.zipkin2-chinese.json: non-ASCII error message', () => {
      const [trace] = parseFile(path.join(sharedFixtures, 'spans-post.zipkin2-chinese.json')).traces;
      assert.deepEqual(trace.spans[0].status, { code: 'error', message: '此用户没有操作权限' });
    });

    it('envoy.json: no service name', () => {
      const { traces, warnings } = parseFile(path.join(sharedFixtures, 'trace', 'envoy.json'));
      assert.equal(traces[0].spans[0].resource.serviceName, 'unknown_service');
      assert.deepEqual(warnings, ['1 span has no localEndpoint.serviceName; shown as "unknown_service"']);
    });

    it('malformed-kong.json: missing durations become 0 with one warning', () => {
      const { traces, warnings } = parseFile(path.join(sharedFixtures, 'trace', 'malformed-kong.json'));
      const zero = traces[0].spans.filter((span) => span.durationNano === 0n).map((span) => span.name);
      assert.deepEqual(zero, ['kong.header_filter', 'kong.body_filter', 'kong.rewrite', 'kong.balancer']);
      assert.ok(warnings.includes('4 spans have no "duration"; shown as 0'));
      assert.equal(traces[0].spans[4].resource.serviceName, 'rewards');
    });

    it('skew.json: the shared server span keeps the client span ID', () => {
      const [trace] = parseFile(path.join(sharedFixtures, 'trace', 'skew.json')).traces;
      const shared = trace.spans.filter((span) => span.spanId === '74280ae0c10d8062');
      assert.deepEqual(
        shared.map((span) => [span.kind, span.resource.serviceName]),
        [
          ['server', 'serviceb'],
          ['client', 'servicea'],
        ],
      );
    });
  });
});
