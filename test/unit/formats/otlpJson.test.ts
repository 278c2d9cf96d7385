import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { decodeOtlpAnyValue, decodeOtlpKeyValues, MAX_ANY_VALUE_DEPTH } from '../../../src/core/formats/anyValue';
import { readOtlpId } from '../../../src/core/formats/otlpIds';
import { OtlpTraceCollector, parseOtlpTracesData, readUint64 } from '../../../src/core/formats/otlpJson';
import { MAX_PARSE_WARNINGS, WARNINGS_LEFT_OUT } from '../../../src/core/formats/parseWarnings';
import { TraceParseError } from '../../../src/core/formats/traceParseError';
import type { Span, Trace } from '../../../src/core/model/trace';
import { EMPTY_SCOPE } from '../../../src/core/model/trace';

const ownFixtures = path.resolve(__dirname, '..', '..', 'fixtures', 'own');

function readJson(name: string): unknown {
  return JSON.parse(readFileSync(path.join(ownFixtures, name), 'utf8'));
}

function onlySpan(traces: readonly Trace[]): Span {
  assert.equal(traces.length, 1);
  assert.equal(traces[0].spans.length, 1);
  return traces[0].spans[0];
}

/** A minimal valid span, with fields overridden or removed (undefined) per test. */
function span(fields: Record<string, unknown> = {}): Record<string, unknown> {
  const base: Record<string, unknown> = {
    traceId: '5b8efff798038103d269b633813fc60c',
    spanId: 'eee19b7ec3c1b174',
    name: 'op',
    startTimeUnixNano: '1000',
    endTimeUnixNano: '3000',
  };
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) delete base[key];
    else base[key] = value;
  }
  return base;
}

function doc(...spans: unknown[]): unknown {
  return { resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] }, scopeSpans: [{ spans }] }] };
}

function parse(document: unknown): { traces: Trace[]; warnings: string[] } {
  const warnings: string[] = [];
  return { traces: parseOtlpTracesData(document, '', warnings), warnings };
}

