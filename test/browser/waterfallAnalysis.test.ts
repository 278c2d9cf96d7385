import { strict as assert } from 'node:assert';
import type { Page } from 'playwright-core';
import { searchAttributes } from '../../src/core/layout/attributeSearch';
import { encodeColumnarTrace } from '../../src/core/layout/columnarTrace';
import { formatDurationNano } from '../../src/core/model/time';
import type { Trace } from '../../src/core/model/trace';
import type { WebviewToHostMessage } from '../../src/shared/webviewProtocol';
import { TRACE_ID, makeSpan, spanIdOf } from '../unit/layout/traceBuilders';
import { loadTraceMessage, showTrace, spanDetailMessage, type ShownTrace } from './traceMessages';
import type { WebviewPage } from './webviewHarness';
import { useWebviewSession } from './webviewSession';

const MICRO = 1_000n;
type Posted<K extends WebviewToHostMessage['type']> = Extract<WebviewToHostMessage, { type: K }>;

// 0 GET /checkout (frontend, 0-1000µs)
// ├─ 1 SELECT (db, 100-400µs)
// └─ 2 POST /pay (api, 300-950µs, ends last)
//    └─ 3 SELECT (db, 400-600µs)
// Critical path: 0 [950,1000] ← 2 [600,950] ← 3 [400,600] ← 2 [300,400] ← 0 [0,300]; span 1 is off it.
function checkoutTrace(): Trace {
  const span = (index: number, parent: number | undefined, name: string, service: string, from: bigint, to: bigint) =>
    makeSpan({ index, parent, name, service, startOffsetNano: from * MICRO, durationNano: (to - from) * MICRO });
  return {
    traceId: TRACE_ID,
    spans: [
      span(0, undefined, 'GET /checkout', 'frontend', 0n, 1000n),
      span(1, 0, 'SELECT', 'db', 100n, 400n),
      span(2, 0, 'POST /pay', 'api', 300n, 950n),
      span(3, 2, 'SELECT', 'db', 400n, 600n),
    ],
  };
}

// A client in frontend and its server in cart, whose clock runs 1000 ns behind (as in the clock-skew unit test).
function skewedTrace(): Trace {
  return {
    traceId: TRACE_ID,
    spans: [
      makeSpan({ index: 0, name: 'GET /cart', service: 'frontend', startOffsetNano: 1_000_000n, durationNano: 1_000_000n }, { kind: 'client' }),
      makeSpan({ index: 1, parent: 0, name: 'GET /cart', service: 'cart', startOffsetNano: 0n, durationNano: 600_000n }, { kind: 'server' }),
      makeSpan({ index: 2, parent: 1, name: 'SELECT', service: 'cart', startOffsetNano: 100_000n, durationNano: 200_000n }),
    ],
  };
}

async function rowPositions(page: Page): Promise<number[]> {
  return page.$$eval('.span-row', (rows) => rows.map((row) => Number((row as HTMLElement).dataset.position)));
}

async function waitForRows(page: Page, positions: readonly number[]): Promise<void> {
  await page.waitForFunction(
    (expected) => JSON.stringify([...document.querySelectorAll<HTMLElement>('.span-row')].map((row) => Number(row.dataset.position))) === expected,
    JSON.stringify(positions),
    { timeout: 10_000 },
  );
}

/** How many of `widthPx` canvas pixels centred on `timeNano` in row `row` are opaque (a bar covers them). */
async function opaquePixelsAt(page: Page, row: number, timeNano: number, traceDurationNano: number, widthPx = 9): Promise<number> {
  return page.$eval(
    'canvas.timeline-canvas',
    (element, args) => {
      const canvas = element as HTMLCanvasElement;
      const ratio = canvas.width / canvas.clientWidth;
      const x = 8 + (args.timeNano / args.traceDurationNano) * (canvas.clientWidth - 16);
      const y = args.row * 22 + 11;
      const { data } = canvas.getContext('2d')!.getImageData(Math.round((x - (args.widthPx - 1) / 2) * ratio), Math.round(y * ratio), Math.round(args.widthPx * ratio), 1);
      let opaque = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 200) opaque++;
      return Math.round(opaque / ratio);
    },
    { row, timeNano, traceDurationNano, widthPx },
  );
}

