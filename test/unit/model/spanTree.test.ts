import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseZipkinV2Document } from '../../../src/core/formats/zipkinV2';
import { buildSpanTree } from '../../../src/core/model/spanTree';
import type { SpanTree } from '../../../src/core/model/spanTree';
import type { Resource, Span, SpanKind } from '../../../src/core/model/trace';
import { EMPTY_SCOPE } from '../../../src/core/model/trace';
import { createRandom } from '../../support/traceGenerator';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const skewFixture = path.resolve(repoRoot, '..', 'shared', 'fixtures', 'zipkin', 'api_v2', 'trace', 'skew.json');

const resources = new Map<string, Resource>();

interface SpanSpec {
  readonly id: string;
  readonly parent?: string;
  readonly start?: number;
  readonly kind?: SpanKind;
  readonly service?: string;
}

function span({ id, parent, start = 0, kind = 'internal', service = 'svc' }: SpanSpec): Span {
  let resource = resources.get(service);
  if (!resource) {
    resource = { serviceName: service, attributes: [] };
    resources.set(service, resource);
  }
  return {
    traceId: '0'.repeat(32),
    spanId: id,
    parentSpanId: parent,
    name: id,
    kind,
    status: { code: 'unset' },
    startTimeUnixNano: 1_700_000_000_000_000_000n + BigInt(start),
    durationNano: 1n,
    attributes: [],
    events: [],
    links: [],
    resource,
    scope: EMPTY_SCOPE,
  };
}

/** Names in display order, indented by depth: easy to read in a failing assertion. */
function outline(spans: readonly Span[], tree: SpanTree): string[] {
  return Array.from(tree.order, (index, position) => `${'  '.repeat(tree.depth[position])}${spans[index].name}`);
}

/** Checks every structural promise of SpanTree against a slow, obviously correct reading of it. */
function assertConsistent(spans: readonly Span[], tree: SpanTree): void {
  const count = spans.length;
  assert.equal(tree.order.length, count);
  assert.deepEqual(
    Array.from(tree.order).sort((a, b) => a - b),
    Array.from({ length: count }, (_, i) => i),
    'order is a permutation of the spans',
  );
  let roots = 0;
  let maxDepth = 0;
  for (let p = 0; p < count; p++) {
    const parent = tree.parentPosition[p];
    if (parent === -1) {
      roots++;
      assert.equal(tree.depth[p], 0);
    } else {
      assert.ok(parent < p, 'a parent comes before its children');
      assert.equal(tree.depth[p], tree.depth[parent] + 1);
      assert.ok(p < tree.subtreeEnd[parent], 'a child lies inside its parent subtree');
    }
    maxDepth = Math.max(maxDepth, tree.depth[p]);
    assert.ok(tree.subtreeEnd[p] > p && tree.subtreeEnd[p] <= count);
    for (let q = p + 1; q < tree.subtreeEnd[p]; q++) assert.ok(tree.depth[q] > tree.depth[p], 'the subtree holds only descendants');
    if (tree.subtreeEnd[p] < count) assert.ok(tree.depth[tree.subtreeEnd[p]] <= tree.depth[p], 'the subtree holds all descendants');
  }
  assert.equal(tree.rootCount, roots);
  assert.equal(tree.maxDepth, maxDepth);
  const earliest = spans.reduce((min, s) => (s.startTimeUnixNano < min ? s.startTimeUnixNano : min), spans[0]?.startTimeUnixNano ?? 0n);
  assert.equal(tree.traceStartUnixNano, earliest);
  for (let i = 0; i < count; i++) {
    assert.equal(tree.order[tree.positionOf[i]], i, 'positionOf inverts order');
    assert.equal(tree.startOffsetNano[i], Number(spans[i].startTimeUnixNano - earliest));
  }
  // Siblings appear in start order (ties in input order).
  const lastChild = new Map<number, number>();
  for (let p = 0; p < count; p++) {
    const previous = lastChild.get(tree.parentPosition[p]);
    if (previous !== undefined) {
      const a = spans[tree.order[previous]].startTimeUnixNano;
      const b = spans[tree.order[p]].startTimeUnixNano;
      assert.ok(a < b || (a === b && tree.order[previous] < tree.order[p]), 'siblings sorted by start');
    }
    lastChild.set(tree.parentPosition[p], p);
  }
}

