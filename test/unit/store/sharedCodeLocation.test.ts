import { strict as assert } from 'node:assert';
import { NO_CODE_LOCATION } from '../../../src/core/codeMapping/spanCodeLocation';
import { runIngestJob } from '../../../src/core/otlpWorker/otlpJobs';
import { SharedCodeLocations } from '../../../src/core/codeMapping/sharedCodeLocations';
import { parseFramedRecord } from '../../../src/core/store/spanRecord';
import type { SpanRecord } from '../../../src/core/store/spanRecord';
import { otlpJsonToProtobuf } from '../../support/otlpProtoRequests';
import { otlpRequest } from '../../support/otlpRequests';

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
    assert.equal(first.sharedCodeLocation(3, shared), first.sharedCodeLocation(5, shared));
    assert.equal(first.sharedCodeLocation(7, shared).stackTrace, STACK_ONLY['code.stacktrace']);
  });
});
