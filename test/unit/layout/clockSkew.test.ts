import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { adjustClockSkew, type ClockSkewAdjustment } from '../../../src/core/layout/clockSkew';
import { decodeColumnarTrace, encodeColumnarTrace } from '../../../src/core/layout/columnarTrace';
import { parseTraceText } from '../../../src/core/formats/parseTraceText';
import { buildSpanTree } from '../../../src/core/model/spanTree';
import type { SpanKind, Trace } from '../../../src/core/model/trace';
import { SPAN_FLAG_KIND_SHIFT, SPAN_FLAG_SKEW_ADJUSTED, SPAN_KIND_CODES } from '../../../src/shared/webviewProtocol';
import { BASE_TIME_UNIX_NANO, TRACE_ID, makeSpan } from './traceBuilders';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const zipkinSkew = path.resolve(repoRoot, '..', 'shared', 'fixtures', 'zipkin', 'api_v2', 'trace', 'skew.json');

/** One span per display position: parent position, service, kind, start and duration. */
type Row = readonly [parent: number, service: number, kind: SpanKind, start: number, duration: number];

function adjust(rows: readonly Row[]): ClockSkewAdjustment {
  return adjustClockSkew(
    Int32Array.from(rows, (row) => row[0]),
    Uint32Array.from(rows, (row) => row[1]),
    Uint8Array.from(rows, (row) => SPAN_KIND_CODES.indexOf(row[2]) << SPAN_FLAG_KIND_SHIFT),
    Float64Array.from(rows, (row) => row[3]),
    Float64Array.from(rows, (row) => row[4]),
  );
}

function starts(rows: readonly Row[]): number[] {
  return [...adjust(rows).startOffsetNano];
}

