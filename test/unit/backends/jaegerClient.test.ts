import { strict as assert } from 'node:assert';
import { rejection } from '../../support/backendRejection';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createBackend } from '../../../src/core/backends/createBackend';
import type { BackendConfig } from '../../../src/core/backends/createBackend';
import { JaegerClient } from '../../../src/core/backends/jaeger/jaegerClient';
import type { TraceBackend } from '../../../src/core/backends/traceBackend';
import { startFakeJaeger } from '../../support/backendServers/fakeJaeger';
import type { FakeJaeger, FakeJaegerOptions } from '../../support/backendServers/fakeJaeger';
import { respond } from '../../support/backendServers/faults';
import { BACKEND_FIXTURES_DIR, HOTROD_SERIAL_TRACE_ID } from '../../support/backendServers/fixtureData';

// The HotROD captures start at 2026-08-19T09:40:04Z (concurrent) and 09:40:58Z (serial).
const WINDOW = { startUnixMillis: Date.parse('2026-08-19T09:30:00Z'), endUnixMillis: Date.parse('2026-08-19T10:00:00Z') };
const NOW = Date.parse('2026-08-19T10:00:00Z');
const FAST = { connectMillis: 500, headersMillis: 2000, bodyMillis: 2000 };

/** A fixture file's bytes, to serve exactly as the real server sent them. */
function realBody(path: string): string {
  return readFileSync(join(BACKEND_FIXTURES_DIR, path), 'utf8');
}

