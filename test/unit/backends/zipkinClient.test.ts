import { strict as assert } from 'node:assert';
import { rejection } from '../../support/backendRejection';
import { createBackend } from '../../../src/core/backends/createBackend';
import type { TraceBackend } from '../../../src/core/backends/traceBackend';
import { respond } from '../../support/backendServers/faults';
import { startFakeZipkin } from '../../support/backendServers/fakeZipkin';
import type { RecordingServer } from '../../support/backendServers/recordingServer';

const FAST = { connectMillis: 500, headersMillis: 2000, bodyMillis: 2000 };
// yelp.json's root span starts at 1571896375237354 µs (2019-10-24T05:52:55Z).
const YELP_TRACE = '0000000000000000a03ee8fff1dcd9b9';
const MESSAGING_TRACE = '5aab74dbb904746bb33447baae403ed6';
const NOW = Date.parse('2019-10-24T06:00:00Z');

describe('ZipkinClient', () => {
  let server: RecordingServer;
  let backend: TraceBackend;

  beforeEach(async () => {
    server = await startFakeZipkin({ autocompleteKeys: ['habitat', 'http.method'] });
    backend = createBackend({ type: 'zipkin', url: server.url, timeouts: FAST }, () => NOW);
  });

  afterEach(async () => {
    await backend.dispose();
    await server.close();
  });

  it('fetches a 64-bit trace by its 16 digits and a 128-bit trace by 32', async () => {
    const yelp = await backend.getTrace('a03ee8fff1dcd9b9');
    assert.equal(yelp.format, 'zipkin-v2');
    assert.equal(yelp.trace.traceId, YELP_TRACE);
    assert.equal(yelp.trace.spans.length, 16);
    const messaging = await backend.getTrace(MESSAGING_TRACE);
    assert.equal(messaging.trace.spans.length, 4);
    assert.deepEqual(
      server.requests.map((request) => request.path),
      ['/api/v2/trace/a03ee8fff1dcd9b9', `/api/v2/trace/${MESSAGING_TRACE}`],
    );
  });

  it('turns the text/plain 404 into "not found in Zipkin"', async () => {
    const error = await rejection(backend.getTrace('4bf92f3577b34da6a3ce929d0e0e4736'));
    assert.equal(error.kind, 'notFound');
    assert.equal(error.message, `Trace 4bf92f3577b34da6a3ce929d0e0e4736 was not found in Zipkin at ${server.url}`);
  });

  it('searches with µs durations, ms endTs/lookback and an annotationQuery', async () => {
    const result = await backend.searchTraces({
      service: 'mobile_api',
      minDurationNano: 1_500_000n,
      maxDurationNano: 200_000_000n,
      attributes: { habitat: 'uswest1bprod', 'http.route': '/location/update/v4' },
      startUnixMillis: Date.parse('2019-10-24T05:00:00Z'),
      endUnixMillis: Date.parse('2019-10-24T06:00:00Z'),
      limit: 7,
    });
    const request = server.requestsTo('/api/v2/traces')[0];
    assert.deepEqual(Object.fromEntries(request.query), {
      serviceName: 'mobile_api',
      annotationQuery: 'habitat=uswest1bprod and http.route=/location/update/v4',
      minDuration: '1500',
      maxDuration: '200000',
      endTs: String(Date.parse('2019-10-24T06:00:00Z')),
      lookback: '3600000',
      limit: '7',
    });
    assert.equal(result.summaries.length, 1);
    const [summary] = result.summaries;
    assert.equal(summary.traceId, YELP_TRACE);
    assert.equal(summary.rootSpanName, 'post /location/update/v4');
    assert.equal(summary.spanCount, 16);
    assert.equal(summary.durationNano, 131_848_000n);
    assert.equal(summary.startTimeUnixNano, 1571896375237354000n);
  });

  it('sends minDuration=1 with a lone maxDuration, which Zipkin only accepts together', async () => {
    await backend.searchTraces({ maxDurationNano: 5_000_000n, lookbackMillis: 10 * 365 * 86_400_000 });
    const request = server.requestsTo('/api/v2/traces')[0];
    assert.equal(request.query.get('minDuration'), '1');
    assert.equal(request.query.get('maxDuration'), '5000');
  });

  it('refuses tag filters the annotationQuery syntax cannot carry, before sending', async () => {
    const error = await rejection(backend.searchTraces({ attributes: { 'a=b': 'c' } }));
    assert.equal(error.kind, 'invalidInput');
    assert.equal(server.requests.length, 0);
  });

  it('shows the 400 text Zipkin answers for a bad query', async () => {
    server.override('/api/v2/traces', respond(400, 'endTs <= 0'));
    const error = await rejection(backend.searchTraces({}));
    assert.equal(error.kind, 'badRequest');
    assert.equal(error.message, `Zipkin at ${server.url} rejected the request to /api/v2/traces (400 Bad Request): endTs <= 0`);
  });

  it('lists services, span names and the configured autocomplete keys and values', async () => {
    const services = await backend.listServices();
    assert.ok(services.includes('frontend') && services.includes('yelp-main'));
    assert.deepEqual(await backend.listOperations('frontend'), [{ name: 'get /', spanKind: undefined }, { name: 'publish', spanKind: undefined }]);
    assert.equal(server.requestsTo('/api/v2/spans')[0].query.get('serviceName'), 'frontend');
    assert.deepEqual(await backend.tagNames(), [
      { scope: undefined, name: 'habitat' },
      { scope: undefined, name: 'http.method' },
    ]);
    assert.deepEqual(await backend.tagValues('http.method'), [
      { value: 'GET', type: undefined },
      { value: 'POST', type: undefined },
    ]);
    assert.equal(server.requestsTo('/api/v2/autocompleteValues')[0].query.get('key'), 'http.method');
  });

  it('reports a body that is not a list of names', async () => {
    server.override('/api/v2/services', respond(200, '{"services":[]}', { 'content-type': 'application/json' }));
    const error = await rejection(backend.listServices());
    assert.equal(error.kind, 'malformed');
    assert.match(error.message, /expected a JSON list of names/);
  });

  it('has no tenants, TraceQL or metrics', async () => {
    assert.throws(() => createBackend({ type: 'zipkin', url: server.url, tenant: 'acme' }), /Zipkin has no tenants/);
    assert.equal((await rejection(backend.searchTraces({ traceQL: '{}' }))).kind, 'unsupported');
    assert.equal((await rejection(backend.queryRange('{} | rate()', { startUnixMillis: 0, endUnixMillis: 1 }))).kind, 'unsupported');
    assert.deepEqual(backend.capabilities, {
      traceQL: false,
      attributeSearch: true,
      operations: true,
      tagCompletion: true,
      metricsQuery: false,
      searchNeedsService: false,
    });
  });
});