describe('waterfall analysis: critical path, clock skew, statistics, detail actions, attribute search (Chromium)', function () {
  this.timeout(60_000);
  const session = useWebviewSession();

  async function show(shown: ShownTrace): Promise<WebviewPage> {
    const webview = await session.open();
    await webview.postFromHost(loadTraceMessage(shown));
    await webview.page.waitForSelector(`#waterfall[data-span-count="${shown.trace.spans.length}"] .span-row`);
    return webview;
  }

  /** Clicks the row at `position` and answers its detail request as the host would. */
  async function selectAndAnswer(view: WebviewPage, shown: ShownTrace, position: number): Promise<void> {
    await view.page.click(`.span-row[data-position="${position}"] .span-name`);
    const request = await view.waitForPosted(
      (message): message is Posted<'requestSpanDetail'> => message.type === 'requestSpanDetail' && message.position === position,
    );
    await view.postFromHost(spanDetailMessage(shown, request.requestId, position));
    await view.page.waitForSelector(`#span-detail[data-position="${position}"] .attribute-row`);
  }

  it('flags the critical-path rows, draws their segments, and filters to them', async () => {
    const shown = showTrace(checkoutTrace());
    const view = await show(shown);
    const { page } = view;
    assert.equal(await page.getAttribute('#waterfall', 'data-critical-spans'), '3');
    const flagged = await page.$$eval('.span-row.critical-path', (rows) => rows.map((row) => Number((row as HTMLElement).dataset.position)));
    assert.deepEqual(flagged, [0, 2, 3]);
    // 0 and 2 each have two segments, 3 one.
    await page.waitForSelector('canvas.timeline-canvas[data-critical-segments="5"]');

    await page.check('.critical-only-input');
    await waitForRows(page, [0, 2, 3]);
    assert.equal(await page.getAttribute('.waterfall-view', 'data-critical-only'), 'true');

    // Revealing a span off the path (e.g. from a CodeLens) leaves the filter.
    await view.postFromHost({ type: 'selectSpan', position: 1 });
    await waitForRows(page, [0, 1, 2, 3]);
    assert.equal(await page.isChecked('.critical-only-input'), false);

    await page.check('.critical-only-input');
    await waitForRows(page, [0, 2, 3]);
    await page.uncheck('.critical-only-input');
    await waitForRows(page, [0, 1, 2, 3]);
  });

  it('shows self time in the detail pane and the row tooltip', async () => {
    const shown = showTrace(checkoutTrace());
    const view = await show(shown);
    // POST /pay runs 650µs, 200µs of them in its child.
    const title = (await view.page.getAttribute('.span-row[data-position="2"]', 'title')) ?? '';
    assert.ok(title.includes(`${formatDurationNano(650_000)} (self ${formatDurationNano(450_000)})`), title);
    await selectAndAnswer(view, shown, 2);
    const summary = await view.page.$$eval('#span-detail [data-table="summary"] .attribute-row', (rows) =>
      rows.map((row) => [row.querySelector('.attribute-key')?.textContent, row.querySelector('.attribute-value')?.textContent]),
    );
    assert.deepEqual(
      summary.find(([key]) => key === 'Self time'),
      ['Self time', formatDurationNano(450_000)],
    );
  });

  it('says the trace was adjusted for clock skew and draws raw times on request', async () => {
    const shown = showTrace(skewedTrace());
    const { page } = await show(shown);
    const traceDurationNano = encodeColumnarTrace(shown.trace, shown.tree).message.traceDurationNano;
    assert.equal((await page.textContent('.skew-badge'))?.trim(), 'Clock skew adjusted: 2 spans');
    assert.equal(await page.getAttribute('.waterfall-view', 'data-time-mode'), 'adjusted');
    // Adjusted, the server (row 1) sits at 1200-1800µs; raw, it ran 0-600µs.
    assert.ok((await opaquePixelsAt(page, 1, 300_000, traceDurationNano)) <= 2, 'no bar at 300µs on adjusted times');
    assert.equal(await opaquePixelsAt(page, 1, 1_500_000, traceDurationNano), 9);
    assert.notEqual(await page.getAttribute('canvas.timeline-canvas', 'data-critical-segments'), '0');

    await page.check('.raw-times-input');
    await page.waitForSelector('.waterfall-view[data-time-mode="raw"]');
    assert.equal(await opaquePixelsAt(page, 1, 300_000, traceDurationNano), 9);
    assert.ok((await opaquePixelsAt(page, 1, 1_500_000, traceDurationNano)) <= 2, 'no bar at 1500µs on raw times');
    assert.equal(await page.getAttribute('canvas.timeline-canvas', 'data-critical-segments'), '0', 'no critical path on raw times');

    await page.uncheck('.raw-times-input');
    await page.waitForSelector('.waterfall-view[data-time-mode="adjusted"]');
    assert.equal(await opaquePixelsAt(page, 1, 1_500_000, traceDurationNano), 9);
  });

  it('shows no skew badge for a trace shown as recorded', async () => {
    const { page } = await show(showTrace(checkoutTrace()));
    assert.equal(await page.$('.skew-badge'), null);
    assert.equal(await page.$('.raw-times-input'), null);
  });

  it('tabulates time per service and operation, sortable by any column', async () => {
    const { page } = await show(showTrace(checkoutTrace()));
    assert.equal(await page.isVisible('.trace-statistics'), false);
    await page.click('.statistics-toggle');
    await page.waitForSelector('.trace-statistics tbody tr');
    assert.equal(await page.isVisible('.timeline-canvas'), false);
    const table = async (): Promise<string[][]> =>
      page.$$eval('.trace-statistics tbody tr', (rows) => rows.map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent ?? '')));
    const us = (micros: number): string => formatDurationNano(micros * 1000);
    // Most self time first.
    assert.deepEqual(await table(), [
      ['db', 'SELECT', '2', us(500), us(250), us(200), us(300), us(500), us(250), us(200), us(300), '50.00%'],
      ['api', 'POST /pay', '1', us(650), us(650), us(650), us(650), us(450), us(450), us(450), us(450), '45.00%'],
      ['frontend', 'GET /checkout', '1', us(1000), us(1000), us(1000), us(1000), us(150), us(150), us(150), us(150), '15.00%'],
    ]);
    const services = async (): Promise<string[]> => (await table()).map((row) => row[0]);
    await page.click('.trace-statistics th[data-column="service"] button');
    assert.deepEqual(await services(), ['api', 'db', 'frontend']);
    assert.equal(await page.getAttribute('.trace-statistics th[data-column="service"]', 'aria-sort'), 'ascending');
    await page.click('.trace-statistics th[data-column="service"] button');
    assert.deepEqual(await services(), ['frontend', 'db', 'api']);
    await page.click('.trace-statistics th[data-column="totalNano"] button');
    assert.deepEqual(await services(), ['frontend', 'api', 'db']);

    await page.click('.statistics-toggle');
    assert.equal(await page.isVisible('.trace-statistics'), false);
    assert.equal(await page.isVisible('.timeline-canvas'), true);
  });

  it('posts revealCode and openLinkedTrace from the detail pane buttons', async () => {
    const linkedTraceId = 'f'.repeat(32);
    const trace = checkoutTrace();
    const spans = trace.spans.map((span, index) =>
      index === 2
        ? {
            ...span,
            attributes: [
              { key: 'code.function', value: { type: 'string' as const, value: 'pay' } },
              { key: 'code.filepath', value: { type: 'string' as const, value: 'src/payments.ts' } },
              { key: 'code.lineno', value: { type: 'int' as const, value: '42' } },
            ],
            links: [{ traceId: linkedTraceId, spanId: spanIdOf(7), attributes: [] }],
          }
        : span,
    );
    const shown = showTrace({ ...trace, spans });
    const view = await show(shown);
    await selectAndAnswer(view, shown, 2);
    await view.page.click('#span-detail [data-action="reveal-code"]');
    const reveal = await view.waitForPosted((message): message is Posted<'revealCode'> => message.type === 'revealCode');
    assert.deepEqual(reveal, { type: 'revealCode', position: 2 });
    await view.page.click('#span-detail [data-action="open-linked-trace"]');
    const open = await view.waitForPosted((message): message is Posted<'openLinkedTrace'> => message.type === 'openLinkedTrace');
    assert.deepEqual(open, { type: 'openLinkedTrace', traceId: linkedTraceId, spanId: spanIdOf(7) });
  });

  it('asks the host to search attributes and adds its matches to the search', async () => {
    const trace = checkoutTrace();
    const spans = trace.spans.map((span, index) =>
      index === 3 ? { ...span, attributes: [{ key: 'db.statement', value: { type: 'string' as const, value: 'SELECT * FROM Invoices' } }] } : span,
    );
    const shown = showTrace({ ...trace, spans });
    const view = await show(shown);
    const { page } = view;
    const searchRequests = async (): Promise<Posted<'searchAttributes'>[]> =>
      (await view.posted()).filter((message): message is Posted<'searchAttributes'> => message.type === 'searchAttributes');

    await page.fill('.search-input', 'invoices');
    const request = await view.waitForPosted((message): message is Posted<'searchAttributes'> => message.type === 'searchAttributes');
    assert.equal(request.query, 'invoices');
    assert.equal((await searchRequests()).length, 1, 'typing is debounced into one request');
    await page.waitForFunction(() => document.querySelector('.search-bar')?.getAttribute('data-match-count') === '0');

    // A stale reply (an older request ID) changes nothing.
    await view.postFromHost({ type: 'attributeMatches', requestId: request.requestId - 1, positions: new Int32Array([1]).buffer });
    const positions = searchAttributes(shown.trace, shown.tree, request.query);
    assert.deepEqual([...positions], [3]);
    await view.postFromHost({ type: 'attributeMatches', requestId: request.requestId, positions: positions.buffer });
    await page.waitForFunction(() => document.querySelector('.search-bar')?.getAttribute('data-match-count') === '1');
    assert.deepEqual(
      await page.$$eval('.span-row.search-match', (rows) => rows.map((row) => Number((row as HTMLElement).dataset.position))),
      [3],
    );

    // Only matches keeps the attribute match and its ancestors; changing only the filter asks the host nothing new.
    await page.check('.only-matches-input');
    await waitForRows(page, [0, 2, 3]);
    assert.equal((await searchRequests()).length, 1);

    await page.fill('.search-input', '');
    await waitForRows(page, [0, 1, 2, 3]);
    assert.equal(await rowPositions(page).then((rows) => rows.length), 4);
  });
});
