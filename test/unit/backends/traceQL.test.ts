import { strict as assert } from 'node:assert';
import {
  buildTraceQLFilter,
  traceQLAttribute,
  traceQLEquals,
  traceQLString,
  traceQLTagIdentifier,
} from '../../../src/core/backends/tempo/traceQL';
import { parseTraceQL } from '../../support/backendServers/traceQLSubset';

describe('TraceQL writing', () => {
  it('escapes string literals the Go way', () => {
    assert.equal(traceQLString('plain'), '"plain"');
    assert.equal(traceQLString('say "hi"'), '"say \\"hi\\""');
    assert.equal(traceQLString('C:\\dir'), '"C:\\\\dir"');
    assert.equal(traceQLString('a\nb\tc\u0001'), '"a\\nb\\tc\\x01"');
    assert.equal(traceQLString('naïve ☃'), '"naïve ☃"');
  });

  it('round-trips every escaped string through a TraceQL parser', () => {
    for (const value of ['say "hi"', 'C:\\dir\\', 'a\nb\r\tc\u0001\u007f', '}{&&||', '`back`']) {
      const parsed = parseTraceQL(`{ .k = ${traceQLString(value)} }`);
      assert.ok(parsed.filter.kind === 'compare' && parsed.filter.right.kind === 'literal');
      assert.equal(parsed.filter.right.value, value);
    }
  });

  it('references attributes, quoting names the lexer would split', () => {
    assert.equal(traceQLAttribute('http.route'), '.http.route');
    assert.equal(traceQLAttribute('code.file.path', 'span'), 'span.code.file.path');
    assert.equal(traceQLAttribute('resource.service.name'), 'resource.service.name');
    assert.equal(traceQLAttribute('span.db.system'), 'span.db.system');
    assert.equal(traceQLAttribute('user id'), '."user id"');
    assert.equal(traceQLAttribute('a=b'), '."a=b"');
    assert.equal(traceQLTagIdentifier({ scope: 'intrinsic', name: 'status' }), 'status');
    assert.equal(traceQLTagIdentifier({ scope: 'resource', name: 'service.name' }), 'resource.service.name');
    assert.equal(traceQLTagIdentifier({ scope: undefined, name: 'x y' }), '."x y"');
  });

  it('matches typed and string attributes for values that look like numbers or booleans', () => {
    assert.equal(traceQLEquals('.code', '200'), '(.code = 200 || .code = "200")');
    assert.equal(traceQLEquals('.ok', 'true'), '(.ok = true || .ok = "true")');
    assert.equal(traceQLEquals('.v', '1.5'), '(.v = 1.5 || .v = "1.5")');
    assert.equal(traceQLEquals('.v', '1e5'), '.v = "1e5"');
  });

  it('builds one spanset filter, or {} for no conditions', () => {
    assert.equal(buildTraceQLFilter({}), '{}');
    const query = buildTraceQLFilter({
      service: 'api',
      operation: 'GET /',
      minDurationNano: 1_000_000n,
      attributes: [['code.function.name', 'handle']],
    });
    assert.equal(query, '{ resource.service.name = "api" && name = "GET /" && .code.function.name = "handle" && duration >= 1ms }');
    assert.doesNotThrow(() => parseTraceQL(query));
  });
});