describe('buildSpanTree', () => {
  it('orders roots and children by start time, pre-order', () => {
    const spans = [
      span({ id: 'c2', parent: 'r1', start: 30 }),
      span({ id: 'r2', start: 50 }),
      span({ id: 'r1', start: 0 }),
      span({ id: 'g1', parent: 'c1', start: 15 }),
      span({ id: 'c1', parent: 'r1', start: 10 }),
      span({ id: 'c3', parent: 'r1', start: 30 }),
    ];
    const tree = buildSpanTree(spans);
    assert.deepEqual(outline(spans, tree), ['r1', '  c1', '    g1', '  c2', '  c3', 'r2']);
    assert.deepEqual(Array.from(tree.order), [2, 4, 3, 0, 5, 1]);
    assert.deepEqual(Array.from(tree.parentPosition), [-1, 0, 1, 0, 0, -1]);
    assert.deepEqual(Array.from(tree.depth), [0, 1, 2, 1, 1, 0]);
    assert.deepEqual(Array.from(tree.subtreeEnd), [5, 3, 3, 4, 5, 6]);
    assert.equal(tree.rootCount, 2);
    assert.equal(tree.maxDepth, 2);
    assert.deepEqual(tree.warnings, []);
    assertConsistent(spans, tree);
  });

  it('handles no spans', () => {
    const tree = buildSpanTree([]);
    assert.equal(tree.traceStartUnixNano, 0n);
    assert.equal(tree.startOffsetNano.length, 0);
    assert.equal(tree.order.length, 0);
    assert.equal(tree.rootCount, 0);
    assert.equal(tree.maxDepth, 0);
  });

  it('shows spans whose parent is missing as roots, with one warning', () => {
    const spans = [span({ id: 'a', parent: 'gone', start: 2 }), span({ id: 'b', parent: 'gone', start: 1 }), span({ id: 'c', parent: 'lost' }), span({ id: 'd', parent: 'a' })];
    const tree = buildSpanTree(spans);
    assert.deepEqual(outline(spans, tree), ['c', 'b', 'a', '  d']);
    assert.equal(tree.rootCount, 3);
    assert.deepEqual(tree.warnings, ['3 spans reference a parent that is not in the trace; shown as roots']);
    assertConsistent(spans, tree);
  });

  it('breaks a parent cycle at its earliest span and keeps everything hanging off it', () => {
    const spans = [
      span({ id: 'a', parent: 'c', start: 20 }),
      span({ id: 'b', parent: 'a', start: 10 }),
      span({ id: 'c', parent: 'b', start: 30 }),
      span({ id: 'd', parent: 'c', start: 40 }),
      span({ id: 'root', start: 0 }),
    ];
    const tree = buildSpanTree(spans);
    assert.deepEqual(outline(spans, tree), ['root', 'b', '  c', '    a', '    d']);
    assert.deepEqual(tree.warnings, ['1 parent cycle was broken by showing a span as a root (b)']);
    assertConsistent(spans, tree);
  });

  it('shows a span that is its own parent as a root', () => {
    const spans = [span({ id: 'a', parent: 'a' }), span({ id: 'b', parent: 'a', start: 1 })];
    const tree = buildSpanTree(spans);
    assert.deepEqual(outline(spans, tree), ['a', '  b']);
    assert.deepEqual(tree.warnings, ['1 span names itself as parent; shown as roots']);
  });

  it('nests a Zipkin shared server span under its client and its children under the server', () => {
    // Clock skew: the server starts before the client that called it, and comes first in the input.
    const spans = [
      span({ id: 'async', parent: 'x', start: 5, service: 'b' }),
      span({ id: 'x', parent: 'root', start: 1, kind: 'server', service: 'b' }),
      span({ id: 'root', start: 0, kind: 'server', service: 'a' }),
      span({ id: 'x', parent: 'root', start: 3, kind: 'client', service: 'a' }),
      span({ id: 'local', parent: 'x', start: 4, service: 'a' }),
    ];
    const tree = buildSpanTree(spans);
    const labels = Array.from(tree.order, (index, position) => `${'  '.repeat(tree.depth[position])}${spans[index].kind} ${spans[index].name}@${spans[index].resource.serviceName}`);
    assert.deepEqual(labels, ['server root@a', '  client x@a', '    server x@b', '      internal async@b', '    internal local@a']);
    assert.deepEqual(tree.warnings, [], 'a client/server pair sharing an ID is normal for Zipkin');
    assertConsistent(spans, tree);
  });

  it('puts several servers answering one client ID side by side under the client', () => {
    const spans = [
      span({ id: 'x', parent: 'root', start: 2, kind: 'server', service: 'b' }),
      span({ id: 'x', parent: 'root', start: 3, kind: 'server', service: 'c' }),
      span({ id: 'x', parent: 'root', start: 1, kind: 'client', service: 'a' }),
      span({ id: 'root', start: 0, service: 'a' }),
    ];
    const tree = buildSpanTree(spans);
    assert.deepEqual(outline(spans, tree), ['root', '  x', '    x', '    x']);
    assert.deepEqual(Array.from(tree.order), [3, 2, 0, 1]);
  });

  it('warns about other duplicate IDs and shows later copies under the first', () => {
    const spans = [span({ id: 'a', start: 0 }), span({ id: 'dup', parent: 'a', start: 1 }), span({ id: 'dup', parent: 'a', start: 2 }), span({ id: 'child', parent: 'dup', start: 3 })];
    const tree = buildSpanTree(spans);
    assert.deepEqual(outline(spans, tree), ['a', '  dup', '    dup', '      child']);
    assert.deepEqual(tree.warnings, ['1 span ID is used by more than one span (e.g. dup); later copies are shown under the first']);
    assertConsistent(spans, tree);
  });

  it('skew.json: the real shared span, client before server', function () {
    if (!existsSync(skewFixture)) this.skip();
    const [trace] = parseZipkinV2Document(JSON.parse(readFileSync(skewFixture, 'utf8')), []);
    const tree = buildSpanTree(trace.spans);
    const labels = Array.from(tree.order, (index, position) => {
      const shown = trace.spans[index];
      return `${'  '.repeat(tree.depth[position])}${shown.name} ${shown.kind}@${shown.resource.serviceName}`;
    });
    assert.deepEqual(labels, ['get server@servicea', '  post client@servicea', '    post server@serviceb', '      async unspecified@serviceb']);
    assert.deepEqual(tree.warnings, []);
  });

  it('handles a 100k-deep chain without recursion', () => {
    const depth = 100_000;
    const spans: Span[] = [];
    // Reversed input, so nothing depends on parents coming first.
    for (let i = depth - 1; i >= 0; i--) spans.push(span({ id: `s${i}`, parent: i === 0 ? undefined : `s${i - 1}`, start: i }));
    const tree = buildSpanTree(spans);
    assert.equal(tree.maxDepth, depth - 1);
    assert.equal(tree.rootCount, 1);
    assert.equal(tree.order[0], depth - 1);
    assert.equal(tree.order[depth - 1], 0);
    assert.equal(tree.subtreeEnd[0], depth);
    assert.equal(tree.subtreeEnd[depth - 1], depth);
    assert.equal(tree.parentPosition[depth - 1], depth - 2);
  });

  it('handles a 100k-long parent cycle without recursion', () => {
    const length = 100_000;
    const spans = Array.from({ length }, (_, i) => span({ id: `s${i}`, parent: `s${(i + 1) % length}`, start: length - i }));
    const tree = buildSpanTree(spans);
    assert.equal(tree.rootCount, 1);
    assert.equal(tree.maxDepth, length - 1);
    assert.equal(spans[tree.order[0]].name, 's99999', 'cut at the earliest span');
  });

  it('keeps every promise on random forests with lost parents, cycles and duplicates', () => {
    const random = createRandom(7);
    for (let round = 0; round < 20; round++) {
      const count = 1 + Math.floor(random() * 300);
      const spans = Array.from({ length: count }, (_, i) => {
        const roll = random();
        const id = roll < 0.05 && i > 0 ? `s${Math.floor(random() * i)}` : `s${i}`;
        const parent = roll < 0.15 ? undefined : roll < 0.2 ? 'missing' : `s${Math.floor(random() * count)}`;
        const kind: SpanKind = random() < 0.5 ? 'server' : 'client';
        return span({ id, parent, start: Math.floor(random() * 50), kind, service: random() < 0.5 ? 'a' : 'b' });
      });
      assertConsistent(spans, buildSpanTree(spans));
    }
  });
});
