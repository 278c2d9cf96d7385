import * as assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { generateTraceColumns, writeJaegerV1 } from '../../support/traceGenerator';
import type { BrowserBridge } from './browserBridge';
import { requireBrowserBridge } from './browserBridge';
import { waitFor } from './waitFor';
import { closeAllEditors, openTraceFile, workspaceFile } from './workbench';

const SPAN_COUNT = 100_000;
const FILE_NAME = 'generated-100k.json';
// The row pool is bounded by the viewport, not by the trace.
const MAX_DOM_ROWS = 400;

suite('A 100k-span trace in the waterfall', function () {
  let bridge: BrowserBridge;

  suiteSetup(async function () {
    bridge = requireBrowserBridge(this);
    const trace = generateTraceColumns({ spanCount: SPAN_COUNT, seed: 100_000 });
    await writeFile(workspaceFile(FILE_NAME).fsPath, writeJaegerV1([trace]));
  });

  suiteTeardown(async () => {
    await closeAllEditors();
    await rm(workspaceFile(FILE_NAME).fsPath, { force: true });
  });

  test('opens with every span counted, a bounded set of DOM rows, and details for a clicked row', async function () {
    this.timeout(180_000);
    await closeAllEditors();
    await openTraceFile(FILE_NAME, 120_000);
    const waterfall = await waitFor('#waterfall[data-span-count] for the 100k trace', async () => (await bridge.query('#waterfall[data-span-count]'))[0], {
      timeoutMs: 120_000,
    });
    assert.equal(waterfall.attributes['data-span-count'], String(SPAN_COUNT));

    const rows = await waitFor('the first rows painted', async () => {
      const found = await bridge.query('.span-row', { children: ['.span-name'] });
      return found.length > 0 ? found : undefined;
    });
    assert.ok(rows.length <= MAX_DOM_ROWS, `${rows.length} rows in the DOM for ${SPAN_COUNT} spans; the row pool should be bounded`);
    const positions = rows.map((row) => Number(row.attributes['data-position']));
    assert.ok(positions.includes(0), 'the root row (display position 0) is not among the first rows');

    assert.ok(await bridge.click('.span-row[data-position="1"] .span-name'), 'no row at display position 1 to click');
    const detail = await waitFor('#span-detail for display position 1', async () => {
      const pane = (await bridge.query('#span-detail[data-position="1"]', { children: ['.attribute-key'] }))[0];
      return pane?.children['.attribute-key'] ? pane : undefined;
    });
    assert.ok(detail.children['.attribute-key'], 'the detail pane of a generated span shows no attributes');
    assert.ok(vscode.window.tabGroups.all.some((group) => group.tabs.some((tab) => tab.label.includes(FILE_NAME))), 'no waterfall tab names the file');
  });
});
