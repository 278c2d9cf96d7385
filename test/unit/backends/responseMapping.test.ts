import { strict as assert } from 'node:assert';
import { parseTraceDocument } from '../../../src/core/formats/parseTraceText';
import { v1Operations, v1Services, v3Operations, v3Services, v3Summaries } from '../../../src/core/backends/jaeger/jaegerResponses';
import { summariesFromTraces } from '../../../src/core/backends/searchFromTraces';
import { mapQueryRange, mapSearchResponse, mapTagNamesV2, mapTagValues } from '../../../src/core/backends/tempo/tempoResponses';
import { readBackendFixture } from '../../support/backendServers/fixtureData';

describe('backend response mapping', () => {
  it('maps the Jaeger trace-summaries snapshot (fixed64 strings, omitted zero counts)', () => {
    const [summary] = v3Summaries(readBackendFixture('jaeger/api_v3/snapshots/FindTraceSummaries.json'));
    assert.deepEqual(summary, {
      traceId: '00000000000000000000000000000001',
      rootServiceName: 'frontend',
      rootSpanName: 'HTTP GET /',
      startTimeUnixNano: 1_000_000_000_000n,
      durationNano: 1_000_000_000n,
      spanCount: 2,
      errorCount: 1,
      services: [{ name: 'frontend', spanCount: 2, errorCount: 1 }],
      matchedSpans: [],
    });
    assert.deepEqual(v3Summaries({}), []);
  });

  it('maps Jaeger services and operations, v3 snapshots and v1 envelopes', () => {
    assert.deepEqual(v3Services(readBackendFixture('jaeger/api_v3/snapshots/GetServices.json')), ['foo']);
    assert.deepEqual(v3Operations(readBackendFixture('jaeger/api_v3/snapshots/GetOperations.json')), [{ name: 'get_users', spanKind: 'server' }]);
    assert.deepEqual(v3Services({}), [], 'jsonpb omits an empty list');
    assert.deepEqual(v1Services({ data: ['a'], total: 1, limit: 0, offset: 0, errors: null }), ['a']);
    assert.deepEqual(v1Operations({ data: null, total: 0 }), []);
    assert.deepEqual(v1Operations({ data: ['x', { name: 'y', spanKind: 'consumer' }] }), [
      { name: 'x', spanKind: undefined },
      { name: 'y', spanKind: 'consumer' },
    ]);
    assert.throws(() => v1Services({ services: [] }), /\{"data": …\} envelope/);
  });

  it('summarizes whole traces client-side, newest first, capped at the limit', () => {
    const yelp = readBackendFixture('zipkin/api_v2/trace/yelp.json') as unknown[];
    const skew = readBackendFixture('zipkin/api_v2/trace/skew.json') as unknown[];
    const warnings: string[] = [];
    const summaries = summariesFromTraces(parseTraceDocument([skew, yelp]), { attributes: [], limit: 1 }, warnings);
    assert.equal(summaries.length, 1);
    assert.equal(summaries[0].traceId, '0000000000000000a03ee8fff1dcd9b9', 'yelp (2019) is newer than skew (2016)');
    assert.equal(summaries[0].rootServiceName, 'routing');
    assert.equal(summaries[0].spanCount, 16);
  });

  it('maps a Tempo search body field by field', () => {
    const warnings: string[] = [];
    const [summary, ...rest] = mapSearchResponse(
      {
        traces: [
          {
            traceID: '2f3e0cee77ae5dc9c17ade3689eb2e54',
            rootServiceName: 'shop-backend',
            rootTraceName: 'update-billing',
            startTimeUnixNano: '1684778327699392724',
            durationMs: 557,
            spanSets: [
              {
                spans: [
                  {
                    spanID: '563d623c76514f8e',
                    startTimeUnixNano: '1684778327735077898',
                    durationNanos: '446979497',
                    attributes: [{ key: 'status', value: { stringValue: 'error' } }],
                  },
                ],
                matched: 1,
              },
            ],
            serviceStats: { 'shop-backend': { spanCount: 5, errorCount: 2 }, db: { spanCount: 3 } },
          },
          { traceID: 'zz' },
          { traceID: 'abc', rootServiceName: '<root span not yet received>' },
        ],
        metrics: { inspectedTraces: 2, inspectedBytes: '1000' },
      },
      warnings,
    );
    assert.deepEqual(summary, {
      traceId: '2f3e0cee77ae5dc9c17ade3689eb2e54',
      rootServiceName: 'shop-backend',
      rootSpanName: 'update-billing',
      startTimeUnixNano: 1684778327699392724n,
      durationNano: 557_000_000n,
      spanCount: 8,
      errorCount: 2,
      services: [
        { name: 'shop-backend', spanCount: 5, errorCount: 2 },
        { name: 'db', spanCount: 3, errorCount: 0 },
      ],
      matchedSpans: [
        { spanId: '563d623c76514f8e', name: undefined, startTimeUnixNano: 1684778327735077898n, durationNano: 446979497n, attributes: { status: 'error' } },
      ],
    });
    assert.equal(rest.length, 1);
    assert.equal(rest[0].traceId, '00000000000000000000000000000abc');
    assert.equal(rest[0].rootServiceName, undefined);
    assert.equal(rest[0].spanCount, undefined, 'no serviceStats, no counts');
    assert.deepEqual(warnings, ['1 search result(s) without a readable trace ID were left out']);
    assert.deepEqual(mapSearchResponse({}, []), [], 'proto3 JSON writes no traces as {}');
  });

  it('maps Tempo tags and metrics bodies', () => {
    assert.deepEqual(mapTagNamesV2({ scopes: [{ name: 'span', tags: ['a'] }, { name: 'intrinsic', tags: ['name'] }] }), [
      { scope: 'span', name: 'a' },
      { scope: 'intrinsic', name: 'name' },
    ]);
    assert.deepEqual(mapTagValues({ tagValues: ['x', { type: 'int', value: '200' }, { type: 'string' }] }), [
      { value: 'x', type: undefined },
      { value: '200', type: 'int' },
    ]);
    const result = mapQueryRange({
      series: [
        {
          labels: [
            { key: 'span.code.function.name', value: { stringValue: 'X' } },
            { key: 'p', value: { doubleValue: 0.95 } },
            { key: 'n', value: { intValue: '3' } },
          ],
          samples: [{ timestampMs: '1700000000000', value: 0.0123 }, { timestampMs: '1700000060000' }, { timestampMs: '1700000120000', value: 'NaN' }],
          exemplars: [{ labels: [{ key: 'trace:id', value: { stringValue: 'abc' } }], value: 0.5, timestampMs: '1700000000001' }],
        },
      ],
      metrics: {},
    });
    assert.deepEqual(result.series[0].labels, [
      { key: 'span.code.function.name', value: 'X' },
      { key: 'p', value: 0.95 },
      { key: 'n', value: 3 },
    ]);
    assert.deepEqual(result.series[0].samples.slice(0, 2), [
      { timestampUnixMillis: 1700000000000, value: 0.0123 },
      { timestampUnixMillis: 1700000060000, value: 0 },
    ]);
    assert.ok(Number.isNaN(result.series[0].samples[2].value));
    assert.equal(result.series[0].exemplars[0].traceId, '00000000000000000000000000000abc');
    assert.equal(result.partial, false);
    assert.throws(() => mapQueryRange({ series: {} }), /"series" is not a list/);
  });
});