describe('OTLP JSON parser', () => {
  describe('IDs', () => {
    it('lowercases hex IDs of any case', () => {
      const parsed = onlySpan(parse(doc(span({ traceId: '5B8EFFF798038103D269B633813FC60C', spanId: 'EEE19B7EC3C1B174' }))).traces);
      assert.equal(parsed.traceId, '5b8efff798038103d269b633813fc60c');
      assert.equal(parsed.spanId, 'eee19b7ec3c1b174');
    });

    it('decodes base64 IDs (Tempo, Jaeger api_v3 before v1.54)', () => {
      assert.equal(readOtlpId('W47/95gDgQPSabYzgT/HAA==', 16), '5b8efff798038103d269b633813fc700');
      assert.equal(readOtlpId('AAAAAAAAAJYAAAAAAAAAoA==', 16), '000000000000009600000000000000a0');
      assert.equal(readOtlpId('AAAAAAAAALQ=', 8), '00000000000000b4');
      assert.equal(readOtlpId('//////////8=', 8), 'ffffffffffffffff');
      assert.equal(readOtlpId('__________8', 8), 'ffffffffffffffff');
      assert.equal(readOtlpId('W47/95gDgQPSabYzgT/HAA', 16), '5b8efff798038103d269b633813fc700');
    });

    it('reads text of hex digits only as hex, left-padding IDs with stripped leading zeros', () => {
      assert.equal(readOtlpId('5b8efff798038103d269b633813fc7', 16), '005b8efff798038103d269b633813fc7');
      assert.equal(readOtlpId('abcdef0123456789abcdef', 16), '0000000000abcdef0123456789abcdef');
      assert.equal(readOtlpId('B4', 8), '00000000000000b4');
      assert.equal(readOtlpId('5b8efff798038103d269b633813fc70011', 16), undefined);
      assert.equal(readOtlpId('W47/95gDgQPSabYzgT/H', 16), undefined);
      assert.equal(readOtlpId('AAAAAAAAALQ=', 16), undefined);
    });

    it('treats "" and all-zero parent IDs as no parent', () => {
      const { traces } = parse(doc(span({ parentSpanId: '' }), span({ spanId: 'eee19b7ec3c1b175', parentSpanId: '0000000000000000' })));
      assert.deepEqual(
        traces[0].spans.map((parsed) => parsed.parentSpanId),
        [undefined, undefined],
      );
    });

    it('keeps a real parent and warns about a malformed one', () => {
      const { traces, warnings } = parse(
        doc(span({ parentSpanId: 'EEE19B7EC3C1B173' }), span({ spanId: 'eee19b7ec3c1b175', parentSpanId: 'not-an-id' })),
      );
      assert.equal(traces[0].spans[0].parentSpanId, 'eee19b7ec3c1b173');
      assert.equal(traces[0].spans[1].parentSpanId, undefined);
      assert.match(warnings.join('\n'), /resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[1\] has an invalid "parentSpanId" "not-an-id"/);
    });

    it('names the path of a span without a required ID', () => {
      const document = {
        resourceSpans: [{ scopeSpans: [{ spans: [span()] }, { spans: [span(), span(), span(), span(), span({ spanId: undefined })] }] }],
      };
      assert.throws(
        () => parse(document),
        (error: unknown) =>
          error instanceof TraceParseError && error.message === 'resourceSpans[0].scopeSpans[1].spans[4] is missing "spanId"',
      );
      assert.throws(() => parse(doc(span({ traceId: '' }))), /spans\[0\] is missing "traceId"/);
    });

    it('rejects an ID that is neither hex nor base64 of the right length', () => {
      assert.throws(() => parse(doc(span({ spanId: 'xyz' }))), /spans\[0\] has an invalid "spanId" "xyz": expected 16 hex digits or base64 of 8 bytes/);
      assert.throws(() => parse(doc(span({ traceId: 42 }))), /invalid "traceId" 42/);
    });
  });

  describe('times', () => {
    it('keeps nanoseconds beyond 2^53 exact, from strings and numbers', () => {
      assert.equal(readUint64('11651379494838206464'), 11651379494838206464n);
      assert.equal(readUint64(1700000002000000000), 1700000002000000000n);
      assert.equal(readUint64('-5'), undefined);
      assert.equal(readUint64('1e9'), undefined);
      const parsed = onlySpan(parse(doc(span({ startTimeUnixNano: '1700000000123456789', endTimeUnixNano: '1700000000123457789' }))).traces);
      assert.equal(parsed.startTimeUnixNano, 1700000000123456789n);
      assert.equal(parsed.durationNano, 1000n);
    });

    it('gives a span without an end a zero duration, with one counted warning', () => {
      const { traces, warnings } = parse(doc(span({ endTimeUnixNano: undefined }), span({ spanId: 'eee19b7ec3c1b175', endTimeUnixNano: undefined })));
      assert.deepEqual(
        traces[0].spans.map((parsed) => parsed.durationNano),
        [0n, 0n],
      );
      assert.deepEqual(warnings, ['2 spans have no "endTimeUnixNano"; duration shown as 0 (first: resourceSpans[0].scopeSpans[0].spans[0])']);
    });

    it('gives a span that ends before it starts a zero duration and a warning', () => {
      const { traces, warnings } = parse(doc(span({ startTimeUnixNano: '5000', endTimeUnixNano: '4000' })));
      assert.equal(onlySpan(traces).durationNano, 0n);
      assert.equal(onlySpan(traces).startTimeUnixNano, 5000n);
      assert.match(warnings[0], /^1 span ends before starting; duration shown as 0/);
    });

    it('takes an omitted start as 0, as proto3 JSON omits zero values, but rejects a malformed one', () => {
      const { traces, warnings } = parse(doc(span({ startTimeUnixNano: undefined, endTimeUnixNano: undefined })));
      assert.equal(onlySpan(traces).startTimeUnixNano, 0n);
      assert.match(warnings.join('\n'), /1 span has no "startTimeUnixNano"/);
      assert.throws(() => parse(doc(span({ startTimeUnixNano: 'soon' }))), /spans\[0\] has an invalid "startTimeUnixNano": "soon"/);
    });
  });

  describe('enums', () => {
    it('reads span kinds as integers or names', () => {
      const kinds = [0, 1, 2, 3, 4, 5, 'SPAN_KIND_SERVER', 'SPAN_KIND_CONSUMER', 'SPAN_KIND_INTERNAL'];
      const { traces, warnings } = parse(doc(...kinds.map((kind, i) => span({ kind, spanId: `eee19b7ec3c1b1${String(i).padStart(2, '0')}` }))));
      assert.deepEqual(
        traces[0].spans.map((parsed) => parsed.kind),
        ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer', 'server', 'consumer', 'internal'],
      );
      assert.deepEqual(warnings, []);
    });

    it('reads status codes as integers or names, with the message', () => {
      const statuses = [{}, { code: 1 }, { code: 2, message: 'boom' }, { code: 'STATUS_CODE_ERROR' }, { code: 'STATUS_CODE_OK' }];
      const { traces } = parse(doc(...statuses.map((status, i) => span({ status, spanId: `eee19b7ec3c1b1${String(i).padStart(2, '0')}` }))));
      assert.deepEqual(
        traces[0].spans.map((parsed) => parsed.status),
        [{ code: 'unset' }, { code: 'ok' }, { code: 'error', message: 'boom' }, { code: 'error' }, { code: 'ok' }],
      );
    });

    it('warns about unknown enum values instead of failing', () => {
      const { traces, warnings } = parse(doc(span({ kind: 'SPAN_KIND_ROBOT', status: { code: 'constructor' } })));
      assert.equal(onlySpan(traces).kind, 'unspecified');
      assert.equal(onlySpan(traces).status.code, 'unset');
      assert.equal(warnings.length, 2);
      assert.match(warnings[0], /unknown "kind" "SPAN_KIND_ROBOT"/);
    });
  });

  describe('resources, scopes, events and links', () => {
    it('shares one resource object per ResourceSpans and one scope object per ScopeSpans', () => {
      const { traces } = parse({
        resourceSpans: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'a' } }] },
            scopeSpans: [
              { scope: { name: 'lib', version: '1.0' }, spans: [span(), span({ spanId: 'eee19b7ec3c1b175' })] },
              { scope: { name: 'other' }, spans: [span({ spanId: 'eee19b7ec3c1b176' })] },
            ],
          },
        ],
      });
      const [first, second, third] = traces[0].spans;
      assert.equal(first.resource, second.resource);
      assert.equal(first.resource, third.resource);
      assert.equal(first.scope, second.scope);
      assert.notEqual(first.scope, third.scope);
      assert.deepEqual(first.scope, { name: 'lib', version: '1.0', attributes: [] });
      assert.equal(first.resource.serviceName, 'a');
    });

    it('uses the shared empty scope when a scope is missing or empty', () => {
      const { traces } = parse({ resourceSpans: [{ scopeSpans: [{ spans: [span()] }, { scope: {}, spans: [span({ spanId: 'eee19b7ec3c1b175' })] }] }] });
      assert.equal(traces[0].spans[0].scope, EMPTY_SCOPE);
      assert.equal(traces[0].spans[1].scope, EMPTY_SCOPE);
    });

    it('names a resource without service.name unknown_service and warns once', () => {
      const { traces, warnings } = parse({
        resourceSpans: [
          { resource: { attributes: [] }, scopeSpans: [{ spans: [span()] }] },
          { scopeSpans: [{ spans: [span({ spanId: 'eee19b7ec3c1b175' })] }] },
        ],
      });
      assert.deepEqual(
        traces[0].spans.map((parsed) => parsed.resource.serviceName),
        ['unknown_service', 'unknown_service'],
      );
      assert.deepEqual(warnings, [
        '2 resources have no "service.name" attribute; spans are shown under "unknown_service" (first: resourceSpans[0].resource)',
      ]);
    });

    it('reads the older instrumentationLibrarySpans spelling', () => {
      const { traces } = parse(readJson('otlp-instrumentation-library.json'));
      const parsed = onlySpan(traces);
      assert.deepEqual(parsed.scope, { name: 'io.opentelemetry.jdbc', version: '0.9.0', attributes: [] });
      assert.equal(parsed.resource.serviceName, 'legacy-sdk');
      assert.equal(parsed.durationNano, 500_000_000n);
    });

    it('reads events, links with trace state and attributes, span trace state and status message', () => {
      const { traces, warnings } = parse(readJson('otlp-int64-numbers.json'));
      assert.deepEqual(warnings, []);
      const [reserve, update] = traces[0].spans;
      assert.equal(traces[0].traceId, '4bf92f3577b34da6a3ce929d0e0e4736');
      assert.equal(reserve.spanId, '00f067aa0ba902b7');
      assert.equal(reserve.parentSpanId, undefined);
      assert.equal(update.parentSpanId, '00f067aa0ba902b7');
      assert.equal(reserve.traceState, 'vendor=a1');
      assert.equal(update.traceState, undefined);
      assert.equal(reserve.startTimeUnixNano, 1700000002000000000n);
      assert.equal(reserve.durationNano, 4_000_000n);
      assert.deepEqual(reserve.status, { code: 'error', message: 'out of stock' });
      assert.deepEqual(update.status, { code: 'ok' });
      // Int64 sent as a JSON number is rounded to a double by JSON.parse already; the parser keeps that value.
      assert.deepEqual(reserve.events, [{ timeUnixNano: BigInt(1700000002001000000), name: 'locked', attributes: [] }]);
      assert.equal(reserve.events[0].timeUnixNano, 1700000002000999936n);
      assert.deepEqual(reserve.links, [
        {
          traceId: '0af7651916cd43dd8448eb211c80319c',
          spanId: 'b7ad6b7169203331',
          traceState: 'vendor=b2',
          attributes: [{ key: 'link.reason', value: { type: 'string', value: 'batch' } }],
        },
      ]);
      assert.deepEqual(reserve.scope.attributes, [{ key: 'team', value: { type: 'string', value: 'stock' } }]);
      assert.deepEqual(reserve.resource.attributes[1], { key: 'service.instance.id', value: { type: 'string', value: 'inv-1' } });
    });

    it('places an event without a time at the span start, with a warning', () => {
      const { traces, warnings } = parse(doc(span({ events: [{ name: 'e' }] })));
      assert.equal(onlySpan(traces).events[0].timeUnixNano, 1000n);
      assert.match(warnings[0], /1 span event has no "timeUnixNano"; placed at the span start/);
    });

    it('drops a link without valid IDs, with a warning', () => {
      const { traces, warnings } = parse(doc(span({ links: [{ traceId: 'zz', spanId: 'eee19b7ec3c1b174' }] })));
      assert.deepEqual(onlySpan(traces).links, []);
      assert.match(warnings[0], /links\[0\] has no valid "traceId" and "spanId"/);
    });
  });

  describe('grouping', () => {
    it('groups spans by trace ID in order of first appearance, across documents', () => {
      const warnings: string[] = [];
      const collector = new OtlpTraceCollector(warnings);
      const a = '0af7651916cd43dd8448eb211c80319c';
      const b = '4bf92f3577b34da6a3ce929d0e0e4736';
      collector.addTracesData(doc(span({ traceId: b }), span({ traceId: a, spanId: '0000000000000002' })), '');
      collector.addTracesData(doc(span({ traceId: b, spanId: '0000000000000003' })), 'line 2');
      const traces = collector.finish();
      assert.deepEqual(
        traces.map((trace) => [trace.traceId, trace.spans.map((parsed) => parsed.spanId)]),
        [
          [b, ['eee19b7ec3c1b174', '0000000000000003']],
          [a, ['0000000000000002']],
        ],
      );
    });

    it('accepts an empty document ({}), as proto3 JSON writes one without spans', () => {
      assert.deepEqual(parse({}).traces, []);
      assert.deepEqual(parse({ resourceSpans: [{ scopeSpans: [{ scope: { name: 'x' } }] }] }).traces, []);
    });

    it('rejects wrong structure with the path', () => {
      assert.throws(() => parse({ resourceSpans: {} }), /^TraceParseError: resourceSpans is not a list$/);
      assert.throws(() => parse({ resourceSpans: [{ scopeSpans: [{ spans: {} }] }] }), /resourceSpans\[0\]\.scopeSpans\[0\]\.spans is not a list/);
      assert.throws(() => parse({ resourceSpans: [{ scopeSpans: [{ spans: [7] }] }] }), /resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\] is not an object/);
      assert.throws(() => parseOtlpTracesData([], 'result', []), /result is not an OTLP JSON object/);
    });
  });
});

