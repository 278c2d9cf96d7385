import { strict as assert } from 'node:assert';
import { rejection } from '../../support/backendRejection';
import { createBackend } from '../../../src/core/backends/createBackend';
import type { BackendConfig } from '../../../src/core/backends/createBackend';
import type { TraceBackend } from '../../../src/core/backends/traceBackend';
import { respond } from '../../support/backendServers/faults';
import { startFakeTempo } from '../../support/backendServers/fakeTempo';
import type { FakeTempoOptions } from '../../support/backendServers/fakeTempo';
import { exampleOtlpTrace, HOTROD_SERIAL_TRACE_ID, hotrodTraces } from '../../support/backendServers/fixtureData';
import type { RecordingServer } from '../../support/backendServers/recordingServer';

const FAST = { connectMillis: 500, headersMillis: 2000, bodyMillis: 2000 };
const NOW = Date.parse('2026-08-19T10:00:00Z');
const WINDOW = { startUnixMillis: Date.parse('2026-08-19T09:30:00Z'), endUnixMillis: Date.parse('2026-08-19T10:00:00Z') };

/** A trace whose names and values need escaping in TraceQL. */
const AWKWARD_TRACE_ID = '0000000000000000000000000000abcd';
const AWKWARD_START = 1787132400000000000n;
function awkwardTrace(): unknown {
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'checkout "eu"' } }] },
        scopeSpans: [
          {
            scope: {},
            spans: [
              {
                traceId: AWKWARD_TRACE_ID,
                spanId: '00000000000000a1',
                name: 'GET /a\\b',
                kind: 2,
                startTimeUnixNano: String(AWKWARD_START),
                endTimeUnixNano: String(AWKWARD_START + 250_000_000n),
                attributes: [
                  { key: 'note', value: { stringValue: 'say "hi"\n\\ok' } },
                  { key: 'user id', value: { stringValue: 'u 1' } },
                  { key: 'http.response.status_code', value: { intValue: '200' } },
                ],
                status: {},
              },
            ],
          },
        ],
      },
    ],
  };
}

