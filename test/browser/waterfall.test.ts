import { strict as assert } from 'node:assert';
import type { Page } from 'playwright-core';
import { formatDurationNano } from '../../src/core/model/time';
import type { Trace } from '../../src/core/model/trace';
import type { WebviewToHostMessage } from '../../src/shared/webviewProtocol';
import { TRACE_ID, generateTrace, makeSpan } from '../unit/layout/traceBuilders';
import {
  loadFixtureTrace,
  loadTraceMessage,
  showTrace,
  sourceOf,
  spanAt,
  spanDetailMessage,
  type ShownTrace,
} from './traceMessages';
import type { OpenOptions, WebviewPage } from './webviewHarness';
import { useWebviewSession } from './webviewSession';

type DetailRequest = Extract<WebviewToHostMessage, { type: 'requestSpanDetail' }>;

const isDetailRequest = (position?: number) =>
  (message: WebviewToHostMessage): message is DetailRequest =>
    message.type === 'requestSpanDetail' && (position === undefined || message.position === position);

const HUMAN_DURATION = /^-?\d+(\.\d+)? (ns|µs|ms|s|min|h)$/;

function hotrod(): ShownTrace {
  return loadFixtureTrace('jaeger/api_v3/captured-hotrod/n_plus_one_full_serial.json', 'jaeger-envelope-otel.json');
}

function jaegerUi01(): ShownTrace {
  return loadFixtureTrace('jaeger/api_v1/trace-object.ui_01.json', 'jaeger-v1-envelope.json');
}

async function renderedPositions(page: Page): Promise<number[]> {
  return page.$$eval('.span-row', (rows) => rows.map((row) => Number((row as HTMLElement).dataset.position)));
}

/** Waits until the rendered rows number `count` and/or include display position `includes`. */
async function waitForRows(page: Page, expected: { readonly count?: number; readonly includes?: number }): Promise<void> {
  // A function, not a string: the page's CSP forbids eval, which string predicates need.
  await page.waitForFunction(
    ({ count, includes }) => {
      const rows = [...document.querySelectorAll<HTMLElement>('.span-row')].map((row) => Number(row.dataset.position));
      return (count === undefined || rows.length === count) && (includes === undefined || rows.includes(includes));
    },
    expected,
    { timeout: 10_000 },
  );
}

