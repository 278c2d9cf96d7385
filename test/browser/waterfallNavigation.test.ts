import { strict as assert } from 'node:assert';
import type { Page } from 'playwright-core';
import type { Trace } from '../../src/core/model/trace';
import { TRACE_ID, generateTrace, makeSpan } from '../unit/layout/traceBuilders';
import { loadTraceMessage, showTrace, spanAt, type ShownTrace } from './traceMessages';
import type { OpenOptions, WebviewPage } from './webviewHarness';
import { useWebviewSession } from './webviewSession';

const ROW_HEIGHT_PX = 22;

/** Number of rows in the virtual list (not only those in the DOM), from the spacer's height. */
async function rowCount(page: Page): Promise<number> {
  return page.$eval('.rows-spacer', (spacer) => Math.round(Number.parseFloat((spacer as HTMLElement).style.height) / 22));
}

async function waitForRowCount(page: Page, count: number): Promise<void> {
  await page.waitForFunction(
    (expected) => Math.round(Number.parseFloat((document.querySelector('.rows-spacer') as HTMLElement).style.height) / 22) === expected,
    count,
    { timeout: 10_000 },
  );
}

async function selectedPosition(page: Page): Promise<number | undefined> {
  const value = await page.$eval('.rows-scroll', (scroller) => {
    const row = scroller.querySelector<HTMLElement>('.span-row[aria-selected="true"]');
    return row?.dataset.position;
  });
  return value === undefined ? undefined : Number(value);
}

async function viewWindow(page: Page): Promise<{ start: number; end: number }> {
  return page.$eval('.time-axis', (axis) => ({
    start: Number((axis as HTMLElement).dataset.viewStartNano),
    end: Number((axis as HTMLElement).dataset.viewEndNano),
  }));
}

async function matchCount(page: Page): Promise<string> {
  await page.waitForFunction(() => document.querySelector('.search-count')?.textContent !== 'Searching…');
  return (await page.textContent('.search-count')) ?? '';
}

function visibleCountAtDepth(shown: ShownTrace, depth: number): number {
  return [...shown.tree.depth].filter((d) => d <= depth).length;
}