describe('TempoClient', () => {
  let server: RecordingServer;
  let backend: TraceBackend;

  async function start(options: FakeTempoOptions = {}, config: Partial<BackendConfig> = {}): Promise<void> {
    server = await startFakeTempo({ traces: [...hotrodTraces(), exampleOtlpTrace(), awkwardTrace()], ...options });
    backend = createBackend({ type: 'tempo', url: server.url, timeouts: FAST, ...config }, () => NOW);
  }

  afterEach(async () => {
    await backend.dispose();
    await server.close();
  });

  describe('current Tempo', () => {
    beforeEach(() => start({}, { tenant: 'team-a' }));

    it('fetches a trace by ID from /api/v2/traces with unix-second hints and X-Scope-OrgID', async () => {
      const fetched = await backend.getTrace(HOTROD_SERIAL_TRACE_ID, WINDOW);
      assert.equal(fetched.format, 'tempo-v2');
      assert.equal(fetched.trace.traceId, HOTROD_SERIAL_TRACE_ID);
      assert.equal(fetched.trace.spans.length, 40);
      const [request] = server.requests;
      assert.equal(request.path, `/api/v2/traces/${HOTROD_SERIAL_TRACE_ID}`);
      assert.equal(request.query.get('start'), String(WINDOW.startUnixMillis / 1000));
      assert.equal(request.query.get('end'), String(WINDOW.endUnixMillis / 1000));
      assert.equal(request.headers['x-scope-orgid'], 'team-a');
      assert.equal(request.headers.accept, 'application/json');
    });

    it('tries v1 after a v2 404 and then says the trace was not found', async () => {
      const error = await rejection(backend.getTrace('4bf92f3577b34da6a3ce929d0e0e4736'));
      assert.equal(error.kind, 'notFound');
      assert.equal(error.message, `Trace 4bf92f3577b34da6a3ce929d0e0e4736 was not found in Tempo at ${server.url}`);
      assert.deepEqual(
        server.requests.map((request) => request.path),
        ['/api/v2/traces/4bf92f3577b34da6a3ce929d0e0e4736', '/api/traces/4bf92f3577b34da6a3ce929d0e0e4736'],
      );
    });

    it('builds a TraceQL spanset filter from the structured fields and sends unix seconds', async () => {
      const result = await backend.searchTraces({
        service: 'frontend',
        operation: 'HTTP GET',
        minDurationNano: 100_000_000n,
        maxDurationNano: 1_500_000_000n,
        attributes: { 'http.response.status_code': '200' },
        limit: 10,
        spansPerSpanSet: 2,
        ...WINDOW,
      });
      const request = server.requestsTo('/api/search')[0];
      assert.deepEqual(Object.fromEntries(request.query), {
        q:
          '{ resource.service.name = "frontend" && name = "HTTP GET" && ' +
          '(.http.response.status_code = 200 || .http.response.status_code = "200") && duration >= 100ms && duration <= 1500ms }',
        start: String(WINDOW.startUnixMillis / 1000),
        end: String(WINDOW.endUnixMillis / 1000),
        limit: '10',
        spss: '2',
      });
      assert.deepEqual(
        result.summaries.map((summary) => summary.traceId),
        [HOTROD_SERIAL_TRACE_ID, '1a4e4a7b270e9f2a0f716e3ee115218a'],
      );
      const [serial] = result.summaries;
      assert.equal(serial.rootServiceName, 'frontend');
      assert.equal(serial.rootSpanName, 'GET /dispatch');
      assert.equal(serial.startTimeUnixNano, 1787132458639880223n);
      assert.equal(serial.durationNano, 1_116_000_000n, 'Tempo reports whole milliseconds');
      assert.equal(serial.spanCount, 40);
      assert.ok((serial.errorCount ?? 0) > 0);
      assert.equal(serial.matchedSpans.length, 1);
      assert.equal(serial.matchedSpans[0].name, 'HTTP GET');
      assert.equal(serial.matchedSpans[0].attributes['http.response.status_code'], 200);
    });

    it('escapes quotes, backslashes, newlines and odd attribute names so the query matches exactly', async () => {
      const result = await backend.searchTraces({
        service: 'checkout "eu"',
        operation: 'GET /a\\b',
        attributes: { note: 'say "hi"\n\\ok', 'user id': 'u 1' },
        ...WINDOW,
      });
      assert.equal(
        server.requestsTo('/api/search')[0].query.get('q'),
        '{ resource.service.name = "checkout \\"eu\\"" && name = "GET /a\\\\b" && .note = "say \\"hi\\"\\n\\\\ok" && ."user id" = "u 1" }',
      );
      assert.deepEqual(result.summaries.map((summary) => summary.traceId), [AWKWARD_TRACE_ID]);
    });

    it('pads search trace IDs whose leading zeros Tempo strips', async () => {
      const result = await backend.searchTraces({ service: 'example-service-1', startUnixMillis: 1485449100000, endUnixMillis: 1485449200000 });
      assert.deepEqual(result.summaries.map((summary) => summary.traceId), ['00000000000000000000000000000011']);
      assert.equal(result.summaries[0].durationNano, 0n, 'durationMs is omitted for a trace under 1 ms');
    });

    it('passes raw TraceQL through and warns about the filters it did not apply', async () => {
      const result = await backend.searchTraces({ traceQL: '{ span:status = error } | select(span.db.system.name)', service: 'frontend', ...WINDOW });
      assert.equal(server.requestsTo('/api/search')[0].query.get('q'), '{ span:status = error } | select(span.db.system.name)');
      assert.match(result.warnings[0], /the service filters were not applied/);
      assert.deepEqual(
        result.summaries.map((summary) => summary.traceId),
        [HOTROD_SERIAL_TRACE_ID, '1a4e4a7b270e9f2a0f716e3ee115218a'],
      );
      assert.equal(result.summaries[0].matchedSpans[0].attributes['db.system.name'], 'redis');
    });

    it('shows Tempo’s plain-text 400 for a bad query', async () => {
      const error = await rejection(backend.searchTraces({ traceQL: '{ .a = }', ...WINDOW }));
      assert.equal(error.kind, 'badRequest');
      assert.match(error.message, /^Tempo at http:\/\/127\.0\.0\.1:\d+ rejected the request to \/api\/search \(400 Bad Request\): invalid TraceQL query: parse error/);
    });

    it('lists services and span names through the v2 tag-values API', async () => {
      assert.deepEqual((await backend.listServices()).slice(0, 3), ['checkout "eu"', 'customer', 'driver']);
      const operations = await backend.listOperations('frontend');
      assert.deepEqual(operations.map((operation) => operation.name), ['driver.DriverService/FindNearest', 'GET /dispatch', 'HTTP GET']);
      const request = server.requestsTo('/api/v2/search/tag/name/values')[0];
      assert.equal(request.query.get('q'), '{ resource.service.name = "frontend" }');
    });

    it('completes tag names per scope and tag values by TraceQL identifier', async () => {
      const names = await backend.tagNames('span');
      assert.ok(names.some((tag) => tag.scope === 'span' && tag.name === 'http.route'));
      assert.equal(server.requestsTo('/api/v2/search/tags')[0].query.get('scope'), 'span');
      const values = await backend.tagValues('span.db.system.name', { filterTraceQL: '{ resource.service.name = "redis-manual" }' });
      assert.deepEqual(values, [{ value: 'redis', type: 'string' }]);
      assert.ok(server.requests.some((request) => request.path === '/api/v2/search/tag/span.db.system.name/values'));
      const spaced = await backend.tagValues('user id');
      assert.deepEqual(spaced, [{ value: 'u 1', type: 'string' }]);
      assert.ok(server.requests.some((request) => request.path === '/api/v2/search/tag/.%22user%20id%22/values'));
      assert.equal((await rejection(backend.tagNames('bogus'))).kind, 'invalidInput');
    });

    it('runs TraceQL metrics over /api/metrics/query_range with ns bounds and reads seconds', async () => {
      const result = await backend.queryRange('{ resource.service.name = "frontend" } | quantile_over_time(span:duration, .95) by (span:name)', {
        startUnixMillis: Date.parse('2026-08-19T09:40:00Z'),
        endUnixMillis: Date.parse('2026-08-19T09:45:00Z'),
        stepMillis: 30_000,
      });
      const request = server.requestsTo('/api/metrics/query_range')[0];
      assert.equal(request.query.get('start'), `${Date.parse('2026-08-19T09:40:00Z')}000000`);
      assert.equal(request.query.get('end'), `${Date.parse('2026-08-19T09:45:00Z')}000000`);
      assert.equal(request.query.get('step'), '30s');
      const dispatch = result.series.find((series) => series.labels.some((label) => label.key === 'span:name' && label.value === 'GET /dispatch'));
      assert.ok(dispatch !== undefined);
      assert.deepEqual(dispatch.labels.find((label) => label.key === 'p'), { key: 'p', value: 0.95 });
      assert.deepEqual(
        dispatch.samples.map((sample) => [sample.timestampUnixMillis, sample.value]),
        [
          // The two HotROD traces start at 09:40:04 and 09:40:58.
          [Date.parse('2026-08-19T09:40:00Z'), 0.693999329],
          [Date.parse('2026-08-19T09:40:30Z'), 1.116967287],
        ],
      );
      assert.equal(result.partial, false);
    });

    it('reads a PARTIAL metrics answer', async () => {
      server.override(
        '/api/metrics/query_range',
        respond(200, '{"series":[],"status":"PARTIAL","message":"Response exceeds the maximum series"}', { 'content-type': 'application/json' }),
      );
      const result = await backend.queryRange('{} | rate()', WINDOW);
      assert.deepEqual(result, { series: [], partial: true, message: 'Response exceeds the maximum series' });
    });
  });

  it('falls back to v1 trace and tag endpoints on an older Tempo, and remembers', async () => {
    await start({ version: 'legacy' });
    const first = await backend.getTrace(HOTROD_SERIAL_TRACE_ID);
    assert.equal(first.format, 'tempo-v1');
    assert.equal(first.trace.spans.length, 40);
    await backend.getTrace(HOTROD_SERIAL_TRACE_ID);
    assert.equal(server.requestsTo(`/api/v2/traces/${HOTROD_SERIAL_TRACE_ID}`).length, 1);
    assert.equal(server.requestsTo(`/api/traces/${HOTROD_SERIAL_TRACE_ID}`).length, 2);
    const names = await backend.tagNames('resource');
    assert.ok(names.some((tag) => tag.name === 'service.name' && tag.scope === 'resource'));
    assert.ok((await backend.listServices()).includes('frontend'));
    assert.equal(server.requestsTo('/api/search/tag/service.name/values').length, 1);
    assert.equal((await rejection(backend.listOperations('frontend'))).kind, 'unsupported');
    assert.equal((await rejection(backend.queryRange('{} | rate()', WINDOW))).kind, 'unsupported');
  });

  it('asks for a tenant when multi-tenant Tempo answers "no org id"', async () => {
    await start({ tenant: 'team-a' });
    const error = await rejection(backend.searchTraces({ ...WINDOW }));
    assert.equal(error.kind, 'unauthorized');
    assert.equal(error.message, `Tempo at ${server.url} answered 401 Unauthorized: no org id — set a tenant for this backend`);
  });

  it('retries a 429 from the query frontend, then answers', async () => {
    await start({}, { retry: { maxRetries: 2, maxDelayMillis: 100, baseDelayMillis: 1 } });
    server.override('/api/search', respond(429, 'job queue full', { 'retry-after': '0' }));
    const result = await backend.searchTraces({ service: 'frontend', ...WINDOW });
    assert.equal(result.summaries.length, 2);
    assert.equal(server.requestsTo('/api/search').length, 2);
  });

  it('reports a malformed search body', async () => {
    await start();
    server.override('/api/search', respond(200, '{"traces":{"a":1}}', { 'content-type': 'application/json' }));
    const error = await rejection(backend.searchTraces({ ...WINDOW }));
    assert.equal(error.kind, 'malformed');
    assert.match(error.message, /unexpected response to \/api\/search: "traces" is not a list/);
  });
});