describe('OTLP AnyValue decoding', () => {
  it('decodes every value type', () => {
    const warnings: string[] = [];
    const attributes = decodeOtlpKeyValues(
      [
        { key: 's', value: { stringValue: 'x' } },
        { key: 'b', value: { boolValue: true } },
        { key: 'i', value: { intValue: '-9223372036854775808' } },
        { key: 'n', value: { intValue: 42 } },
        { key: 'd', value: { doubleValue: 1.5 } },
        { key: 'nan', value: { doubleValue: 'NaN' } },
        { key: 'y', value: { bytesValue: 'AAAwOQ==' } },
        { key: 'a', value: { arrayValue: { values: [{ stringValue: 'p' }, { intValue: '1' }] } } },
        { key: 'ea', value: { arrayValue: {} } },
        { key: 'm', value: { kvlistValue: { values: [{ key: 'k', value: { boolValue: false } }] } } },
        { key: 'e', value: {} },
      ],
      'attributes',
      warnings,
    );
    assert.deepEqual(warnings, []);
    assert.deepEqual(attributes, [
      { key: 's', value: { type: 'string', value: 'x' } },
      { key: 'b', value: { type: 'bool', value: true } },
      { key: 'i', value: { type: 'int', value: '-9223372036854775808' } },
      { key: 'n', value: { type: 'int', value: '42' } },
      { key: 'd', value: { type: 'double', value: 1.5 } },
      { key: 'nan', value: { type: 'double', value: Number.NaN } },
      { key: 'y', value: { type: 'bytes', value: 'AAAwOQ==' } },
      {
        key: 'a',
        value: {
          type: 'array',
          value: [
            { type: 'string', value: 'p' },
            { type: 'int', value: '1' },
          ],
        },
      },
      { key: 'ea', value: { type: 'array', value: [] } },
      { key: 'm', value: { type: 'map', value: [{ key: 'k', value: { type: 'bool', value: false } }] } },
      { key: 'e', value: { type: 'empty', value: null } },
    ]);
  });

  it('keeps malformed values as text and says where', () => {
    const warnings: string[] = [];
    const attributes = decodeOtlpKeyValues(
      [{ key: 'i', value: { intValue: '12abc' } }, { value: { stringValue: 'no key' } }, { key: 'u', value: { fancyValue: 1 } }],
      'span.attributes',
      warnings,
    );
    assert.deepEqual(attributes, [
      { key: 'i', value: { type: 'string', value: '12abc' } },
      { key: 'u', value: { type: 'empty', value: null } },
    ]);
    assert.deepEqual(warnings, [
      'span.attributes[0] has an "intValue" that is not an integer; kept as text',
      'span.attributes[1] has no "key"; ignored',
      'span.attributes[2] has an unknown value field "fancyValue"; shown as empty',
    ]);
  });

  it('cuts off nesting beyond the depth cap without recursing further', () => {
    let value: unknown = { stringValue: 'bottom' };
    for (let i = 0; i < 10_000; i++) value = { arrayValue: { values: [value] } };
    const warnings: string[] = [];
    let decoded = decodeOtlpAnyValue(value, 'v', warnings);
    let depth = 0;
    while (decoded.type === 'array') {
      decoded = decoded.value[0];
      depth++;
    }
    assert.equal(depth, MAX_ANY_VALUE_DEPTH);
    assert.equal(decoded.type, 'empty');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /nested deeper than 32 levels/);
  });

  it('caps the number of warnings', () => {
    const warnings: string[] = [];
    const list = Array.from({ length: 500 }, () => ({ key: 'x', value: { intValue: 'bad' } }));
    decodeOtlpKeyValues(list, 'attributes', warnings);
    assert.equal(warnings.length, MAX_PARSE_WARNINGS + 1);
    assert.equal(warnings[MAX_PARSE_WARNINGS], WARNINGS_LEFT_OUT);
  });
});