describe('clock skew', () => {
  it("centres an RPC server that starts before its client, and moves its own service's subtree along", () => {
    const rows: Row[] = [
      [-1, 0, 'client', 100, 100], // client in service 0: 100..200
      [0, 1, 'server', 20, 60], // server in service 1 claims 20..80: its clock runs 100 behind
      [1, 1, 'internal', 30, 10], // same clock as the server
      [1, 2, 'server', 150, 10], // another service's clock: already inside the (moved) server
    ];
    const result = adjust(rows);
    // (100 - 60) / 2 = 20 of latency each way: the server runs 120..180.
    assert.deepEqual([...result.startOffsetNano], [100, 120, 130, 150]);
    assert.deepEqual([...result.rawStartOffsetNano], [100, 20, 30, 150]);
    assert.equal(result.adjustedSpanCount, 2);
  });

  it('centres an RPC server that ends after its client', () => {
    assert.deepEqual(starts([[-1, 0, 'client', 0, 100], [0, 1, 'server', 80, 40]]), [0, 30]);
  });

  it('starts a server longer than its client with the client, and leaves one that starts inside alone', () => {
    assert.deepEqual(starts([[-1, 0, 'client', 100, 50], [0, 1, 'server', 40, 80]]), [100, 100]);
    assert.deepEqual(starts([[-1, 0, 'client', 100, 50], [0, 1, 'server', 110, 80]]), [100, 110]);
  });

  it('moves other cross-service children only when they start before their parent', () => {
    // A consumer that starts before its producer is skew; one that outlives the producer is async work.
    assert.deepEqual(starts([[-1, 0, 'producer', 100, 10], [0, 1, 'consumer', 90, 5]]), [100, 100]);
    assert.deepEqual(starts([[-1, 0, 'producer', 100, 10], [0, 1, 'consumer', 105, 50]]), [100, 105]);
    assert.deepEqual(starts([[-1, 0, 'internal', 100, 10], [0, 1, 'unspecified', 50, 5]]), [100, 100]);
  });

  it('never moves a child against a parent in the same service', () => {
    const result = adjust([[-1, 0, 'client', 100, 10], [0, 0, 'server', 50, 5]]);
    assert.deepEqual([...result.startOffsetNano], [100, 50]);
    assert.equal(result.adjustedSpanCount, 0);
  });

  it('adjusts a million-deep chain of services without recursion', () => {
    const count = 1_000_000;
    const parents = new Int32Array(count);
    const services = new Uint32Array(count);
    const flags = new Uint8Array(count);
    const startsNano = new Float64Array(count);
    const durations = new Float64Array(count).fill(10);
    for (let p = 0; p < count; p++) {
      parents[p] = p - 1;
      services[p] = p % 2;
      flags[p] = SPAN_KIND_CODES.indexOf(p % 2 === 0 ? 'client' : 'server') << SPAN_FLAG_KIND_SHIFT;
      startsNano[p] = count - p; // every span claims to start before its parent
    }
    const result = adjustClockSkew(parents, services, flags, startsNano, durations);
    assert.equal(result.adjustedSpanCount, count - 1);
    assert.equal(result.startOffsetNano[count - 1], count); // equal durations: each starts with its parent
  });

  it('encodes adjusted and raw starts, the count and a flag per moved span', () => {
    const trace: Trace = {
      traceId: TRACE_ID,
      spans: [
        makeSpan({ index: 0, name: 'GET /cart', service: 'frontend', startOffsetNano: 1_000n, durationNano: 1_000n }, { kind: 'client' }),
        makeSpan({ index: 1, parent: 0, name: 'GET /cart', service: 'cart', startOffsetNano: 0n, durationNano: 600n }, { kind: 'server' }),
        makeSpan({ index: 2, parent: 1, name: 'SELECT', service: 'cart', startOffsetNano: 100n, durationNano: 200n }),
      ],
    };
    const { message, transfer } = encodeColumnarTrace(trace, buildSpanTree(trace.spans));
    assert.equal(message.clockSkewAdjustedSpans, 2);
    assert.ok(message.rawStartOffsetNano !== undefined && transfer.includes(message.rawStartOffsetNano));
    const decoded = decodeColumnarTrace(message);
    // The server started 1000 ns before its client on its own clock; centred it runs 1200..1800.
    assert.deepEqual([...decoded.startOffsetNano], [1_000, 1_200, 1_300]);
    assert.deepEqual(decoded.rawStartOffsetNano && [...decoded.rawStartOffsetNano], [1_000, 0, 100]);
    assert.deepEqual([...decoded.flags].map((flags) => (flags & SPAN_FLAG_SKEW_ADJUSTED) !== 0), [false, true, true]);
    assert.equal(decoded.traceStartUnixNano, BASE_TIME_UNIX_NANO);
    assert.equal(decoded.traceDurationNano, 2_000);
    // Self time and the critical path follow the adjusted times: the server sits inside its client.
    assert.deepEqual([...decoded.selfTimeNano], [400, 400, 200]);
    assert.deepEqual([...decoded.criticalPathPositions], [0, 0, 1, 1, 2]);
  });

  it('leaves a trace without skew as recorded, with no raw column', () => {
    const trace: Trace = {
      traceId: TRACE_ID,
      spans: [
        makeSpan({ index: 0, service: 'frontend', startOffsetNano: 0n, durationNano: 100n }, { kind: 'client' }),
        makeSpan({ index: 1, parent: 0, service: 'cart', startOffsetNano: 10n, durationNano: 50n }, { kind: 'server' }),
      ],
    };
    const { message, transfer } = encodeColumnarTrace(trace, buildSpanTree(trace.spans));
    assert.equal(message.clockSkewAdjustedSpans, 0);
    assert.equal(message.rawStartOffsetNano, undefined);
    assert.equal(transfer.length, 11);
    assert.equal(decodeColumnarTrace(message).rawStartOffsetNano, undefined);
  });

  it('moves the trace start back when an adjusted span lands before it', () => {
    const trace: Trace = {
      traceId: TRACE_ID,
      spans: [
        makeSpan({ index: 0, service: 'frontend', startOffsetNano: 0n, durationNano: 100n }, { kind: 'client' }),
        // Ends after its client: centred, it moves 50 earlier, and its child (same clock) with it.
        makeSpan({ index: 1, parent: 0, service: 'cart', startOffsetNano: 50n, durationNano: 100n }, { kind: 'server' }),
        makeSpan({ index: 2, parent: 1, service: 'cart', startOffsetNano: 20n, durationNano: 10n }),
      ],
    };
    const decoded = decodeColumnarTrace(encodeColumnarTrace(trace, buildSpanTree(trace.spans)).message);
    assert.equal(decoded.traceStartUnixNano, BASE_TIME_UNIX_NANO - 30n);
    assert.deepEqual([...decoded.startOffsetNano], [30, 30, 0]);
    assert.deepEqual(decoded.rawStartOffsetNano && [...decoded.rawStartOffsetNano], [30, 80, 50]);
    assert.equal(decoded.traceDurationNano, 180);
  });

  it('skew.json (Zipkin UI test data): the shared server span centred in its client', function () {
    if (!existsSync(zipkinSkew)) this.skip();
    const [trace] = parseTraceText(readFileSync(zipkinSkew, 'utf8')).traces;
    const decoded = decodeColumnarTrace(encodeColumnarTrace(trace, buildSpanTree(trace.spans)).message);
    const micros = (offsets: Float64Array): number[] => [...offsets].map((nano) => nano / 1000);
    // Display order: get (servicea), post client (servicea), post server (serviceb), async (serviceb).
    assert.deepEqual(micros(decoded.rawStartOffsetNano ?? new Float64Array()), [62_307, 65_441, 0, 1]);
    // Latency (94539 - 93577) / 2 = 481 µs each way, so the server starts 481 µs after its client.
    assert.deepEqual(micros(decoded.startOffsetNano), [62_307, 65_441, 65_922, 65_923]);
    assert.equal(decoded.clockSkewAdjustedSpans, 2);
  });
});
