import { strict as assert } from 'node:assert';
import { NO_CODE_LOCATION } from '../../../src/core/codeMapping/spanCodeLocation';
import { runIngestJob } from '../../../src/core/otlpWorker/otlpJobs';
import { LocalTraceStore } from '../../../src/core/store/localTraceStore';
import type { FramedRecord } from '../../../src/core/store/recordFrame';
import { parseFramedRecord, SharedCodeLocations } from '../../../src/core/store/spanRecord';
import type { SpanRecord } from '../../../src/core/store/spanRecord';
import { otlpJsonToProtobuf } from '../../support/otlpProtoRequests';
import { otlpRequest, traceIdOf } from '../../support/otlpRequests';
import type { RequestShape } from '../../support/otlpRequests';

type CodeAttributes = Readonly<Record<string, string | number>>;

/** A one-trace record whose span `i` carries `code[i]` (none for an empty object). */
function recordWithCode(trace: number, code: readonly CodeAttributes[]): SpanRecord {
  const doc = otlpRequest([{ trace, spans: code.length, service: 'shop' }]) as {
    resourceSpans: { scopeSpans: { spans: { attributes: unknown[] }[] }[] }[];
  };
  doc.resourceSpans[0].scopeSpans[0].spans.forEach((span, i) => {
    for (const [key, value] of Object.entries(code[i])) {
      span.attributes.push({ key, value: typeof value === 'number' ? { intValue: String(value) } : { stringValue: value } });
    }
  });
  const result = runIngestJob({ body: otlpJsonToProtobuf(doc), format: { encoding: 'protobuf', compression: 'none' }, maxDecompressedBytes: 1 << 20 });
  assert.ok(result.ok && result.record !== undefined);
  const parsed = parseFramedRecord(result.record);
  return parsed.kind === 'spans' ? parsed.record : assert.fail('not a spans record');
}

const LOAD = { 'code.function.name': 'cart.load', 'code.file.path': '/src/cart.ts', 'code.line.number': 17 };
const SAVE_40 = { 'code.function.name': 'cart.save', 'code.file.path': '/src/cart.ts', 'code.line.number': 40 };
const SAVE_41 = { ...SAVE_40, 'code.line.number': 41 };
const FILE_ONLY = { 'code.file.path': '/src/util.ts', 'code.line.number': 3 };
const STACK_ONLY = { 'code.stacktrace': 'Error\n    at load (/src/cart.ts:17:5)' };

describe('shared code locations', () => {
  it('read as codeLocation does, one object per location within and across records', () => {
    const shared = new SharedCodeLocations();
    const first = recordWithCode(1, [{}, LOAD, LOAD, SAVE_40, SAVE_41, SAVE_40, FILE_ONLY, STACK_ONLY]);
    const second = recordWithCode(2, [LOAD, FILE_ONLY, {}]);
    for (const record of [first, second]) {
      for (let row = 0; row < record.spanCount; row++) assert.deepEqual(record.sharedCodeLocation(row, shared), record.codeLocation(row), `row ${row}`);
    }
    assert.equal(first.sharedCodeLocation(0, shared), NO_CODE_LOCATION);
    assert.equal(second.sharedCodeLocation(2, shared), NO_CODE_LOCATION);
    assert.equal(first.sharedCodeLocation(1, shared), first.sharedCodeLocation(2, shared));
    assert.equal(first.sharedCodeLocation(1, shared), second.sharedCodeLocation(0, shared));
    assert.equal(first.sharedCodeLocation(6, shared), second.sharedCodeLocation(1, shared));
    // One code function at two lines: the record's memo of the function must not answer for the other line.
    assert.equal(first.sharedCodeLocation(4, shared).lineNumber, 41);
    assert.equal(first.sharedCodeLocation(5, shared).lineNumber, 40);
    assert.equal(first.sharedCodeLocation(3, shared).lineNumber, 40);
    assert.equal(first.sharedCodeLocation(7, shared).stackTrace, STACK_ONLY['code.stacktrace']);
  });
});

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
