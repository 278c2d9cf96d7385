import { strict as assert } from 'node:assert';
import { runIngestJob } from '../../../src/core/otlpWorker/otlpJobs';
import { LocalTraceStore } from '../../../src/core/store/localTraceStore';
import type { FramedRecord } from '../../../src/core/store/recordFrame';
import { otlpJsonToProtobuf } from '../../support/otlpProtoRequests';
import { otlpRequest, traceIdOf } from '../../support/otlpRequests';
import type { RequestShape } from '../../support/otlpRequests';

describe('span index', () => {
  function request(trace: number, name: string, kind: number, service = 'api'): RequestShape & { name: string; kind: number } {
    return { trace, spans: 1, service, name, kind };
  }

  /** One span per shape, with the shape's name and kind. */
  function recordOfNamed(shapes: readonly (RequestShape & { name: string; kind: number })[]): FramedRecord {
    const doc = otlpRequest(shapes) as { resourceSpans: { scopeSpans: { spans: { name: string; kind: number }[] }[] }[] };
    doc.resourceSpans.forEach((resourceSpans, i) => {
      for (const span of resourceSpans.scopeSpans[0].spans) {
        span.name = shapes[i].name;
        span.kind = shapes[i].kind;
      }
    });
    const result = runIngestJob({ body: otlpJsonToProtobuf(doc), format: { encoding: 'protobuf', compression: 'none' }, maxDecompressedBytes: 1 << 20 });
    assert.ok(result.ok && result.record !== undefined);
    return result.record;
  }

  it('keeps one span name under several kinds apart, and drops each kind with its last span', async () => {
    const store = await LocalTraceStore.open({ maxSpans: 3 });
    try {
      store.append(recordOfNamed([request(1, 'sync', 1), request(1, 'sync', 2), request(2, 'other', 1, 'db')]));
      store.append(recordOfNamed([request(3, 'sync', 3)]));
      // Trace 1 (both "sync" spans) made room for trace 3.
      assert.deepEqual(await store.listOperations('api'), [{ name: 'sync', spanKind: 'client' }]);
      assert.deepEqual(await store.listServices(), ['api', 'db']);
      store.append(recordOfNamed([request(4, 'sync', 2), request(5, 'sync', 1)]));
      assert.deepEqual(await store.listServices(), ['api']);
      assert.deepEqual(await store.listOperations('api'), [
        { name: 'sync', spanKind: 'client' },
        { name: 'sync', spanKind: 'internal' },
        { name: 'sync', spanKind: 'server' },
      ]);
      const found = await store.searchTraces({ service: 'api', startUnixMillis: 0, endUnixMillis: Date.now() + 1 });
      assert.deepEqual(found.summaries.map((summary) => summary.traceId).sort(), [traceIdOf(3), traceIdOf(4), traceIdOf(5)]);
    } finally {
      await store.close();
    }
  });
});
