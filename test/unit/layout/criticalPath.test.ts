import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { decodeColumnarTrace, encodeColumnarTrace, type ColumnarTrace } from '../../../src/core/layout/columnarTrace';
import { computeCriticalPath, firstSegmentOf, type CriticalPath } from '../../../src/core/layout/criticalPath';
import { parseTraceText } from '../../../src/core/formats/parseTraceText';
import { buildSpanTree } from '../../../src/core/model/spanTree';
import type { Trace } from '../../../src/core/model/trace';
import { SPAN_FLAG_CRITICAL } from '../../../src/shared/webviewProtocol';
import { TRACE_ID, makeSpan } from './traceBuilders';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const goldenDir = path.join(repoRoot, 'test', 'fixtures', 'layout');
const jaegerUiFixtures = path.resolve(repoRoot, '..', 'shared', 'fixtures', 'jaeger', 'api_v1', 'jaeger-ui');
/** Set UPDATE_GOLDEN=1 to rewrite the golden files after an intended change; review the diff. */
const updateGolden = process.env.UPDATE_GOLDEN === '1';

/** Subtree ends of a pre-order forest given by parent positions. */
function subtreeEnds(parents: ArrayLike<number>): Int32Array {
  const ends = new Int32Array(parents.length);
  for (let p = parents.length - 1; p >= 0; p--) {
    ends[p] = Math.max(ends[p], p + 1);
    if (parents[p] !== -1) ends[parents[p]] = Math.max(ends[parents[p]], ends[p]);
  }
  return ends;
}

/** Segments as `position: start-end`, from columns given per display position. */
function segments(parents: number[], starts: number[], durations: number[]): string[] {
  const path = computeCriticalPath(subtreeEnds(parents), new Float64Array(starts), new Float64Array(durations));
  return segmentLines(path);
}

function segmentLines(path: CriticalPath): string[] {
  const lines: string[] = [];
  for (let k = 0; k < path.segmentCount; k++) {
    lines.push(`${path.segmentPosition[k]}: ${path.segmentBoundsNano[2 * k]}-${path.segmentBoundsNano[2 * k + 1]}`);
  }
  return lines;
}

/**
 * The waterfall as indented text: `*` marks spans on the path, followed by their critical segments.
 * Uses the recorded times, so clock-skew adjustment cannot hide the edge cases the fixtures hold.
 */
function renderCriticalPath(trace: ColumnarTrace, title: string, unitNano: number, unit: string): string {
  const starts = trace.rawStartOffsetNano ?? trace.startOffsetNano;
  const path = computeCriticalPath(trace.subtreeEnd, starts, trace.durationNano);
  const time = (nano: number): string => String(Math.round((nano / unitNano) * 1000) / 1000);
  const lines = [`# Critical path of ${title}`, `# times in ${unit} from the trace start; "*" marks spans on the path, then their critical segments`];
  for (let position = 0; position < trace.spanCount; position++) {
    const start = starts[position];
    const end = start + trace.durationNano[position];
    const label = `${trace.names[trace.nameIndex[position]]} (${trace.services[trace.serviceIndex[position]]}) ${time(start)}-${time(end)}`;
    const parts: string[] = [];
    for (let k = firstSegmentOf(path, position); k < path.segmentCount && path.segmentPosition[k] === position; k++) {
      parts.push(`${time(path.segmentBoundsNano[2 * k])}-${time(path.segmentBoundsNano[2 * k + 1])}`);
    }
    const marker = path.onPath[position] === 1 ? '* ' : '  ';
    lines.push(`${'  '.repeat(trace.depth[position])}${marker}${label}${parts.length > 0 ? `  critical ${parts.join(', ')}` : ''}`);
  }
  return lines.join('\n') + '\n';
}

function assertGolden(name: string, actual: string): void {
  const file = path.join(goldenDir, name);
  if (updateGolden || !existsSync(file)) {
    mkdirSync(goldenDir, { recursive: true });
    writeFileSync(file, actual);
    if (!updateGolden) assert.fail(`golden file ${name} did not exist; written now, review it and run again`);
    return;
  }
  assert.equal(actual, readFileSync(file, 'utf8'), `${name} differs; if the change is intended, run with UPDATE_GOLDEN=1`);
}

function columnar(trace: Trace): ColumnarTrace {
  return decodeColumnarTrace(encodeColumnarTrace(trace, buildSpanTree(trace.spans)).message);
}