describe('waterfall navigation and search (Chromium)', function () {
  this.timeout(60_000);
  const session = useWebviewSession();

  async function show(shown: ShownTrace, options: OpenOptions = {}): Promise<WebviewPage> {
    const webview = await session.open(options);
    await webview.postFromHost(loadTraceMessage(shown));
    await webview.page.waitForSelector(`#waterfall[data-span-count="${shown.trace.spans.length}"] .span-row`);
    return webview;
  }

  it('collapses all, expands all and shows the tree to a chosen depth', async () => {
    const shown = showTrace(generateTrace(400));
    const { page } = await show(shown);
    const total = shown.trace.spans.length;
    assert.equal(await rowCount(page), total);

    await page.click('vscode-button[aria-label="Collapse all spans"]');
    await waitForRowCount(page, shown.tree.rootCount);
    assert.equal(await page.getAttribute('.span-row[data-position="0"]', 'aria-expanded'), 'false');

    await page.click('vscode-button[aria-label="Expand all spans"]');
    await waitForRowCount(page, total);

    for (const depth of [0, 1, 3]) {
      await page.selectOption('.depth-select', String(depth));
      await waitForRowCount(page, visibleCountAtDepth(shown, depth));
      const levels = await page.$$eval('.span-row', (rows) => rows.map((row) => Number(row.getAttribute('aria-level'))));
      assert.ok(levels.every((level) => level <= depth + 1), `a row deeper than ${depth} shows`);
    }
    assert.ok((await page.$$eval('.depth-select option', (options) => options.length)) > 4);
  });

  it('navigates the tree with the keyboard: Home, End, PageDown, Enter and Space', async () => {
    const shown = showTrace(generateTrace(300));
    const { page } = await show(shown);
    await page.focus('.rows-scroll');
    await page.keyboard.press('Enter');
    assert.equal(await selectedPosition(page), 0, 'Enter selects the first row when none is selected');
    assert.equal(await page.getAttribute('.rows-scroll', 'role'), 'tree');
    assert.equal(await page.getAttribute('.rows-scroll', 'aria-activedescendant'), 'span-row-0');

    await page.keyboard.press('End');
    await page.waitForSelector('.span-row[data-position="299"][aria-selected="true"]');
    await page.keyboard.press('Home');
    await page.waitForSelector('.span-row[data-position="0"][aria-selected="true"]');
    await page.keyboard.press('PageDown');
    const pageRows = await page.$eval('.rows-scroll', (scroller) => Math.floor(scroller.clientHeight / 22));
    assert.equal(await selectedPosition(page), pageRows);

    await page.keyboard.press('Home');
    await page.keyboard.press('Space');
    await waitForRowCount(page, shown.tree.rootCount);
    await page.keyboard.press('Space');
    await waitForRowCount(page, 300);
    await page.keyboard.press('ArrowRight');
    assert.equal(await selectedPosition(page), 1, 'Right on an expanded parent enters its first child');
  });

  it('counts matches, steps through them with Enter, Shift+Enter and F3, and shows matches under collapsed ancestors', async () => {
    const shown = showTrace(generateTrace(500));
    const { page } = await show(shown);
    await page.click('vscode-button[aria-label="Collapse all spans"]');
    await waitForRowCount(page, shown.tree.rootCount);

    const matches = [...shown.tree.order.keys()].filter((position) => spanAt(shown, position).name.startsWith('operation 42'));
    assert.ok(matches.length >= 2);
    await page.fill('.search-input', 'OPERATION 42');
    assert.equal(await matchCount(page), `${matches.length} matches`);

    // Every match and its ancestors show in place, though the root stays collapsed.
    const pinned = new Set<number>();
    for (const match of matches) for (let p = match; p >= 0; p = shown.tree.parentPosition[p]) pinned.add(p);
    await waitForRowCount(page, pinned.size);
    assert.equal(await page.getAttribute('.span-row[data-position="0"]', 'aria-expanded'), 'false');
    assert.deepEqual(
      await page.$$eval('.span-row.search-match', (rows) => rows.map((row) => Number((row as HTMLElement).dataset.position)).sort((a, b) => a - b)),
      matches.filter((position) => position < 60),
    );

    await page.focus('.search-input');
    await page.keyboard.press('Enter');
    await page.waitForSelector(`.span-row[data-position="${matches[0]}"][aria-selected="true"]`);
    assert.equal(await matchCount(page), `1 of ${matches.length}`);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`.span-row[data-position="${matches[1]}"][aria-selected="true"]`);
    await page.keyboard.press('Shift+Enter');
    await page.waitForSelector(`.span-row[data-position="${matches[0]}"][aria-selected="true"]`);
    await page.keyboard.press('Shift+Enter');
    await page.waitForSelector(`.span-row[data-position="${matches.at(-1)}"][aria-selected="true"]`);
    assert.equal(await matchCount(page), `${matches.length} of ${matches.length}`);
    await page.focus('.rows-scroll');
    await page.keyboard.press('F3');
    await page.waitForSelector(`.span-row[data-position="${matches[0]}"][aria-selected="true"]`);

    // Clearing the search keeps the span stepped to on screen by expanding its ancestors.
    await page.fill('.search-input', '');
    assert.equal(await matchCount(page), '');
    await page.waitForSelector(`.span-row[data-position="${matches[0]}"][aria-selected="true"]`);
    assert.equal(await page.locator('.span-row.search-match').count(), 0);
  });

  it('filters by errors, minimum duration and shows only matches on request', async () => {
    const shown = showTrace(generateTrace(1000));
    const { page } = await show(shown);
    const errors = [...shown.tree.order.keys()].filter((position) => spanAt(shown, position).status.code === 'error');
    await page.check('.errors-only-input');
    assert.equal(await matchCount(page), `${errors.length} matches`);

    const longErrors = errors.filter((position) => spanAt(shown, position).durationNano >= 5_000_000n);
    await page.fill('.min-duration-input', '5ms');
    assert.equal(await matchCount(page), `${longErrors.length} matches`);
    await page.check('.only-matches-input');
    const pinned = new Set<number>();
    for (const match of longErrors) for (let p = match; p >= 0; p = shown.tree.parentPosition[p]) pinned.add(p);
    await waitForRowCount(page, pinned.size);

    await page.fill('.min-duration-input', 'soon');
    assert.equal(await page.getAttribute('.min-duration-input', 'aria-invalid'), 'true');
    await page.uncheck('.only-matches-input');
    await page.uncheck('.errors-only-input');
    await page.fill('.min-duration-input', '');
    await waitForRowCount(page, 1000);
  });

  it('zooms with Ctrl+wheel and the keyboard, pans by dragging the axis and with arrow keys', async () => {
    const shown = showTrace(generateTrace(200));
    const { page } = await show(shown);
    const full = await viewWindow(page);
    assert.equal(full.start, 0);
    const ticksBefore = await page.$$eval('.time-tick', (ticks) => ticks.map((tick) => tick.textContent));

    const axisBox = (await page.locator('.time-axis').boundingBox())!;
    const bodyBox = (await page.locator('.waterfall-body').boundingBox())!;
    await page.mouse.move(axisBox.x + axisBox.width / 4, bodyBox.y + 100);
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -400);
    await page.keyboard.up('Control');
    await page.waitForFunction((end) => Number((document.querySelector('.time-axis') as HTMLElement).dataset.viewEndNano) < end, full.end);
    const zoomed = await viewWindow(page);
    assert.ok(zoomed.end - zoomed.start < (full.end - full.start) / 2, 'a wheel turn zooms in');
    assert.ok(zoomed.start < full.end / 4 && zoomed.end > full.end / 4, 'the time under the pointer stays in view');
    assert.notDeepEqual(await page.$$eval('.time-tick', (ticks) => ticks.map((tick) => tick.textContent)), ticksBefore);

    // Dragging the axis to the left shows later times.
    await page.mouse.move(axisBox.x + axisBox.width / 2, axisBox.y + axisBox.height / 2);
    await page.mouse.down();
    await page.mouse.move(axisBox.x + axisBox.width / 2 - 100, axisBox.y + axisBox.height / 2, { steps: 4 });
    await page.mouse.up();
    const dragged = await viewWindow(page);
    assert.ok(dragged.start > zoomed.start, `dragging left did not pan: ${zoomed.start} → ${dragged.start}`);
    assert.ok(Math.abs(dragged.end - dragged.start - (zoomed.end - zoomed.start)) <= 2, 'panning changed the zoom');

    await page.focus('.time-axis');
    await page.keyboard.press('ArrowLeft');
    assert.ok((await viewWindow(page)).start < dragged.start);
    await page.keyboard.press('+');
    const width = (w: { start: number; end: number }): number => w.end - w.start;
    assert.ok(width(await viewWindow(page)) < width(dragged) * 0.8);
    await page.keyboard.press('-');
    await page.keyboard.press('-');
    assert.ok(width(await viewWindow(page)) > width(dragged));
    await page.keyboard.press('0');
    assert.deepEqual(await viewWindow(page), full);
  });

  it('scrolls and pans when the minimap viewport is dragged', async () => {
    const shown = showTrace(generateTrace(5000));
    const { page } = await show(shown);
    await page.waitForSelector('.minimap[data-ready="true"]');
    const painted = await page.$eval('.minimap-canvas', (canvas) => {
      const context = (canvas as HTMLCanvasElement).getContext('2d')!;
      const { data } = context.getImageData(0, 0, (canvas as HTMLCanvasElement).width, (canvas as HTMLCanvasElement).height);
      let count = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) count++;
      return count;
    });
    assert.ok(painted > 500, `only ${painted} minimap pixels painted`);

    const box = (await page.locator('.minimap').boundingBox())!;
    const rect = (await page.locator('.minimap-viewport').boundingBox())!;
    await page.mouse.move(rect.x + rect.width / 2, rect.y + Math.min(2, rect.height / 2));
    await page.mouse.down();
    await page.mouse.move(rect.x + rect.width / 2, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    const scrollTop = await page.$eval('.rows-scroll', (scroller) => scroller.scrollTop);
    const expected = 0.5 * 5000 * ROW_HEIGHT_PX;
    assert.ok(Math.abs(scrollTop - expected) < 0.1 * expected, `scrolled to ${scrollTop}, expected about ${expected}`);
    const middle = await page.$$eval('.span-row', (rows) => rows.map((row) => Number((row as HTMLElement).dataset.position)));
    assert.ok(middle.some((position) => position > 2000 && position < 3000));
    const moved = (await page.locator('.minimap-viewport').boundingBox())!;
    assert.ok(moved.y > rect.y + box.height / 3, 'the viewport rectangle follows the scroll');
  });

  it('persists zoom with scroll and selection and restores them on reload', async () => {
    const shown = showTrace(generateTrace(300));
    let page = await show(shown);
    await page.page.focus('.time-axis');
    await page.page.keyboard.press('+');
    await page.page.keyboard.press('+');
    await page.page.keyboard.press('ArrowRight');
    const zoomed = await viewWindow(page.page);
    await page.page.click('.span-row[data-position="3"] .span-name');
    let state = await page.lastState();
    for (let attempt = 0; attempt < 40 && (state?.viewStartNano === undefined || state.selected !== 3); attempt++) {
      await page.page.waitForTimeout(50);
      state = await page.lastState();
    }
    assert.ok(state !== undefined);
    assert.equal(Math.round(state.viewStartNano ?? -1), zoomed.start);
    assert.equal(Math.round(state.viewEndNano ?? -1), zoomed.end);
    assert.equal(state.selected, 3);

    page = await show(shown, { initialState: state });
    assert.deepEqual(await viewWindow(page.page), zoomed);
    assert.equal(await selectedPosition(page.page), 3);
    await page.page.focus('.time-axis');
    await page.page.keyboard.press('0');
    for (let attempt = 0; attempt < 40 && (await page.lastState())?.viewStartNano !== undefined; attempt++) await page.page.waitForTimeout(50);
    assert.equal((await page.lastState())?.viewStartNano, undefined, 'the whole trace persists as no window');
  });

  it('keeps hostile names inert when they match a search', async () => {
    const hostile = '<img src=x onerror="window.__pwned=1">';
    const trace: Trace = {
      traceId: TRACE_ID,
      spans: [makeSpan({ index: 0, name: 'root' }), makeSpan({ index: 1, parent: 0, name: hostile, service: '<b>svc</b>' })],
    };
    const { page } = await show(showTrace(trace));
    await page.fill('.search-input', '<img');
    assert.equal(await matchCount(page), '1 match');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.span-row[data-position="1"].search-match[aria-selected="true"]');
    assert.equal(await page.textContent('.span-row[data-position="1"] .span-name'), hostile);
    assert.equal(await page.locator('img, b').count(), 0);
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
  });
});
