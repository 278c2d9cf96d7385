import { strict as assert } from 'node:assert';
import { credentialHeaderField, displayUrl, originOf, scrubSecrets, secretsOf } from '../../../src/core/backends/http/credentials';
import { bypassesProxy } from '../../../src/core/backends/http/dispatchers';
import { serverErrorText } from '../../../src/core/backends/http/errorBody';
import { decideRetry, DEFAULT_RETRY_POLICY, parseRetryAfterMillis } from '../../../src/core/backends/http/retryPolicy';

describe('HTTP helpers', () => {
  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-08-19T10:00:00Z');
    assert.equal(parseRetryAfterMillis('7', now), 7000);
    assert.equal(parseRetryAfterMillis('Wed, 19 Aug 2026 10:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfterMillis('Wed, 19 Aug 2026 09:00:00 GMT', now), 0);
    assert.equal(parseRetryAfterMillis(undefined, now), undefined);
    assert.equal(parseRetryAfterMillis('-3', now), undefined);
    assert.equal(parseRetryAfterMillis('soon', now), undefined);
  });

  it('retries a bounded number of times, honouring Retry-After up to the cap', () => {
    const policy = DEFAULT_RETRY_POLICY;
    assert.deepEqual(decideRetry(1, 3000, policy), { retry: true, delayMillis: 3000 });
    assert.deepEqual(decideRetry(1, undefined, policy), { retry: true, delayMillis: 500 });
    assert.deepEqual(decideRetry(2, undefined, policy), { retry: true, delayMillis: 1000 });
    assert.deepEqual(decideRetry(3, 0, policy), { retry: false });
    assert.deepEqual(decideRetry(1, 60_000, policy), { retry: false, waitMillis: 60_000 });
  });

  it('splits credentials into header name and value', () => {
    assert.deepEqual(credentialHeaderField('Authorization: Bearer abc.def'), { name: 'authorization', value: 'Bearer abc.def' });
    assert.deepEqual(credentialHeaderField('Bearer abc.def'), { name: 'authorization', value: 'Bearer abc.def' });
    assert.deepEqual(credentialHeaderField('Basic dXNlcjpwYXNz'), { name: 'authorization', value: 'Basic dXNlcjpwYXNz' });
    assert.deepEqual(credentialHeaderField('X-Api-Key:  k3y'), { name: 'x-api-key', value: 'k3y' });
  });

  it('compares origins, not URLs', () => {
    assert.equal(originOf('https://Tempo.example:443/base?x=1'), 'https://tempo.example');
    assert.equal(originOf('http://localhost:16686/'), 'http://localhost:16686');
    assert.equal(originOf('file:///etc/passwd'), undefined);
    assert.equal(originOf('not a url'), undefined);
  });

  it('scrubs credential values and sensitive header values, whole and token alone', () => {
    const secrets = secretsOf({ origin: 'http://a', header: 'Authorization: Bearer tok-123456' }, { 'x-api-key': 'key-abcdef', 'x-tenant': 'acme' });
    assert.equal(scrubSecrets('got Bearer tok-123456 and tok-123456 and key-abcdef for acme', secrets), 'got *** and *** and *** for acme');
  });

  it('shows URLs without user info or query', () => {
    assert.equal(displayUrl('https://bob:pw@tempo.example/base/?token=x#f'), 'https://tempo.example/base');
  });

  it('bypasses the proxy for noProxy hosts, domains, ports and IPv6', () => {
    const url = (text: string): URL => new URL(text);
    assert.ok(bypassesProxy(url('http://localhost:16686'), ['localhost']));
    assert.ok(bypassesProxy(url('http://jaeger.corp.example'), ['.corp.example']));
    assert.ok(bypassesProxy(url('http://jaeger.corp.example'), ['corp.example']));
    assert.ok(bypassesProxy(url('http://corp.example'), ['.corp.example']));
    assert.ok(!bypassesProxy(url('http://evilcorp.example'), ['corp.example']));
    assert.ok(bypassesProxy(url('http://10.0.0.5:3200'), ['10.0.0.5:3200']));
    assert.ok(!bypassesProxy(url('http://10.0.0.5:9411'), ['10.0.0.5:3200']));
    assert.ok(bypassesProxy(url('https://10.0.0.5'), ['10.0.0.5:443']));
    assert.ok(bypassesProxy(url('http://[::1]:3200'), ['::1']));
    assert.ok(bypassesProxy(url('http://[::1]:3200'), ['[::1]:3200']));
    assert.ok(bypassesProxy(url('http://anything'), ['*']));
    assert.ok(!bypassesProxy(url('http://anything'), []));
  });

  it('finds the message in each backend’s error body', () => {
    assert.equal(serverErrorText('{"error":{"httpCode":404,"message":"No traces found"}}\n'), 'No traces found');
    assert.equal(
      serverErrorText('{"data":null,"total":0,"limit":0,"offset":0,"errors":[{"code":400,"msg":"a"},{"msg":"b"}]}'),
      'a; b',
    );
    assert.equal(serverErrorText('{"code":3,"message":"invalid argument"}'), 'invalid argument');
    assert.equal(serverErrorText('no org id\n'), 'no org id');
    assert.equal(serverErrorText('<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head></html>'), '(an HTML page titled "502 Bad Gateway")');
    assert.equal(serverErrorText('  \n'), undefined);
    assert.equal(serverErrorText('x'.repeat(400))?.length, 300);
  });
});
