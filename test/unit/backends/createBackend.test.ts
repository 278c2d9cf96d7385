import { strict as assert } from 'node:assert';
import { BackendError } from '../../../src/core/backends/backendError';
import { createBackend } from '../../../src/core/backends/createBackend';
import type { BackendConfig } from '../../../src/core/backends/createBackend';
import { startFakeTempo } from '../../support/backendServers/fakeTempo';

function invalid(config: BackendConfig): string {
  try {
    createBackend(config);
  } catch (error) {
    assert.ok(error instanceof BackendError && error.kind === 'invalidInput', String(error));
    return error.message;
  }
  assert.fail('expected the configuration to be refused');
}

describe('createBackend', () => {
  it('creates the client for each type, with its capabilities', async () => {
    const jaeger = createBackend({ type: 'jaeger', url: 'http://localhost:16686' });
    const zipkin = createBackend({ type: 'zipkin', url: 'http://localhost:9411/' });
    const tempo = createBackend({ type: 'tempo', url: 'https://tempo.example/base/', tenant: 'a' });
    try {
      assert.equal(jaeger.displayName, 'Jaeger at http://localhost:16686');
      assert.equal(zipkin.displayName, 'Zipkin at http://localhost:9411');
      assert.equal(tempo.displayName, 'Tempo at https://tempo.example/base');
      assert.deepEqual(
        [jaeger, zipkin, tempo].map((backend) => [backend.type, backend.capabilities.traceQL, backend.capabilities.metricsQuery, backend.capabilities.tagCompletion]),
        [
          ['jaeger', false, false, false],
          ['zipkin', false, false, true],
          ['tempo', true, true, true],
        ],
      );
    } finally {
      await Promise.all([jaeger.dispose(), zipkin.dispose(), tempo.dispose()]);
    }
  });

  it('refuses configurations that cannot work, saying why', () => {
    assert.equal(invalid({ type: 'jaeger', url: 'localhost:16686' }), '"localhost:16686" needs a scheme: write http://localhost:16686 or https://localhost:16686');
    assert.match(invalid({ type: 'jaeger', url: '' }), /Enter the URL of the Jaeger server/);
    assert.match(invalid({ type: 'tempo', url: 'ftp://tempo' }), /must start with http:\/\/ or https:\/\//);
    assert.match(invalid({ type: 'zipkin', url: 'http://z', tenant: 't' }), /Zipkin has no tenants/);
    assert.match(invalid({ type: 'tempo', url: 'http://t', headers: { 'bad header': 'x' } }), /not a valid HTTP header name/);
    assert.match(invalid({ type: 'tempo', url: 'http://t', headers: { 'x-a': 'a\r\nb' } }), /line break/);
    assert.match(invalid({ type: 'tempo', url: 'http://t', maxResponseBytes: 0 }), /size limit must be a positive number/);
    assert.match(invalid({ type: 'tempo', url: 'http://t', proxy: { url: 'socks5://p:1080', strictSSL: true } }), /SOCKS proxies are not supported/);
    assert.match(invalid({ type: 'bogus' as 'tempo', url: 'http://t' }), /Unknown backend type "bogus"/);
  });

  it('turns user:password in the URL into a Basic credential for that origin only', async () => {
    const server = await startFakeTempo({ requireAuthorization: `Basic ${Buffer.from('bob:s3cret pw').toString('base64')}` });
    const url = server.url.replace('http://', 'http://bob:s3cret%20pw@');
    const backend = createBackend({ type: 'tempo', url });
    try {
      assert.equal(backend.displayName, `Tempo at ${server.url}`);
      await backend.listServices();
      assert.equal(server.requests[0].headers.authorization, `Basic ${Buffer.from('bob:s3cret pw').toString('base64')}`);
    } finally {
      await backend.dispose();
      await server.close();
    }
  });
});
