import { strict as assert } from 'node:assert';
import {
  decodeColumnarTrace,
  encodeColumnarTrace,
  hasChildren,
  isErrorFlags,
  spanKindOfFlags,
} from '../../../src/core/layout/columnarTrace';
import { buildSpanTree } from '../../../src/core/model/spanTree';
import type { Trace } from '../../../src/core/model/trace';
import type { ColumnarTraceMessage } from '../../../src/shared/webviewProtocol';
import { BASE_TIME_UNIX_NANO, TRACE_ID, generateTrace, makeSpan } from './traceBuilders';

function sampleTrace(): Trace {
  // Listed out of display order on purpose: the child starts before its sibling's parent is listed.
  return {
    traceId: TRACE_ID,
    spans: [
      makeSpan({ index: 2, parent: 0, name: 'GET /b', service: 'db', startOffsetNano: 5_000_000n, durationNano: 1_500_000n }, {
        kind: 'client',
        status: { code: 'error', message: 'timeout' },
      }),
      makeSpan({ index: 0, name: 'root', service: 'frontend', startOffsetNano: 0n, durationNano: 10_000_000n }, { kind: 'server' }),
      makeSpan({ index: 1, parent: 0, name: 'GET /a', service: 'api', startOffsetNano: 1_000_000n, durationNano: 2_000_000n }),
      makeSpan({ index: 3, parent: 1, name: 'GET /a', service: 'db', startOffsetNano: 1_200_000n, durationNano: 12_000_000n }),
    ],
  };
}

describe('columnar trace', () => {
  it('encodes spans in display order with interned names and services', () => {
    const trace = sampleTrace();
    const { message, transfer } = encodeColumnarTrace(trace, buildSpanTree(trace.spans));
    assert.equal(message.spanCount, 4);
    assert.equal(message.traceId, TRACE_ID);
    assert.equal(message.traceStartUnixNano, BASE_TIME_UNIX_NANO.toString());
    // The trace ends with span 3 (1.2 ms + 12 ms), after the root's end.
    assert.equal(message.traceDurationNano, 13_200_000);
    assert.deepEqual(message.services, ['frontend', 'api', 'db']);
    assert.deepEqual(message.names, ['root', 'GET /a', 'GET /b']);
    assert.equal(transfer.length, 11);
    assert.ok(transfer.includes(message.startOffsetNano) && transfer.includes(message.flags));

    const decoded = decodeColumnarTrace(message);
    assert.deepEqual([...decoded.nameIndex].map((i) => decoded.names[i]), ['root', 'GET /a', 'GET /a', 'GET /b']);
    assert.deepEqual([...decoded.serviceIndex].map((i) => decoded.services[i]), ['frontend', 'api', 'db', 'db']);
    assert.deepEqual([...decoded.startOffsetNano], [0, 1_000_000, 1_200_000, 5_000_000]);
    assert.deepEqual([...decoded.durationNano], [10_000_000, 2_000_000, 12_000_000, 1_500_000]);
    assert.deepEqual([...decoded.depth], [0, 1, 2, 1]);
    assert.deepEqual([...decoded.parentPosition], [-1, 0, 1, 0]);
    assert.deepEqual([...decoded.subtreeEnd], [4, 3, 3, 4]);
    assert.equal(decoded.maxDepth, 2);
    assert.equal(decoded.traceStartUnixNano, BASE_TIME_UNIX_NANO);
    assert.equal(spanKindOfFlags(decoded.flags[0]), 'server');
    assert.equal(spanKindOfFlags(decoded.flags[3]), 'client');
    assert.deepEqual([...decoded.flags].map(isErrorFlags), [false, false, false, true]);
    assert.equal(hasChildren(decoded, 0), true);
    assert.equal(hasChildren(decoded, 2), false);
  });

  it('keeps nanosecond offsets exact for starts beyond 2^53', () => {
    const trace: Trace = {
      traceId: TRACE_ID,
      spans: [
        makeSpan({ index: 0, startOffsetNano: 0n, durationNano: 3n }),
        makeSpan({ index: 1, parent: 0, startOffsetNano: 1n, durationNano: 1n }),
      ],
    };
    const decoded = decodeColumnarTrace(encodeColumnarTrace(trace, buildSpanTree(trace.spans)).message);
    assert.deepEqual([...decoded.startOffsetNano], [0, 1]);
    assert.equal(decoded.traceDurationNano, 3);
  });

  it('encodes an empty trace', () => {
    const trace: Trace = { traceId: TRACE_ID, spans: [] };
    const decoded = decodeColumnarTrace(encodeColumnarTrace(trace, buildSpanTree([])).message);
    assert.equal(decoded.spanCount, 0);
    assert.equal(decoded.traceDurationNano, 0);
  });

  it('accepts typed-array views at any offset as columns', () => {
    const trace = generateTrace(50);
    const { message } = encodeColumnarTrace(trace, buildSpanTree(trace.spans));
    const shifted = (buffer: ArrayBuffer): Uint8Array => {
      const copy = new Uint8Array(buffer.byteLength + 3);
      copy.set(new Uint8Array(buffer), 3);
      return copy.subarray(3);
    };
    const viaViews = { ...message, durationNano: shifted(message.durationNano), subtreeEnd: shifted(message.subtreeEnd) };
    const decoded = decodeColumnarTrace(viaViews as unknown as ColumnarTraceMessage);
    assert.deepEqual([...decoded.durationNano], [...new Float64Array(message.durationNano)]);
    assert.deepEqual([...decoded.subtreeEnd], [...new Int32Array(message.subtreeEnd)]);
  });

  it('rejects malformed messages with the column and position at fault', () => {
    const trace = sampleTrace();
    const { message } = encodeColumnarTrace(trace, buildSpanTree(trace.spans));
    assert.throws(() => decodeColumnarTrace({ ...message, depth: new ArrayBuffer(6) }), /column "depth" has 6 bytes, expected 8/);
    assert.throws(
      () => decodeColumnarTrace({ ...message, names: ['root'] }),
      /span at position 1 has no span name/,
    );
    const badEnd = new Int32Array([4, 5, 3, 4]);
    assert.throws(() => decodeColumnarTrace({ ...message, subtreeEnd: badEnd.buffer }), /position 1 has subtree end 5/);
    const badParent = new Int32Array([-1, 0, 3, 0]);
    assert.throws(() => decodeColumnarTrace({ ...message, parentPosition: badParent.buffer }), /position 2 has parent position 3/);
    assert.throws(
      () => decodeColumnarTrace({ ...message, flags: 'x' as unknown as ArrayBuffer }),
      /column "flags" is not binary data/,
    );
  });

  it('refuses a tree built from different spans', () => {
    const trace = sampleTrace();
    assert.throws(() => encodeColumnarTrace(trace, buildSpanTree(trace.spans.slice(1))), /3 positions but the trace has 4 spans/);
  });
});
