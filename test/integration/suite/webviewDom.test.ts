import * as assert from 'node:assert/strict';
import type { BrowserBridge, ElementSnapshot } from './browserBridge';
import { requireBrowserBridge } from './browserBridge';
import { waitFor } from './waitFor';
import { closeAllEditors, openTraceFile, readWorkspaceJson } from './workbench';

// The parts of a Jaeger v1 trace object (ui_01.json) the assertions are derived from.
interface JaegerTag {
  readonly key: string;
  readonly type: string;
  readonly value: unknown;
}
interface JaegerSpan {
  readonly spanID: string;
  readonly operationName: string;
  readonly tags: readonly JaegerTag[];
}
interface JaegerTrace {
  readonly spans: readonly JaegerSpan[];
}

const TRACE_FILE = 'ui_01.json';
// A second wire format, to show the count is not a property of one parser: a Zipkin v2 span array.
const ZIPKIN_FILE = 'zipkin-simple-db-p6.json';

suite('The waterfall webview, read from its DOM in the browser', function () {
  let bridge: BrowserBridge;
  let trace: JaegerTrace;

  suiteSetup(async function () {
    bridge = requireBrowserBridge(this);
    trace = (await readWorkspaceJson(TRACE_FILE)) as JaegerTrace;
  });

  setup(async () => {
    await closeAllEditors();
    // A closed panel's iframe must be gone, or its rows could be read as the next trace's.
    await waitFor('no waterfall webview left open', async () => ((await bridge.query('#waterfall')).length === 0 ? true : undefined));
  });

  async function assertOneRowPerSpan(expected: number): Promise<void> {
    const waterfall = await waitFor('#waterfall with data-span-count in the webview', async () => (await bridge.query('#waterfall[data-span-count]'))[0]);
    assert.equal(waterfall.attributes['data-span-count'], String(expected));

    let rows: ElementSnapshot[] = [];
    await waitFor(`${expected} .span-row elements`, async () => {
      rows = await bridge.query('.span-row');
      return rows.length === expected ? rows : undefined;
    }, { describeLast: () => `${rows.length} rows` });
    const positions = rows.map((row) => Number(row.attributes['data-position'])).sort((a, b) => a - b);
    assert.deepEqual(positions, [...Array(expected).keys()], 'rows do not cover display positions 0..n-1 once each');
  }

  test('shows one row per span and the span count (Jaeger v1 trace object)', async () => {
    await openTraceFile(TRACE_FILE);
    await assertOneRowPerSpan(trace.spans.length);
  });

  test('shows one row per span and the span count (Zipkin v2 span array)', async () => {
    const spans = (await readWorkspaceJson(ZIPKIN_FILE)) as readonly unknown[];
    await openTraceFile(ZIPKIN_FILE);
    await assertOneRowPerSpan(spans.length);
  });

  test("clicking a span's name shows its attributes in the detail pane", async () => {
    await openTraceFile(TRACE_FILE);
    // The fixture's only span with tags; its ID is shared with another span, so the name tells the two apart.
    const span = trace.spans.find((candidate) => candidate.tags.some((tag) => tag.type === 'string'));
    assert.ok(span, `${TRACE_FILE} has no span with a string tag`);
    const tag = span.tags.find((candidate) => candidate.type === 'string') as JaegerTag;

    // Rows carry no span IDs (the columnar message stays compact), so click each row with the span's name
    // and keep the one whose detail pane names the span's ID.
    let rows: ElementSnapshot[] = [];
    const candidates = await waitFor(`rows named "${span.operationName}"`, async () => {
      rows = await bridge.query('.span-row', { children: ['.span-name'] });
      const named = rows.filter((candidate) => candidate.children['.span-name'] === span.operationName);
      return named.length > 0 ? named : undefined;
    }, { describeLast: () => JSON.stringify(rows.map((candidate) => candidate.children['.span-name'])) });

    const clickedIds: string[] = [];
    for (const row of candidates) {
      const position = row.attributes['data-position'];
      assert.ok(await bridge.click(`.span-row[data-position="${position}"] .span-name`), `no .span-name to click in row ${position}`);
      const spanId = await waitFor(`the detail pane of row ${position}`, async () => {
        const shown = await bridge.query(`#span-detail[data-position="${position}"] .attribute-row`, { children: ['.attribute-key', '.attribute-value'] });
        return shown.find((attribute) => attribute.children['.attribute-key'] === 'Span ID')?.children['.attribute-value'] ?? undefined;
      });
      clickedIds.push(spanId);
      if (spanId === span.spanID.toLowerCase()) break;
    }
    assert.ok(clickedIds.includes(span.spanID.toLowerCase()), `no row named "${span.operationName}" showed span ID ${span.spanID}; saw ${clickedIds.join(', ')}`);

    let attributes: ElementSnapshot[] = [];
    const shown = await waitFor(`attribute "${tag.key}" in #span-detail`, async () => {
      attributes = await bridge.query('#span-detail .attribute-row', { children: ['.attribute-key', '.attribute-value'] });
      return attributes.find((attribute) => attribute.children['.attribute-key'] === tag.key);
    }, { describeLast: () => JSON.stringify(attributes.map((attribute) => attribute.children)) });
    assert.equal(shown.children['.attribute-value'], String(tag.value));
  });
});
