import { strict as assert } from 'node:assert';
import { rejection } from '../../support/backendRejection';
import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { gzipSync } from 'node:zlib';
import { BackendError } from '../../../src/core/backends/backendError';
import { HttpClient } from '../../../src/core/backends/http/httpClient';
import type { HttpClientConfig } from '../../../src/core/backends/http/httpClient';
import { startForwardProxy } from '../../support/backendServers/forwardProxy';
import {
  corruptGzip,
  gzipBomb,
  neverAnswer,
  oversizedJson,
  redirect,
  resetConnection,
  respond,
  retryLater,
  stallBody,
} from '../../support/backendServers/faults';
import { tlsCertificate } from '../../support/backendServers/fixtureData';
import { send, sendJson, startRecordingServer } from '../../support/backendServers/recordingServer';
import type { RecordingServer } from '../../support/backendServers/recordingServer';

const FAST = { connectMillis: 300, headersMillis: 300, bodyMillis: 300 };
const NO_WAIT_RETRY = { maxRetries: 2, maxDelayMillis: 50, baseDelayMillis: 1 };

describe('HttpClient', () => {
  let server: RecordingServer;
  const clients: HttpClient[] = [];

  function client(config: Partial<HttpClientConfig> = {}): HttpClient {
    const created = new HttpClient({ baseUrl: server.url, backendLabel: 'Jaeger', timeouts: FAST, retry: NO_WAIT_RETRY, ...config });
    clients.push(created);
    return created;
  }

  beforeEach(async () => {
    server = await startRecordingServer((request, response) => sendJson(response, 200, { path: request.path, query: request.url }));
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((item) => item.dispose()));
    await server.close();
  });

  it('sends Accept, Accept-Encoding and User-Agent, encodes the query with %20, and reuses the connection', async () => {
    const http = client();
    await http.get('/api/v3/services', { query: { 'query.service_name': 'my svc', tag: ['a', 'b'], skip: undefined, n: 5n } });
    for (let i = 0; i < 5; i++) await http.get('/api/v3/services');
    const [first] = server.requests;
    assert.equal(first.headers.accept, 'application/json');
    assert.match(String(first.headers['accept-encoding']), /\bgzip\b/);
    assert.equal(first.headers['user-agent'], 'SpanLens');
    assert.equal(first.url, '/api/v3/services?query.service_name=my%20svc&tag=a&tag=b&n=5');
    // undici's pool may open a second socket while the first drains, but no more for sequential requests.
    const sockets = new Set(server.requests.map((request) => request.remotePort));
    assert.ok(sockets.size <= 2, `6 sequential requests used ${sockets.size} connections`);
  });

  it('keeps a base path in front of every request path', async () => {
    const http = new HttpClient({ baseUrl: `${server.url}/jaeger/`, backendLabel: 'Jaeger', timeouts: FAST });
    clients.push(http);
    await http.get('/api/v3/services');
    assert.equal(server.requests[0].path, '/jaeger/api/v3/services');
    assert.equal(http.target, `Jaeger at ${server.url}/jaeger`);
  });

  it('decompresses gzip bodies', async () => {
    const body = JSON.stringify({ services: ['frontend', 'redis'] });
    server.override('/gz', respond(200, gzipSync(body), { 'content-type': 'application/json', 'content-encoding': 'gzip' }));
    const http = client();
    const response = await http.get('/gz');
    assert.deepEqual(http.json(response), { services: ['frontend', 'redis'] });
  });

  it('reports a corrupt gzip body as malformed', async () => {
    server.override('/gz', corruptGzip());
    const error = await rejection(client().get('/gz'));
    assert.equal(error.kind, 'malformed');
    assert.match(error.message, /gzip-compressed body is corrupt/);
  });

  it('refuses a body over the cap, declared by Content-Length or streamed, naming the limit and setting', async () => {
    server.override('/big', oversizedJson(1024 * 1024 + 100, false));
    server.override('/chunked', oversizedJson(1024 * 1024 + 100, true));
    const http = client({ maxResponseBytes: 1024 * 1024 });
    const declared = await rejection(http.get('/big', { subject: 'Trace 4bf92f3577b34da6a3ce929d0e0e4736' }));
    assert.equal(declared.kind, 'tooLarge');
    assert.equal(declared.message, 'Trace 4bf92f3577b34da6a3ce929d0e0e4736 is larger than the 1 MiB response limit (spanlens.maxResponseMB)');
    const streamed = await rejection(http.get('/chunked'));
    assert.equal(streamed.kind, 'tooLarge');
    assert.match(streamed.message, /^The response of Jaeger at http:\/\/127\.0\.0\.1:\d+ to \/chunked is larger than the 1 MiB response limit/);
  });

  it('stops inflating a small gzip body that would exceed the cap', async () => {
    server.override('/bomb', gzipBomb(2 * 1024 * 1024));
    const error = await rejection(client({ maxResponseBytes: 1024 * 1024 }).get('/bomb', { subject: 'Trace abc' }));
    assert.equal(error.kind, 'tooLarge');
    assert.match(error.message, /1 MiB response limit/);
  });

  it('reports invalid JSON with its position and the start of the body', async () => {
    server.override('/html', respond(200, '<html><title>Sign in</title></html>', { 'content-type': 'text/html' }));
    const http = client();
    const response = await http.get('/html');
    assert.throws(
      () => http.json(response),
      (error: unknown) =>
        error instanceof BackendError &&
        error.kind === 'malformed' &&
        /sent a response to \/html that is not valid JSON \(text\/html\)/.test(error.message) &&
        /begins with "<html><title>Sign in/.test(error.message),
    );
  });

  it('retries 429 honouring Retry-After, then succeeds', async () => {
    server.override('/busy', retryLater(429, '0', 'slow down'), 2);
    const response = await client().get('/busy');
    assert.equal(response.status, 200);
    assert.equal(server.requestsTo('/busy').length, 3);
    assert.equal(response.attempts, 3);
  });

  it('gives up after the bounded number of retries and says how often it tried', async () => {
    server.override('/busy', retryLater(503, '0', 'ingester unavailable'), 10);
    const http = client();
    const response = await http.get('/busy');
    assert.equal(server.requestsTo('/busy').length, 3);
    const error = http.statusError(response);
    assert.equal(error.kind, 'server');
    assert.match(error.message, /is unavailable \(503 Service Unavailable, tried 3 times\): ingester unavailable/);
  });

  it('does not wait when Retry-After asks for longer than the cap, and says how long to wait', async () => {
    server.override('/busy', retryLater(429, '120', 'rate limited'), 10);
    const http = client();
    const response = await http.get('/busy');
    assert.equal(server.requestsTo('/busy').length, 1);
    const error = http.statusError(response);
    assert.equal(error.kind, 'rateLimited');
    assert.match(error.message, /is rate limiting requests \(429 Too Many Requests\) and asks to wait 2 min: rate limited/);
  });

  it('waits the Retry-After delay before retrying', async () => {
    server.override('/busy', retryLater(429, '1'), 1);
    const started = Date.now();
    const response = await client({ retry: { maxRetries: 1, maxDelayMillis: 2000, baseDelayMillis: 1 } }).get('/busy');
    assert.equal(response.status, 200);
    assert.ok(Date.now() - started >= 950, 'the retry came before the requested second had passed');
  });

  it('cancels a retry wait when the signal aborts', async () => {
    server.override('/busy', retryLater(429, undefined), 5);
    const controller = new AbortController();
    const pending = client({ retry: { maxRetries: 3, maxDelayMillis: 10_000, baseDelayMillis: 5_000 } }).get('/busy', { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const error = await rejection(pending);
    assert.equal(error.kind, 'cancelled');
    assert.equal(server.requestsTo('/busy').length, 1);
  });

  it('aborts a request in flight', async () => {
    server.override('/slow', neverAnswer());
    const controller = new AbortController();
    const pending = client({ timeouts: { headersMillis: 5_000 } }).get('/slow', { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('user pressed cancel')), 50);
    const error = await rejection(pending);
    assert.equal(error.kind, 'cancelled');
    assert.match(error.message, /was cancelled/);
  });

  it('maps a missing answer to a headers timeout and a stalled body to a body timeout', async () => {
    server.override('/slow', neverAnswer());
    server.override('/stall', stallBody());
    const http = client();
    const headers = await rejection(http.get('/slow'));
    assert.equal(headers.kind, 'timeout');
    assert.match(headers.message, /did not answer within 300 ms/);
    const body = await rejection(http.get('/stall'));
    assert.equal(body.kind, 'timeout');
    assert.match(body.message, /stopped sending its response for 300 ms/);
  });

  it('reports a connect timeout (a TLS handshake that never completes)', async () => {
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const http = new HttpClient({ baseUrl: `https://127.0.0.1:${port}`, backendLabel: 'Tempo', timeouts: FAST });
      clients.push(http);
      const error = await rejection(http.get('/api/echo'));
      assert.equal(error.kind, 'timeout');
      assert.equal(error.message, `Cannot connect to Tempo at https://127.0.0.1:${port}: no connection within 300 ms. Check the URL, firewall and VPN.`);
    } finally {
      silent.close();
    }
  });

  it('says connection refused and asks whether the server runs', async () => {
    const closed = await startRecordingServer(() => undefined);
    const url = closed.url;
    await closed.close();
    const http = new HttpClient({ baseUrl: url, backendLabel: 'Jaeger', timeouts: FAST });
    clients.push(http);
    const error = await rejection(http.get('/api/v3/services'));
    assert.equal(error.kind, 'unreachable');
    assert.equal(error.message, `Cannot reach Jaeger at ${url} (connection refused). Is it running?`);
  });

  it('says the host was not found', async () => {
    const http = new HttpClient({ baseUrl: 'http://no-such-host.invalid:16686', backendLabel: 'Jaeger', timeouts: FAST });
    clients.push(http);
    const error = await rejection(http.get('/api/v3/services'));
    assert.equal(error.kind, 'unreachable');
    assert.equal(error.message, 'Cannot reach Jaeger at http://no-such-host.invalid:16686 (host not found). Check the URL.');
  });

  it('reports a connection closed mid-request', async () => {
    server.override('/reset', resetConnection());
    const error = await rejection(client().get('/reset'));
    assert.equal(error.kind, 'unreachable');
    assert.match(error.message, /closed the connection unexpectedly/);
  });

  it('maps statuses to actionable errors with the server message from JSON or text bodies', async () => {
    const http = client();
    server.override('/v3err', (_request, response) =>
      send(response, 500, '{"error":{"httpCode":500,"message":"storage is down"}}\n', 'text/plain; charset=utf-8'),
    );
    const v3 = http.statusError(await http.get('/v3err'));
    assert.equal(v3.kind, 'server');
    assert.equal(v3.status, 500);
    assert.equal(v3.message, `Jaeger at ${server.url} failed with 500 Internal Server Error on /v3err: storage is down`);

    server.override('/v1err', respond(400, '{"data":null,"total":0,"limit":0,"offset":0,"errors":[{"code":400,"msg":"parameter \'service\' is required"}]}\n'));
    const v1 = http.statusError(await http.get('/v1err'));
    assert.equal(v1.kind, 'badRequest');
    assert.match(v1.message, /rejected the request to \/v1err \(400 Bad Request\): parameter 'service' is required$/);

    server.override('/missing', respond(404, '404 page not found\n'));
    const missing = http.statusError(await http.get('/missing'));
    assert.equal(missing.kind, 'endpointNotFound');
    assert.match(missing.message, /404 Not Found for \/missing: 404 page not found — check the URL \(including any base path\)/);

    server.override('/denied', respond(403, 'forbidden'));
    const denied = http.statusError(await http.get('/denied'));
    assert.equal(denied.kind, 'unauthorized');
    assert.match(denied.message, /answered 403 Forbidden: forbidden — this server needs credentials: save a credential for http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('sends the credential only to its origin and never across a redirect to another origin', async () => {
    const other = await startRecordingServer((request, response) => sendJson(response, 200, { ok: true }));
    try {
      const http = client({
        credential: { origin: server.url, header: 'Authorization: Bearer s3cret-token' },
        headers: { 'x-tenant': 'acme' },
      });
      server.override('/away', redirect(302, `${other.url}/landing`));
      server.override('/here', redirect(307, '/landed'));
      await http.get('/here');
      await http.get('/away');
      assert.equal(server.requestsTo('/here')[0].headers.authorization, 'Bearer s3cret-token');
      assert.equal(server.requestsTo('/landed')[0].headers.authorization, 'Bearer s3cret-token');
      assert.equal(server.requestsTo('/landed')[0].headers['x-tenant'], 'acme');
      const landing = other.requestsTo('/landing')[0];
      assert.equal(landing.headers.authorization, undefined);
      assert.equal(landing.headers['x-tenant'], undefined);
    } finally {
      await other.close();
    }
  });

  it('does not send a credential saved for another origin and says so on 401', async () => {
    const http = client({ credential: { origin: 'https://elsewhere.example:8443', header: 'Bearer abcdef123' } });
    server.override('/secure', respond(401, 'Unauthorized'));
    const response = await http.get('/secure');
    assert.equal(server.requests[0].headers.authorization, undefined);
    assert.match(http.statusError(response).message, /the saved credential is for https:\/\/elsewhere\.example:8443, not http:\/\/127\.0\.0\.1:\d+, so it was not sent/);
  });

  it('keeps secrets out of messages even when the server echoes them', async () => {
    const http = client({ credential: { origin: server.url, header: 'Authorization: Bearer s3cret-token' } });
    server.override('/echo', (request, response) => send(response, 401, `bad token ${String(request.headers.authorization)}`, 'text/plain'));
    const error = http.statusError(await http.get('/echo'));
    assert.doesNotMatch(error.message, /s3cret-token/);
    assert.match(error.message, /bad token \*\*\*/);
    assert.match(error.message, /check the credential saved for/);
  });

  it('verifies certificates unless strictSSL is off', async () => {
    const tlsServer = await startRecordingServer((_request, response) => sendJson(response, 200, { ok: true }), { tls: tlsCertificate() });
    try {
      const strict = new HttpClient({ baseUrl: tlsServer.url, backendLabel: 'Tempo', timeouts: FAST });
      const lax = new HttpClient({ baseUrl: tlsServer.url, backendLabel: 'Tempo', timeouts: FAST, strictSSL: false });
      clients.push(strict, lax);
      const error = await rejection(strict.get('/api/echo'));
      assert.equal(error.kind, 'tls');
      assert.match(error.message, /^TLS error talking to Tempo at https:\/\/127\.0\.0\.1:\d+: .*\(DEPTH_ZERO_SELF_SIGNED_CERT\).*http\.proxyStrictSSL/);
      assert.equal((await lax.get('/api/echo')).status, 200);
    } finally {
      await tlsServer.close();
    }
  });

  it('suggests http:// when an https:// URL points at a plain HTTP server', async () => {
    const http = new HttpClient({ baseUrl: server.url.replace('http:', 'https:'), backendLabel: 'Zipkin', timeouts: FAST });
    clients.push(http);
    const error = await rejection(http.get('/api/v2/services'));
    assert.equal(error.kind, 'tls');
    assert.match(error.message, /URL must start with http:\/\//);
  });

  it('sends http:// requests through the proxy in absolute form, except for noProxy hosts', async () => {
    const proxy = await startForwardProxy();
    try {
      const proxied = client({ proxy: { url: proxy.url, strictSSL: true }, credential: { origin: server.url, header: 'Bearer tok-abcdef' } });
      assert.equal((await proxied.get('/via-proxy', { query: { a: 'b c' } })).status, 200);
      assert.deepEqual(
        proxy.records.map((record) => [record.method, record.url]),
        [['GET', `${server.url}/via-proxy?a=b%20c`]],
      );
      assert.equal(server.requestsTo('/via-proxy')[0].headers.authorization, 'Bearer tok-abcdef');
      const bypass = client({ proxy: { url: proxy.url, strictSSL: true, noProxy: ['127.0.0.1'] } });
      assert.equal((await bypass.get('/direct')).status, 200);
      assert.equal(proxy.records.length, 1);
    } finally {
      await proxy.close();
    }
  });

  it('tunnels https:// requests through the proxy with CONNECT, honouring strictSSL', async () => {
    const proxy = await startForwardProxy();
    const tlsServer = await startRecordingServer((_request, response) => sendJson(response, 200, { ok: true }), { tls: tlsCertificate() });
    try {
      const lax = new HttpClient({ baseUrl: tlsServer.url, backendLabel: 'Tempo', timeouts: FAST, proxy: { url: proxy.url, strictSSL: false } });
      const strict = new HttpClient({ baseUrl: tlsServer.url, backendLabel: 'Tempo', timeouts: FAST, proxy: { url: proxy.url, strictSSL: true } });
      clients.push(lax, strict);
      assert.equal((await lax.get('/api/echo')).status, 200);
      assert.deepEqual(proxy.records.map((record) => [record.method, record.target]), [['CONNECT', `127.0.0.1:${tlsServer.port}`]]);
      const error = await rejection(strict.get('/api/echo'));
      assert.equal(error.kind, 'tls');
    } finally {
      await tlsServer.close();
      await proxy.close();
    }
  });

  it('passes proxy credentials from the proxy URL and explains a 407', async () => {
    const expected = `Basic ${Buffer.from('alice:pa ss').toString('base64')}`;
    const proxy = await startForwardProxy({ requireProxyAuthorization: expected });
    try {
      const proxyPort = new URL(proxy.url).port;
      const good = client({ proxy: { url: `http://alice:pa%20ss@127.0.0.1:${proxyPort}`, strictSSL: true } });
      assert.equal((await good.get('/ok')).status, 200);
      assert.equal(server.requestsTo('/ok')[0].headers['proxy-authorization'], undefined, 'the proxy keeps its credentials');
      const bad = client({ proxy: { url: proxy.url, strictSSL: true } });
      const error = await rejection(bad.get('/ok'));
      assert.equal(error.kind, 'proxy');
      assert.match(error.message, /refused to connect to Jaeger at .* \(HTTP 407\)\. The proxy needs credentials: put them in http\.proxy/);
      assert.doesNotMatch(error.message, /alice/);
    } finally {
      await proxy.close();
    }
  });
});