describe('critical path', () => {
  it('covers a lone span whole', () => {
    assert.deepEqual(segments([-1], [0], [10]), ['0: 0-10']);
  });

  it('walks back through the last-finishing child, then the one that ended before it started', () => {
    // 0 |-------------------------| 0..100
    // 1   |----|                    10..30
    // 2      |------|               20..50   overlaps 3's start: never on the path
    // 3         |------|            30..60   back-to-back with 1: both stay on the path
    assert.deepEqual(segments([-1, 0, 0, 0], [0, 10, 20, 30], [100, 20, 30, 30]), [
      '0: 0-10',
      '0: 60-100',
      '1: 10-30',
      '3: 30-60',
    ]);
  });

  it('follows the chain down and leaves the parent the gaps its children do not cover', () => {
    // 0 ─ 1 ─ 2, each child inside its parent with room on both sides.
    assert.deepEqual(segments([-1, 0, 1], [0, 10, 20], [100, 60, 20]), ['0: 0-10', '0: 70-100', '1: 10-20', '1: 40-70', '2: 20-40']);
  });

  it('clips a child that runs past its parent and drops one wholly outside it', () => {
    // 1 runs past the parent's end; 2 starts after it: async work that does not hold the parent up.
    assert.deepEqual(segments([-1, 0, 0, 2], [0, 50, 150, 160], [100, 100, 20, 5]), ['0: 0-50', '1: 50-100']);
    // A child that starts before its parent is clipped to the parent's start.
    assert.deepEqual(segments([-1, 0], [10, 0], [10, 15]), ['0: 15-20', '1: 10-15']);
  });

  it('computes each root of a forest', () => {
    const path = computeCriticalPath(subtreeEnds([-1, 0, -1]), new Float64Array([0, 2, 50]), new Float64Array([10, 3, 5]));
    assert.deepEqual(segmentLines(path), ['0: 0-2', '0: 5-10', '1: 2-5', '2: 50-55']);
    assert.deepEqual([...path.onPath], [1, 1, 1]);
    assert.equal(firstSegmentOf(path, 0), 0);
    assert.equal(firstSegmentOf(path, 1), 2);
    assert.equal(firstSegmentOf(path, 2), 3);
  });

  it('treats zero-length children as off the path and keeps ties in display order', () => {
    // 1 and 2 end together; the earlier-starting one (display order) is taken, 2 overlaps it.
    assert.deepEqual(segments([-1, 0, 0, 0], [0, 10, 20, 5], [100, 90, 80, 0]), ['0: 0-10', '1: 10-100']);
  });

  it('orders a short path in a large trace by position, then time', () => {
    // The root's last child is on the path; the earlier one and its hundred children are never entered.
    const parents = [-1, 0, 0, ...Array.from({ length: 100 }, () => 2)];
    const starts = [0, 10, 20, ...Array.from({ length: 100 }, (_, k) => 20 + k / 10)];
    const durations = [100, 80, 10, ...Array.from({ length: 100 }, () => 0.05)];
    const path = computeCriticalPath(subtreeEnds(parents), new Float64Array(starts), new Float64Array(durations));
    assert.deepEqual(segmentLines(path), ['0: 0-10', '0: 90-100', '1: 10-90']);
    assert.deepEqual([...path.onPath.subarray(0, 4)], [1, 1, 0, 0]);
  });

  it('marks the path in the columnar message', () => {
    const trace: Trace = {
      traceId: TRACE_ID,
      spans: [
        makeSpan({ index: 0, name: 'root', startOffsetNano: 0n, durationNano: 100n }),
        makeSpan({ index: 1, parent: 0, name: 'fast', startOffsetNano: 10n, durationNano: 10n }),
        makeSpan({ index: 2, parent: 0, name: 'slow', startOffsetNano: 10n, durationNano: 80n }),
      ],
    };
    const decoded = columnar(trace);
    assert.deepEqual([...decoded.flags].map((flags) => (flags & SPAN_FLAG_CRITICAL) !== 0), [true, false, true]);
    assert.deepEqual([...decoded.criticalPathPositions], [0, 0, 2]);
    assert.deepEqual([...decoded.criticalPathBoundsNano], [0, 10, 90, 100, 10, 90]);
  });

  describe('Jaeger UI fixtures (golden files in test/fixtures/layout)', () => {
    const cases = [
      'traceWithOverlappingChildrenLongerThanParent.json',
      'traceWithSingleChildLongerThanParentAndStartsAfterParent.json',
      'spanLongerAsParent.json',
      'spansAmongEachOtherGrouped.json',
      'testTraceNormal.json',
    ];
    for (const fixture of cases) {
      it(fixture, function () {
        const file = path.join(jaegerUiFixtures, fixture);
        if (!existsSync(file)) this.skip();
        const parsed = parseTraceText(readFileSync(file, 'utf8'));
        const rendered = renderCriticalPath(columnar(parsed.traces[0]), `jaeger-ui/${fixture}`, 1000, 'µs');
        assertGolden(`criticalPath.${fixture.replace(/\.json$/, '')}.txt`, rendered);
      });
    }
  });

  it('hand-made trace: sequential, overlapping and overflowing children (golden file)', () => {
    const ms = 1_000_000n;
    const spec = (index: number, parent: number | undefined, name: string, service: string, startMs: bigint, durationMs: bigint) =>
      makeSpan({ index, parent, name, service, startOffsetNano: startMs * ms, durationNano: durationMs * ms });
    const trace: Trace = {
      traceId: TRACE_ID,
      spans: [
        spec(0, undefined, 'GET /checkout', 'frontend', 0n, 100n),
        spec(1, 0, 'auth', 'auth', 5n, 10n),
        spec(2, 0, 'load cart', 'cart', 15n, 20n),
        spec(3, 2, 'SELECT cart', 'db', 16n, 8n),
        spec(4, 2, 'cache.get', 'cache', 17n, 3n),
        spec(5, 0, 'price', 'pricing', 30n, 40n),
        spec(6, 5, 'fx rates', 'currency', 35n, 50n),
        spec(7, 0, 'render', 'frontend', 70n, 25n),
        spec(8, 0, 'audit log', 'audit', 96n, 30n),
        spec(9, 0, 'email later', 'email', 120n, 10n),
      ],
    };
    assertGolden('criticalPath.handMade.txt', renderCriticalPath(columnar(trace), 'a hand-made checkout trace', 1e6, 'ms'));
  });

  describe('at a million spans', function () {
    this.timeout(30_000);

    function timeMillis(run: () => void): number {
      const started = performance.now();
      run();
      return performance.now() - started;
    }

    it('walks a chain a million deep without recursion', () => {
      const count = 1_000_000;
      const parents = new Int32Array(count);
      const starts = new Float64Array(count);
      const durations = new Float64Array(count);
      for (let p = 0; p < count; p++) {
        parents[p] = p - 1;
        starts[p] = p;
        durations[p] = 2 * (count - p);
      }
      const path = computeCriticalPath(subtreeEnds(parents), starts, durations);
      // Every span but the leaf keeps one segment before its child and one after it.
      assert.equal(path.segmentCount, 2 * count - 1);
      assert.equal(path.onPath.indexOf(0), -1);
      const leaf = firstSegmentOf(path, count - 1);
      assert.deepEqual([path.segmentBoundsNano[2 * leaf], path.segmentBoundsNano[2 * leaf + 1]], [count - 1, count + 1]);
    });

    it('grows about linearly on a wide trace', () => {
      const wide = (count: number): [Int32Array, Float64Array, Float64Array] => {
        const parents = new Int32Array(count).fill(0);
        parents[0] = -1;
        const starts = new Float64Array(count);
        const durations = new Float64Array(count);
        durations[0] = 10 * count;
        // Children overlap in a zigzag, so the path picks every other one and skips the rest.
        for (let p = 1; p < count; p++) {
          starts[p] = 5 * p;
          durations[p] = p % 2 === 0 ? 5 : 7;
        }
        return [subtreeEnds(parents), starts, durations];
      };
      const small = wide(100_000);
      const large = wide(1_000_000);
      computeCriticalPath(...small); // warm up
      const smallMillis = timeMillis(() => computeCriticalPath(...small));
      let path: CriticalPath | undefined;
      const largeMillis = timeMillis(() => (path = computeCriticalPath(...large)));
      assert.ok(path !== undefined && path.onPath[0] === 1 && path.segmentCount > 500_000);
      // Ten times the spans may cost ten-odd times as long (sorting adds a log factor), never a hundred.
      assert.ok(largeMillis < 40 * Math.max(smallMillis, 1), `100k spans took ${smallMillis.toFixed(1)} ms, 1M took ${largeMillis.toFixed(1)} ms`);
    });
  });
});