describe('waterfall webview (Chromium)', function () {
  this.timeout(60_000);
  const session = useWebviewSession();

  async function show(shown: ShownTrace, options: OpenOptions & { title?: string; warnings?: readonly string[] } = {}): Promise<WebviewPage> {
    const page = await session.open(options);
    await page.postFromHost(loadTraceMessage(shown, { title: options.title, warnings: options.warnings }));
    await page.page.waitForSelector(`#waterfall[data-span-count="${shown.trace.spans.length}"]`);
    return page;
  }

  it('posts ready once its listener is installed and shows a progress ring until the trace arrives', async () => {
    const page = await session.open();
    assert.deepEqual(await page.posted(), [{ type: 'ready' }]);
    const csp = await page.page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
    assert.match(csp ?? '', /^default-src 'none'; script-src 'nonce-[^']+'; style-src http:\/\/127\.0\.0\.1:\d+ 'nonce-/);
    assert.doesNotMatch(csp ?? '', /unsafe/);
    const waiting = await page.page.evaluate(() => ({
      busy: document.getElementById('waterfall')?.getAttribute('aria-busy'),
      spanCount: document.getElementById('waterfall')?.dataset.spanCount,
      ringDefined: customElements.get('vscode-progress-ring') !== undefined,
      ringRendered: document.querySelector('vscode-progress-ring')?.shadowRoot?.childElementCount ?? 0,
    }));
    assert.deepEqual({ ...waiting, ringRendered: waiting.ringRendered > 0 }, {
      busy: 'true',
      spanCount: undefined,
      ringDefined: true,
      ringRendered: true,
    });
  });

  it('renders one tree row per span of a small trace, with levels, services and toolkit buttons', async () => {
    const shown = jaegerUi01();
    const page = await show(shown, { title: 'ui_01.json' });
    const count = shown.trace.spans.length;
    await waitForRows(page.page, { count: count });
    assert.deepEqual(await renderedPositions(page.page), [...Array(count).keys()]);

    const rows = await page.page.$$eval('.span-row', (elements) =>
      elements.map((row) => ({
        role: row.getAttribute('role'),
        level: row.getAttribute('aria-level'),
        expanded: row.getAttribute('aria-expanded'),
        name: row.querySelector('.span-name')?.textContent,
        service: row.querySelector('.span-service')?.textContent,
        hasToggle: row.querySelector('.span-toggle') !== null,
      })),
    );
    rows.forEach((row, position) => {
      const span = spanAt(shown, position);
      const parent = shown.tree.subtreeEnd[position] > position + 1;
      assert.deepEqual(row, {
        role: 'treeitem',
        level: String(shown.tree.depth[position] + 1),
        expanded: parent ? 'true' : null,
        name: span.name,
        service: span.resource.serviceName,
        hasToggle: parent,
      });
    });

    const header = await page.page.evaluate(async () => {
      await document.fonts.ready;
      const button = document.querySelector('vscode-button');
      return {
        title: document.querySelector('.trace-title')?.textContent,
        badge: document.querySelector('.trace-stats .badge')?.textContent,
        buttonRendered: customElements.get('vscode-button') !== undefined && (button?.shadowRoot?.childElementCount ?? 0) > 0,
        legend: [...document.querySelectorAll('.legend-name')].map((item) => item.textContent),
        codiconFont: document.fonts.check('16px codicon'),
      };
    });
    const services = [...new Set(Array.from(shown.tree.order, (index) => shown.trace.spans[index].resource.serviceName))];
    assert.deepEqual(header, { title: 'ui_01.json', badge: String(count), buttonRendered: true, legend: services, codiconFont: true });
  });

  it('shows durations, the total and the axis in human units', async () => {
    const shown = hotrod();
    const page = await show(shown, { viewport: { width: 1200, height: 2000 } });
    const texts = await page.page.evaluate(() => ({
      rows: [...document.querySelectorAll<HTMLElement>('.span-row')].map((row) => [Number(row.dataset.position), row.querySelector('.span-duration')?.textContent ?? '']),
      total: document.querySelector('.trace-duration')?.textContent ?? '',
      ticks: [...document.querySelectorAll('.time-tick')].map((tick) => tick.textContent ?? ''),
    }));
    assert.ok(texts.rows.length > 0);
    for (const [position, text] of texts.rows as [number, string][]) {
      assert.match(text, HUMAN_DURATION);
      assert.equal(text, formatDurationNano(Number(spanAt(shown, position).durationNano)));
    }
    const starts = shown.trace.spans.map((span) => span.startTimeUnixNano);
    const ends = shown.trace.spans.map((span) => span.startTimeUnixNano + span.durationNano);
    const totalNano = ends.reduce((a, b) => (a > b ? a : b)) - starts.reduce((a, b) => (a < b ? a : b));
    assert.equal(texts.total, formatDurationNano(Number(totalNano)));
    assert.match(texts.total, HUMAN_DURATION);
    assert.ok(texts.ticks.length >= 3, `only ${texts.ticks.length} axis ticks`);
    for (const tick of texts.ticks) assert.match(tick, HUMAN_DURATION);
    assert.equal(new Set(texts.ticks).size, texts.ticks.length, 'axis labels repeat');
  });

  it('collapses a subtree with its toggle and restores it on expand', async () => {
    const shown = hotrod();
    const page = await show(shown, { viewport: { width: 1200, height: 2000 } });
    const total = shown.trace.spans.length;
    await waitForRows(page.page, { count: total });
    const parent = [...shown.tree.subtreeEnd].findIndex((end, position) => position > 0 && end > position + 2);
    const end = shown.tree.subtreeEnd[parent];

    await page.page.click(`.span-row[data-position="${parent}"] .span-toggle`);
    await waitForRows(page.page, { count: total - (end - parent - 1) });
    const collapsed = await renderedPositions(page.page);
    assert.ok(collapsed.every((position) => position <= parent || position >= end), 'a hidden descendant is still rendered');
    assert.equal(await page.page.getAttribute(`.span-row[data-position="${parent}"]`, 'aria-expanded'), 'false');
    assert.ok((await page.page.getAttribute(`.span-row[data-position="${parent}"] .span-toggle`, 'class'))?.includes('codicon-chevron-right'));

    await page.page.click(`.span-row[data-position="${parent}"] .span-toggle`);
    await waitForRows(page.page, { count: total });
    assert.deepEqual(await renderedPositions(page.page), [...Array(total).keys()]);
    assert.equal(await page.page.getAttribute(`.span-row[data-position="${parent}"]`, 'aria-expanded'), 'true');
  });

  it('moves the selection and collapses with the arrow keys', async () => {
    const shown = hotrod();
    const page = await show(shown, { viewport: { width: 1200, height: 2000 } });
    const parent = [...shown.tree.subtreeEnd].findIndex((end, position) => position > 0 && end > position + 2);
    const total = shown.trace.spans.length;
    const selected = async (): Promise<string[]> =>
      page.page.$$eval('.span-row[aria-selected="true"]', (rows) => rows.map((row) => (row as HTMLElement).dataset.position ?? ''));

    await page.page.click(`.span-row[data-position="${parent}"] .span-name`);
    assert.deepEqual(await selected(), [String(parent)]);
    await page.page.keyboard.press('ArrowLeft');
    await waitForRows(page.page, { count: total - (shown.tree.subtreeEnd[parent] - parent - 1) });
    await page.page.keyboard.press('ArrowLeft');
    assert.deepEqual(await selected(), [String(shown.tree.parentPosition[parent])], 'Left on a collapsed span goes to its parent');
    await page.page.keyboard.press('ArrowDown');
    assert.deepEqual(await selected(), [String(shown.tree.parentPosition[parent] + 1)]);
    await page.page.click(`.span-row[data-position="${parent}"] .span-name`);
    await page.page.keyboard.press('ArrowRight');
    await waitForRows(page.page, { count: total });
    await page.page.keyboard.press('ArrowRight');
    await page.page.keyboard.press('ArrowDown');
    assert.deepEqual(await selected(), [String(parent + 2)], 'Right on an expanded span enters its first child');
    await page.page.keyboard.press('ArrowUp');
    assert.deepEqual(await selected(), [String(parent + 1)]);
  });

  it('requests the detail of a clicked span, renders it as text and ignores stale replies', async () => {
    const shown = hotrod();
    const page = await show(shown);
    const withAttributes = [0, 1, 2, 3, 4, 5].find((position) => spanAt(shown, position).attributes.length > 0);
    assert.ok(withAttributes !== undefined);
    const other = withAttributes === 0 ? 1 : 0;

    await page.page.click(`.span-row[data-position="${withAttributes}"] .span-name`);
    const first = await page.waitForPosted(isDetailRequest(withAttributes));
    await page.page.click(`.span-row[data-position="${other}"] .span-name`);
    const second = await page.waitForPosted(isDetailRequest(other));
    assert.ok(second.requestId > first.requestId, 'request IDs must increase');

    // The reply to the superseded request arrives last and must not replace the pane.
    await page.postFromHost(spanDetailMessage(shown, second.requestId, other));
    await page.page.waitForSelector(`#span-detail[data-position="${other}"]`);
    await page.postFromHost(spanDetailMessage(shown, first.requestId, withAttributes));
    await page.page.waitForTimeout(100);
    assert.equal(await page.page.getAttribute('#span-detail', 'data-position'), String(other));

    await page.page.click(`.span-row[data-position="${withAttributes}"] .span-name`);
    const third = await page.waitForPosted((message): message is DetailRequest => isDetailRequest(withAttributes)(message) && message.requestId > second.requestId);
    await page.postFromHost(spanDetailMessage(shown, third.requestId, withAttributes));
    await page.page.waitForSelector(`#span-detail[data-position="${withAttributes}"]`);

    const span = spanAt(shown, withAttributes);
    const table = await page.page.$$eval('#span-detail [data-section="attributes"] .attribute-row', (rows) =>
      rows.map((row) => [row.querySelector('.attribute-key')?.textContent, row.querySelector('.attribute-value')?.textContent]),
    );
    assert.equal(table.length, span.attributes.length);
    for (const attribute of span.attributes) {
      const row = table.find(([key]) => key === attribute.key);
      assert.ok(row, `attribute ${attribute.key} is missing`);
      if (attribute.value.type === 'string' || attribute.value.type === 'int') assert.equal(row[1], attribute.value.value);
    }
    const summary = await page.page.$$eval('#span-detail [data-table="summary"] .attribute-row', (rows) =>
      Object.fromEntries(rows.map((row) => [row.querySelector('.attribute-key')?.textContent, row.querySelector('.attribute-value')?.textContent])),
    );
    assert.equal(summary['Service'], span.resource.serviceName);
    assert.equal(summary['Span ID'], span.spanId);
    assert.equal(summary['Duration'], formatDurationNano(Number(span.durationNano)));
    assert.match(summary['Start'] ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$/);
    assert.equal(await page.page.textContent('#span-detail .detail-name'), span.name);
    if (span.events.length > 0) {
      assert.equal(await page.page.locator('#span-detail .detail-event').count(), span.events.length);
    }
  });

  it('shows hostile span names, services, attributes, warnings and titles as literal text', async () => {
    const hostile = {
      img: '<img src=x onerror="window.__pwned=1">',
      script: '<script>window.__pwned=2</script>',
      service: '<b onmouseover="window.__pwned=3">svc</b>',
      key: '<svg onload="window.__pwned=4">',
      value: '<iframe src="javascript:window.__pwned=5"></iframe>',
      title: '<img src=y onerror="window.__pwned=6">',
    };
    const trace: Trace = {
      traceId: TRACE_ID,
      spans: [
        makeSpan({ index: 0, name: hostile.img, service: hostile.service }, {
          attributes: [{ key: hostile.key, value: { type: 'string', value: hostile.value } }],
          events: [{ timeUnixNano: 1_700_000_000_123_456_789n, name: hostile.script, attributes: [] }],
          status: { code: 'error', message: hostile.img },
        }),
        makeSpan({ index: 1, parent: 0, name: hostile.script, service: 'api' }),
      ],
    };
    const shown = showTrace(trace);
    const page = await show(shown, { title: hostile.title, warnings: [hostile.script] });
    await page.page.click('.span-row[data-position="0"] .span-name');
    const request = await page.waitForPosted(isDetailRequest(0));
    await page.postFromHost(spanDetailMessage(shown, request.requestId, 0));
    await page.page.waitForSelector('#span-detail .attribute-row');

    const seen = await page.page.evaluate(() => ({
      names: [...document.querySelectorAll('.span-name')].map((name) => name.textContent),
      services: [...document.querySelectorAll('.legend-name')].map((name) => name.textContent),
      title: document.querySelector('.trace-title')?.textContent,
      documentTitle: document.title,
      warning: document.querySelector('.warning-item')?.textContent,
      detailName: document.querySelector('#span-detail .detail-name')?.textContent,
      attribute: [document.querySelector('[data-section="attributes"] .attribute-key')?.textContent, document.querySelector('[data-section="attributes"] .attribute-value')?.textContent],
      event: document.querySelector('.event-name')?.textContent,
      injected: document.querySelectorAll('img, iframe, svg, b, script:not([nonce])').length,
      scripts: document.scripts.length,
      pwned: (window as unknown as { __pwned?: number }).__pwned,
    }));
    assert.deepEqual(seen, {
      names: [hostile.img, hostile.script],
      services: [hostile.service, 'api'],
      title: hostile.title,
      documentTitle: hostile.title,
      warning: hostile.script,
      detailName: hostile.img,
      attribute: [hostile.key, hostile.value],
      event: hostile.script,
      injected: 0,
      scripts: 1,
      pwned: undefined,
    });
  });

  it('keeps the DOM bounded for 10k spans and shows later rows when scrolled', async () => {
    const shown = showTrace(generateTrace(10_000));
    const page = await show(shown);
    const before = await renderedPositions(page.page);
    assert.ok(before.length > 10 && before.length < 200, `${before.length} rows in the DOM`);
    assert.equal(before[0], 0);

    await page.page.$eval('.rows-scroll', (scroller) => {
      scroller.scrollTop = scroller.scrollHeight;
    });
    await waitForRows(page.page, { includes: 9999 });
    const after = await renderedPositions(page.page);
    assert.ok(after.length < 200, `${after.length} rows in the DOM after scrolling`);
    assert.ok(after[0] > 9_000, `first rendered row is ${after[0]}`);
    assert.equal(await page.page.locator('.span-row').count(), after.length);

    await page.page.$eval('.rows-scroll', (scroller) => {
      scroller.scrollTop = 5_000 * 22;
    });
    await waitForRows(page.page, { includes: 5000 });
    const middle = await renderedPositions(page.page);
    assert.ok(middle.length < 200 && middle.every((position, index) => index === 0 || position === middle[index - 1] + 1));

    const painted = await page.page.$eval('canvas.timeline-canvas', (canvas) => {
      const context = (canvas as HTMLCanvasElement).getContext('2d');
      if (context === null) return 0;
      const { data } = context.getImageData(0, 0, (canvas as HTMLCanvasElement).width, (canvas as HTMLCanvasElement).height);
      let count = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) count++;
      return count;
    });
    assert.ok(painted > 1_000, `only ${painted} pixels of bars painted`);
  });

  it('persists collapsed spans, scroll and selection, and restores them for the same source only', async () => {
    const shown = hotrod();
    let page = await show(shown);
    const parent = [...shown.tree.subtreeEnd].findIndex((end, position) => position > 0 && end > position + 2);
    const next = shown.tree.subtreeEnd[parent];
    await page.page.click(`.span-row[data-position="${parent}"] .span-toggle`);
    await page.page.click(`.span-row[data-position="${next}"] .span-name`);
    await page.page.$eval('.rows-scroll', (scroller) => {
      scroller.scrollTop = 30;
    });
    await page.page.waitForFunction(() => document.querySelector('.rows-scroll')?.scrollTop === 30);
    let state = await page.lastState();
    for (let attempt = 0; attempt < 40 && state?.scrollTop !== 30; attempt++) {
      await page.page.waitForTimeout(50);
      state = await page.lastState();
    }
    assert.deepEqual(state, { source: sourceOf(shown.trace), collapsed: [parent], scrollTop: 30, selected: next });

    page = await show(shown, { initialState: state });
    assert.equal(await page.page.getAttribute(`.span-row[data-position="${parent}"]`, 'aria-expanded'), 'false');
    assert.equal(await page.page.$eval('.rows-scroll', (scroller) => scroller.scrollTop), 30);
    assert.equal(await page.page.getAttribute(`.span-row[data-position="${next}"]`, 'aria-selected'), 'true');
    await page.waitForPosted(isDetailRequest(next));

    page = await show(shown, { initialState: { ...state!, source: sourceOf(shown.trace, 'file:///elsewhere.json') } });
    assert.equal(await page.page.getAttribute(`.span-row[data-position="${parent}"]`, 'aria-expanded'), 'true');
    assert.equal(await page.page.$eval('.rows-scroll', (scroller) => scroller.scrollTop), 0);
    assert.deepEqual(await page.lastState(), { source: sourceOf(shown.trace) });
  });

  it('reveals a span the host selects, expanding its collapsed ancestors', async () => {
    const shown = hotrod();
    const page = await show(shown);
    await page.page.click('.span-row[data-position="0"] .span-toggle');
    await waitForRows(page.page, { count: 1 });
    const target = shown.trace.spans.length - 1;
    await page.postFromHost({ type: 'selectSpan', position: target });
    await page.page.waitForSelector(`.span-row[data-position="${target}"][aria-selected="true"]`);
    await page.waitForPosted(isDetailRequest(target));
    const visible = await page.page.$eval(`.span-row[data-position="${target}"]`, (row) => {
      const scroller = document.querySelector('.rows-scroll') as HTMLElement;
      const rowBox = row.getBoundingClientRect();
      const box = scroller.getBoundingClientRect();
      return rowBox.top >= box.top && rowBox.bottom <= box.bottom;
    });
    assert.equal(visible, true, 'the selected row is scrolled out of view');
    await page.page.$eval('.rows-scroll', (scroller) => {
      scroller.scrollTop = 0;
    });
    await waitForRows(page.page, { includes: 0 });
    assert.equal(await page.page.getAttribute('.span-row[data-position="0"]', 'aria-expanded'), 'true');
  });

  it('replaces the view when the host posts another trace, including an empty one', async () => {
    const page = await show(jaegerUi01());
    await page.postFromHost(loadTraceMessage(showTrace(generateTrace(3)), { title: 'second.json' }));
    await page.page.waitForSelector('#waterfall[data-span-count="3"]');
    await waitForRows(page.page, { count: 3 });
    assert.equal(await page.page.locator('.waterfall-view').count(), 1);
    assert.equal(await page.page.textContent('.trace-title'), 'second.json');

    await page.postFromHost(loadTraceMessage(showTrace({ traceId: TRACE_ID, spans: [] }), { title: 'empty.json' }));
    await page.page.waitForSelector('#waterfall[data-span-count="0"]');
    assert.equal(await page.page.locator('.span-row').count(), 0);
    assert.equal(await page.page.textContent('#span-detail'), 'This trace has no spans.');
  });

  it('shows host errors as text and lets the user dismiss warnings', async () => {
    const shown = jaegerUi01();
    const page = await show(shown);
    assert.ok(shown.warnings.length > 0, 'the fixture should produce warnings');
    assert.deepEqual(await page.page.$$eval('.warning-item', (items) => items.map((item) => item.textContent)), shown.warnings);
    await page.page.click('vscode-button[aria-label="Dismiss warnings"]');
    assert.equal(await page.page.locator('.warnings-banner').count(), 0);

    await page.postFromHost({ type: 'showError', message: 'Cannot read <b>trace.json</b>' });
    await page.page.waitForSelector('.waterfall-status[role="alert"]');
    assert.equal(await page.page.textContent('.waterfall-status .status-text'), 'Cannot read <b>trace.json</b>');
    assert.equal(await page.page.locator('b, .span-row').count(), 0);
    assert.equal(await page.page.getAttribute('#waterfall', 'data-span-count'), null);
  });
});