describe('JaegerClient', () => {
  let server: FakeJaeger;
  let backend: TraceBackend;

  async function start(options: FakeJaegerOptions, config: Partial<BackendConfig> = {}): Promise<void> {
    server = await startFakeJaeger(options);
    backend = createBackend({ type: 'jaeger', url: server.url, timeouts: FAST, ...config }, () => NOW);
  }

  afterEach(async () => {
    await backend.dispose();
    await server.close();
  });

  describe('api_v3 (v2.20)', () => {
    beforeEach(() => start({ mode: 'v2.20' }));

    it('detects v3 once and lists services from /api/v3/services', async () => {
      const services = await backend.listServices();
      assert.ok(services.includes('frontend') && services.includes('redis-manual'));
      await backend.getTrace(HOTROD_SERIAL_TRACE_ID);
      await backend.listServices();
      assert.ok(backend instanceof JaegerClient);
      assert.equal(await backend.detectApiVersion(), 'v3');
      assert.equal(server.requestsTo('/api/v3/services').length, 2, 'one probe, one explicit listing');
    });

    it('fetches a trace from /api/v3/traces/{id} with RFC 3339 time hints', async () => {
      const fetched = await backend.getTrace(HOTROD_SERIAL_TRACE_ID.toUpperCase(), WINDOW);
      assert.equal(fetched.format, 'jaeger-v3');
      assert.equal(fetched.trace.traceId, HOTROD_SERIAL_TRACE_ID);
      assert.equal(fetched.trace.spans.length, 40);
      const request = server.requestsTo(`/api/v3/traces/${HOTROD_SERIAL_TRACE_ID}`)[0];
      assert.equal(request.query.get('start_time'), '2026-08-19T09:30:00.000Z');
      assert.equal(request.query.get('end_time'), '2026-08-19T10:00:00.000Z');
      assert.equal(request.headers.accept, 'application/json');
    });

    it('says which trace was not found, and where', async () => {
      const error = await rejection(backend.getTrace('00000000000000000000000000000bad'));
      assert.equal(error.kind, 'notFound');
      assert.equal(error.message, `Trace 00000000000000000000000000000bad was not found in Jaeger at ${server.url}`);
    });

    it('rejects an invalid trace ID before sending anything', async () => {
      const error = await rejection(backend.getTrace('trace-123'));
      assert.equal(error.kind, 'invalidInput');
      assert.equal(server.requests.length, 0);
    });

    it('searches /api/v3/trace-summaries with snake_case parameters, RFC 3339 times and Go durations', async () => {
      const result = await backend.searchTraces({
        service: 'frontend',
        operation: 'GET /dispatch',
        minDurationNano: 500_000_000n,
        maxDurationNano: 1_500_000_000n,
        attributes: { 'http.request.method': 'GET' },
        limit: 5,
        ...WINDOW,
      });
      const request = server.requestsTo('/api/v3/trace-summaries')[0];
      assert.deepEqual(Object.fromEntries(request.query), {
        'query.service_name': 'frontend',
        'query.operation_name': 'GET /dispatch',
        'query.start_time_min': '2026-08-19T09:30:00.000Z',
        'query.start_time_max': '2026-08-19T10:00:00.000Z',
        'query.num_traces': '5',
        'query.duration_min': '500ms',
        'query.duration_max': '1500ms',
        'query.attributes': '{"http.request.method":"GET"}',
      });
      assert.deepEqual(
        result.summaries.map((summary) => [summary.traceId, summary.rootServiceName, summary.rootSpanName, summary.spanCount]),
        [
          [HOTROD_SERIAL_TRACE_ID, 'frontend', 'GET /dispatch', 40],
          ['1a4e4a7b270e9f2a0f716e3ee115218a', 'frontend', 'GET /dispatch', 40],
        ],
      );
      const serial = result.summaries[0];
      assert.equal(serial.startTimeUnixNano, 1787132458639880223n);
      assert.equal(serial.durationNano, 1_116_967_287n);
      assert.ok((serial.errorCount ?? 0) > 0);
      assert.ok(serial.services.some((service) => service.name === 'redis-manual' && service.errorCount > 0));
      assert.equal(server.requestsTo('/api/v3/traces').length, 0);
    });

    it('pushes a window that ends now a minute ahead, so fresh spans are not missed', async () => {
      await backend.searchTraces({ service: 'frontend', lookbackMillis: 15 * 60_000 });
      const request = server.requestsTo('/api/v3/trace-summaries')[0];
      assert.equal(request.query.get('query.start_time_min'), '2026-08-19T09:45:00.000Z');
      assert.equal(request.query.get('query.start_time_max'), '2026-08-19T10:01:00.000Z');
    });

    it('needs a service and has no TraceQL', async () => {
      assert.equal((await rejection(backend.searchTraces({ ...WINDOW }))).kind, 'invalidInput');
      assert.equal((await rejection(backend.searchTraces({ service: 'frontend', traceQL: '{}' }))).kind, 'unsupported');
      assert.equal((await rejection(backend.queryRange('{} | rate()', WINDOW))).kind, 'unsupported');
      assert.equal((await rejection(backend.tagNames())).kind, 'unsupported');
      assert.equal(backend.capabilities.traceQL, false);
      assert.equal(backend.capabilities.searchNeedsService, true);
    });

    it('lists operations with span kinds from /api/v3/operations?service=', async () => {
      const operations = await backend.listOperations('frontend');
      assert.deepEqual(operations, [
        { name: 'driver.DriverService/FindNearest', spanKind: 'client' },
        { name: 'GET /dispatch', spanKind: 'server' },
        { name: 'HTTP GET', spanKind: 'client' },
      ]);
      assert.equal(server.requestsTo('/api/v3/operations')[0].query.get('service'), 'frontend');
    });

    it('shows the message of a v3 error body that arrives as text/plain', async () => {
      server.override('/api/v3/trace-summaries', respond(500, '{"error":{"httpCode":500,"message":"elasticsearch: no shards"}}\n'));
      const error = await rejection(backend.searchTraces({ service: 'frontend', ...WINDOW }));
      assert.equal(error.kind, 'server');
      assert.equal(error.message, `Jaeger at ${server.url} failed with 500 Internal Server Error on /api/v3/trace-summaries: elasticsearch: no shards`);
    });

    it('reports a malformed summaries body', async () => {
      server.override('/api/v3/trace-summaries', respond(200, '{"summaries":{"x":1}}', { 'content-type': 'application/json' }));
      const error = await rejection(backend.searchTraces({ service: 'frontend', ...WINDOW }));
      assert.equal(error.kind, 'malformed');
      assert.match(error.message, /unexpected response to \/api\/v3\/trace-summaries: "summaries" is not a list/);
    });
  });

  it('v2.10: falls back from trace-summaries to /api/v3/traces once, filtering attributes the server ignores', async () => {
    await start({ mode: 'v2.10' });
    const query = { service: 'frontend', attributes: { 'http.route': '/no-such-route' }, ...WINDOW };
    const first = await backend.searchTraces(query);
    const second = await backend.searchTraces({ service: 'frontend', ...WINDOW });
    assert.equal(server.requestsTo('/api/v3/trace-summaries').length, 1);
    assert.equal(server.requestsTo('/api/v3/traces').length, 2);
    assert.equal(first.summaries.length, 0);
    assert.match(first.warnings[0], /ignored the attribute filters/);
    assert.deepEqual(
      second.summaries.map((summary) => summary.traceId),
      [HOTROD_SERIAL_TRACE_ID, '1a4e4a7b270e9f2a0f716e3ee115218a'],
    );
    assert.equal(second.summaries[0].spanCount, 40);
    assert.equal(second.summaries[0].durationNano, 1_116_967_287n);
  });

  it('v2.10: an empty search ("No traces found" 404) is an empty result', async () => {
    await start({ mode: 'v2.10' });
    const result = await backend.searchTraces({ service: 'nobody', ...WINDOW });
    assert.deepEqual(result.summaries, []);
  });

  it('v1.53: reads base64 IDs and enum names', async () => {
    await start({ mode: 'v1.53' });
    const fetched = await backend.getTrace(HOTROD_SERIAL_TRACE_ID);
    assert.equal(fetched.trace.traceId, HOTROD_SERIAL_TRACE_ID);
    assert.equal(fetched.trace.spans.length, 40);
    assert.ok(fetched.trace.spans.some((span) => span.kind === 'server'));
    assert.ok(fetched.trace.spans.some((span) => span.status.code === 'error'));
  });

  describe('v1 only (no api_v3)', () => {
    beforeEach(() => start({ mode: 'v1-only' }));

    it('falls back to /api/ after a 404 on /api/v3/services, and remembers', async () => {
      assert.deepEqual(await backend.listServices(), ['api-gateway', 'customers-service', 'service-x', 'service-y']);
      const fetched = await backend.getTrace('0000000000000001');
      assert.equal(fetched.format, 'jaeger-v1');
      assert.equal(fetched.trace.traceId, '00000000000000000000000000000001');
      assert.equal(server.requestsTo('/api/v3/services').length, 1);
      assert.equal(server.requestsTo('/api/traces/00000000000000000000000000000001').length, 1);
    });

    it('searches /api/traces with µs times, Go durations and a tags JSON object', async () => {
      const result = await backend.searchTraces({
        service: 'api-gateway',
        operation: 'GET /api/customer/owners/8/pets/10',
        minDurationNano: 1_500_000n,
        attributes: { 'span.kind': 'server' },
        startUnixMillis: 1579070000000,
        endUnixMillis: 1579080000000,
        limit: 3,
      });
      const request = server.requestsTo('/api/traces')[0];
      assert.deepEqual(Object.fromEntries(request.query), {
        service: 'api-gateway',
        operation: 'GET /api/customer/owners/8/pets/10',
        start: '1579070000000000',
        end: '1579080000000000',
        limit: '3',
        minDuration: '1500us',
        tags: '{"span.kind":"server"}',
      });
      assert.deepEqual(
        result.summaries.map((summary) => [summary.traceId, summary.rootSpanName, summary.spanCount, summary.durationNano]),
        [['4766f1209f70a5e2e55417fc296fd101', 'GET /api/customer/owners/8/pets/10', 5, 4_902_000n]],
      );
    });

    it('lists operations from /api/operations', async () => {
      const operations = await backend.listOperations('api-gateway');
      assert.deepEqual(operations, [
        { name: 'GET /api/customer/owners/8/pets/10', spanKind: 'server' },
        { name: 'GET /owners/8/pets/10', spanKind: 'client' },
      ]);
    });

    it('reports the v1 error envelope from a text/plain 404', async () => {
      const error = await rejection(backend.getTrace('4bf92f3577b34da6a3ce929d0e0e4736'));
      assert.equal(error.kind, 'notFound');
      assert.match(error.message, /^Trace 4bf92f3577b34da6a3ce929d0e0e4736 was not found in Jaeger at /);
    });
  });

  describe('real response bodies', () => {
    const JSON_TYPE = { 'content-type': 'application/json' };

    it('reads the GetTrace snapshot of Jaeger main', async () => {
      await start({ mode: 'v2.20' });
      const id = '00000000000000000000000000000001';
      server.override(`/api/v3/traces/${id}`, respond(200, realBody('jaeger/api_v3/snapshots/GetTrace.json'), JSON_TYPE));
      const { trace } = await backend.getTrace(id);
      assert.equal(trace.spans.length, 1);
      assert.deepEqual([trace.spans[0].name, trace.spans[0].kind, trace.spans[0].status.code], ['foobar', 'server', 'error']);
    });

    it('reads the GetTrace body of Jaeger v1.53 (base64 IDs, enum names)', async () => {
      await start({ mode: 'v1.53' });
      const id = '000000000000009600000000000000a0';
      server.override(`/api/v3/traces/${id}`, respond(200, realBody('jaeger/api_v3/legacy-v1.53.0/GetTrace.json'), JSON_TYPE));
      const { trace } = await backend.getTrace(id);
      assert.equal(trace.traceId, id);
      assert.equal(trace.spans[0].spanId, '00000000000000b4');
      assert.equal(trace.spans[0].kind, 'server');
    });

    it('summarizes the FindTraces snapshot when trace-summaries is missing', async () => {
      await start({ mode: 'v2.10' });
      server.override('/api/v3/traces', respond(200, realBody('jaeger/api_v3/snapshots/FindTraces.json'), JSON_TYPE));
      const result = await backend.searchTraces({ service: 'foo', ...WINDOW });
      assert.deepEqual(
        result.summaries.map((summary) => [summary.traceId, summary.rootSpanName, summary.spanCount, summary.errorCount]),
        [['00000000000000000000000000000001', 'foobar', 1, 1]],
      );
    });

    it('reads a v1 envelope as Jaeger writes it', async () => {
      await start({ mode: 'v1-only' });
      const id = '83a9efd15c1c98a977e0711cc93ee28b';
      server.override(`/api/traces/${id}`, respond(200, realBody('jaeger/api_v1/transform-response.otlp2jaeger-out.json'), JSON_TYPE));
      const { trace, format } = await backend.getTrace(id);
      assert.equal(format, 'jaeger-v1');
      assert.equal(trace.spans.length, 2);
      assert.equal(trace.spans[0].resource.serviceName, 'telemetrygen');
    });
  });

  it('main branch: uses api_v3 and never the removed v1 endpoints', async () => {
    await start({ mode: 'main' });
    await backend.listServices();
    await backend.listOperations('frontend');
    await backend.searchTraces({ service: 'frontend', ...WINDOW });
    await backend.getTrace(HOTROD_SERIAL_TRACE_ID);
    assert.ok(server.requests.every((request) => request.path.startsWith('/api/v3/')));
  });

  it('serves a base path and sends the tenant in x-tenant', async () => {
    server = await startFakeJaeger({ basePath: '/jaeger', tenants: ['acme'] });
    backend = createBackend({ type: 'jaeger', url: `${server.url}/jaeger`, tenant: 'acme', timeouts: FAST }, () => NOW);
    await backend.listServices();
    const request = server.requests[0];
    assert.equal(request.path, '/jaeger/api/v3/services');
    assert.equal(request.headers['x-tenant'], 'acme');
  });

  it('asks for a tenant when the server says "missing tenant header"', async () => {
    await start({ tenants: ['acme'] });
    const error = await rejection(backend.listServices());
    assert.equal(error.kind, 'unauthorized');
    assert.equal(error.message, `Jaeger at ${server.url} answered 401 Unauthorized: missing tenant header — set a tenant for this backend`);
  });

  it('sends a saved bearer credential to its origin behind an authenticating proxy', async () => {
    server = await startFakeJaeger({ requireAuthorization: 'Bearer t0ken-value' });
    backend = createBackend({ type: 'jaeger', url: server.url, timeouts: FAST, credential: { origin: server.url, header: 'Authorization: Bearer t0ken-value' } }, () => NOW);
    assert.ok((await backend.listServices()).length > 0);
    const anonymous = createBackend({ type: 'jaeger', url: server.url, timeouts: FAST }, () => NOW);
    try {
      const error = await rejection(anonymous.listServices());
      assert.equal(error.kind, 'unauthorized');
      assert.match(error.message, /save a credential for http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await anonymous.dispose();
    }
  });

  it('accepts gzip from a compressing server', async () => {
    await start({ compress: true });
    const fetched = await backend.getTrace(HOTROD_SERIAL_TRACE_ID);
    assert.equal(fetched.trace.spans.length, 40);
    assert.match(String(server.requests[0].headers['accept-encoding']), /gzip/);
  });

  it('names the trace when it exceeds the response limit', async () => {
    await start({}, { maxResponseBytes: 20_000 });
    const error = await rejection(backend.getTrace(HOTROD_SERIAL_TRACE_ID));
    assert.equal(error.kind, 'tooLarge');
    assert.equal(error.message, `Trace ${HOTROD_SERIAL_TRACE_ID} is larger than the 20 KiB response limit (spanlens.maxResponseMB)`);
  });
});
