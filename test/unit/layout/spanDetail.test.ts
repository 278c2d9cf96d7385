import { strict as assert } from 'node:assert';
import { anyValueToText, buildSpanDetail, MAX_VALUE_DEPTH } from '../../../src/core/layout/spanDetail';
import { formatUnixNanoIso } from '../../../src/core/layout/timestampText';
import type { AnyValue } from '../../../src/core/model/trace';
import { BASE_TIME_UNIX_NANO, makeSpan, resourceFor } from './traceBuilders';

describe('span detail', () => {
  it('renders scalar values as plain text and int64 exactly', () => {
    assert.equal(anyValueToText({ type: 'string', value: '<img src=x onerror=alert(1)>' }), '<img src=x onerror=alert(1)>');
    assert.equal(anyValueToText({ type: 'int', value: '9223372036854775807' }), '9223372036854775807');
    assert.equal(anyValueToText({ type: 'double', value: 0.5 }), '0.5');
    assert.equal(anyValueToText({ type: 'bool', value: false }), 'false');
    assert.equal(anyValueToText({ type: 'bytes', value: 'AQID' }), 'AQID');
    assert.equal(anyValueToText({ type: 'empty', value: null }), '');
  });

  it('renders arrays and maps as JSON, keeping int64 digits and quoting NaN', () => {
    const value: AnyValue = {
      type: 'map',
      value: [
        { key: 'ids', value: { type: 'array', value: [{ type: 'int', value: '9007199254740993' }, { type: 'int', value: '-2' }] } },
        { key: 'ratio', value: { type: 'double', value: Number.NaN } },
        { key: 'say "hi"', value: { type: 'string', value: 'a\nb' } },
        { key: 'none', value: { type: 'empty', value: null } },
        { key: 'ok', value: { type: 'bool', value: true } },
      ],
    };
    const text = anyValueToText(value);
    assert.equal(text, '{"ids": [9007199254740993, -2], "ratio": "NaN", "say \\"hi\\"": "a\\nb", "none": null, "ok": true}');
  });

  it('caps nesting depth instead of recursing without bound', () => {
    let value: AnyValue = { type: 'string', value: 'deep' };
    for (let i = 0; i < 10_000; i++) value = { type: 'array', value: [value] };
    const text = anyValueToText(value);
    assert.equal(text, `${'['.repeat(MAX_VALUE_DEPTH)}"…"${']'.repeat(MAX_VALUE_DEPTH)}`);
  });

  it('builds the detail of a span with events, links, resource and scope', () => {
    const span = makeSpan(
      { index: 3, parent: 1, name: 'GET /users', service: 'api', startOffsetNano: 5_000n, durationNano: 2_500_000n },
      {
        kind: 'server',
        status: { code: 'error', message: 'upstream timeout' },
        attributes: [{ key: 'http.status_code', value: { type: 'int', value: '504' } }],
        events: [{ timeUnixNano: BASE_TIME_UNIX_NANO + 1_005_000n, name: 'retry', attributes: [{ key: 'attempt', value: { type: 'int', value: '2' } }] }],
        links: [{ traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), attributes: [] }],
        resource: resourceFor('api', [{ key: 'host.name', value: { type: 'string', value: 'node-1' } }]),
        scope: { name: 'io.opentelemetry.http', version: '1.2.0', attributes: [] },
      },
    );
    const detail = buildSpanDetail(span, 7);
    assert.equal(detail.position, 7);
    assert.equal(detail.spanId, '0000000000000004');
    assert.equal(detail.parentSpanId, '0000000000000002');
    assert.equal(detail.name, 'GET /users');
    assert.equal(detail.service, 'api');
    assert.equal(detail.kind, 'server');
    assert.equal(detail.statusCode, 'error');
    assert.equal(detail.statusMessage, 'upstream timeout');
    assert.equal(detail.startTimeUnixNano, (BASE_TIME_UNIX_NANO + 5_000n).toString());
    assert.equal(detail.durationNano, '2500000');
    assert.deepEqual(detail.attributes, [{ key: 'http.status_code', type: 'int', text: '504' }]);
    assert.deepEqual(detail.resource.map((a) => a.key), ['service.name', 'host.name']);
    assert.deepEqual(detail.scope, { name: 'io.opentelemetry.http', version: '1.2.0', attributes: [] });
    assert.deepEqual(detail.events, [{ offsetNano: 1_000_000, name: 'retry', attributes: [{ key: 'attempt', type: 'int', text: '2' }] }]);
    assert.deepEqual(detail.links, [{ traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), attributes: [] }]);
  });

  it('formats absolute start times to the nanosecond', () => {
    assert.equal(formatUnixNanoIso(BASE_TIME_UNIX_NANO), '2023-11-14T22:13:20.123456789Z');
    assert.equal(formatUnixNanoIso('1000000'), '1970-01-01T00:00:00.001000000Z');
    assert.equal(formatUnixNanoIso('not a number'), 'not a number');
  });
});
