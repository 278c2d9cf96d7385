import { strict as assert } from 'node:assert';
import * as esbuild from 'esbuild';
import { buildSpanDetail } from '../../src/core/layout/spanDetail';
import type { Attribute, Span } from '../../src/core/model/trace';
import type { SpanDetail, WebviewToHostMessage } from '../../src/shared/webviewProtocol';
import { BASE_TIME_UNIX_NANO, makeSpan, resourceFor } from '../unit/layout/traceBuilders';
import { copyCodicons, REPO_ROOT, type WebviewPage } from './webviewHarness';
import { useWebviewSession } from './webviewSession';

const str = (key: string, value: string): Attribute => ({ key, value: { type: 'string', value } });
const int = (key: string, value: number): Attribute => ({ key, value: { type: 'int', value: String(value) } });

const LINKED_TRACE_ID = 'ab'.repeat(16);
const LINKED_SPAN_ID = 'cd'.repeat(8);

const hostile = {
  img: '<img src=x onerror="window.__pwned=1">',
  script: '<script>window.__pwned=2</script>',
  svg: '<svg onload="window.__pwned=3">',
  iframe: '<iframe src="javascript:window.__pwned=4"></iframe>',
  bold: '<b onmouseover="window.__pwned=5">x</b>',
};

/** Bundles the test page in memory; it replaces dist/webview.js on the served page. */
async function bundleDetailPage(): Promise<string> {
  const result = await esbuild.build({
    absWorkingDir: REPO_ROOT,
    entryPoints: ['test/browser/detailPanePage.ts'],
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'iife',
    target: 'chrome114',
    logLevel: 'warning',
  });
  return result.outputFiles[0].text;
}

function chatSpan(overrides: Partial<Span> = {}): Span {
  return makeSpan(
    { index: 6, parent: 1, name: 'chat gpt-4o-mini', service: 'assistant', startOffsetNano: 2_000_000n, durationNano: 845_000_000n },
    {
      kind: 'client',
      attributes: [
        str('gen_ai.operation.name', 'chat'),
        str('gen_ai.provider.name', 'openai'),
        str('gen_ai.request.model', 'gpt-4o-mini'),
        str('gen_ai.response.model', 'gpt-4o-mini-2024-07-18'),
        int('gen_ai.usage.input_tokens', 1840),
        int('gen_ai.usage.output_tokens', 260),
        { key: 'gen_ai.response.finish_reasons', value: { type: 'array', value: [{ type: 'string', value: 'stop' }] } },
        str('gen_ai.system_instructions', JSON.stringify([{ type: 'text', content: 'You are a support assistant.' }])),
        str(
          'gen_ai.input.messages',
          JSON.stringify([
            { role: 'user', parts: [{ type: 'text', content: 'Where is my order?' }] },
            { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_1', name: 'get_order_status', arguments: { order_id: '1234' } }] },
          ]),
        ),
        str('gen_ai.output.messages', JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: 'It is on its way.' }], finish_reason: 'stop' }])),
        str('code.file.path', '/srv/sample/src/server.ts'),
        int('code.line.number', 89),
        str('code.function.name', 'server.handleAsk'),
      ],
      events: [{ timeUnixNano: BASE_TIME_UNIX_NANO + 3_000_000n, name: 'retry', attributes: [int('attempt', 2)] }],
      links: [{ traceId: LINKED_TRACE_ID, spanId: LINKED_SPAN_ID, attributes: [str('link.reason', 'follows from')] }],
      resource: resourceFor('assistant', [str('host.name', 'node-1')]),
      scope: { name: 'spanlens-sample', version: '1.0.0', attributes: [] },
      ...overrides,
    },
  );
}

describe('span detail pane (Chromium)', function () {
  this.timeout(60_000);
  let bundle = '';
  const session = useWebviewSession(async () => {
    [bundle] = await Promise.all([bundleDetailPage(), copyCodicons()]);
  });

  /** The real webview page and CSP, with the detail-pane test page as its script. */
  async function open(): Promise<WebviewPage> {
    return session.open({ webviewScript: bundle });
  }

  async function showDetail(detail: SpanDetail): Promise<WebviewPage> {
    const page = await open();
    await page.postFromHost({ type: 'spanDetail', requestId: 1, detail });
    await page.page.waitForSelector(`#span-detail[data-position="${detail.position}"]`);
    return page;
  }

  it('renders summary, GenAI section, events and links from the host detail', async () => {
    const page = await showDetail(buildSpanDetail(chatSpan(), 7));
    const rows = (table: string) =>
      page.page.$$eval(`#span-detail [data-table="${table}"] > .attribute-row`, (elements) =>
        Object.fromEntries(elements.map((row) => [row.querySelector('.attribute-key')?.textContent, row.querySelector('.attribute-value')?.textContent])),
      );
    const summary = await rows('summary');
    assert.equal(summary['Code'], 'server.ts:89 · handleAsk');
    assert.equal(summary['Service'], 'assistant');
    assert.equal(summary['Duration'], '845 ms');

    const genAi = await rows('genai-summary');
    assert.deepEqual(genAi, {
      Operation: 'chat',
      Provider: 'openai',
      Model: 'gpt-4o-mini → gpt-4o-mini-2024-07-18',
      Tokens: '1,840 in · 260 out · 2,100 total',
      'Finish reason': 'stop',
    });
    assert.equal(await page.page.textContent('[data-section="genai"] .detail-section-title'), 'GenAI · chat');
    const messages = await page.page.$$eval('[data-section="genai"] .genai-message', (elements) =>
      elements.map((element) => [(element as HTMLElement).dataset.role, element.querySelector('.genai-part')?.textContent]),
    );
    assert.deepEqual(messages, [
      ['system', 'You are a support assistant.'],
      ['user', 'Where is my order?'],
      ['assistant', 'Tool call get_order_statuscall_1{\n  "order_id": "1234"\n}'],
      ['assistant', 'It is on its way.'],
    ]);

    const offset = await page.page.$eval('.detail-event .event-offset', (element) => [element.textContent, (element as HTMLElement).title]);
    assert.deepEqual(offset, ['+1 ms', '2023-11-14T22:13:20.126456789Z']);
    const counts = await page.page.$$eval('.detail-section-title', (titles) => titles.map((title) => title.textContent));
    assert.ok(counts.includes('Attributes13'), counts.join(' | '));
    assert.ok(counts.includes('Resource2'));
    assert.ok(counts.includes('Events1'));
    assert.ok(counts.includes('Links1'));
  });

  it('posts revealCode and openLinkedTrace when their links are clicked', async () => {
    const page = await showDetail(buildSpanDetail(chatSpan(), 7));
    await page.page.click('#span-detail [data-action="reveal-code"]');
    const reveal = await page.waitForPosted((message): message is Extract<WebviewToHostMessage, { type: 'revealCode' }> => message.type === 'revealCode');
    assert.deepEqual(reveal, { type: 'revealCode', position: 7 });

    assert.equal(await page.page.textContent('[data-action="open-linked-trace"]'), 'Open linked trace');
    await page.page.click('#span-detail [data-action="open-linked-trace"]');
    const opened = await page.waitForPosted(
      (message): message is Extract<WebviewToHostMessage, { type: 'openLinkedTrace' }> => message.type === 'openLinkedTrace',
    );
    assert.deepEqual(opened, { type: 'openLinkedTrace', traceId: LINKED_TRACE_ID, spanId: LINKED_SPAN_ID });
    assert.equal((await page.posted()).filter((message) => message.type === 'revealCode').length, 1, 'one click, one message');
  });

  it('cuts long values and expands them on request', async () => {
    const long = 'x'.repeat(12_595);
    const manyLines = Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n');
    const span = chatSpan({
      attributes: [str('db.query.text', long), str('gen_ai.output.messages', JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: manyLines }] }]))],
    });
    const page = await showDetail(buildSpanDetail(span, 3));
    const value = page.page.locator('[data-section="attributes"] .attribute-value[data-truncated="true"]');
    assert.equal(await value.count(), 1, 'only the long attribute is cut; the messages JSON is one short line');
    const first = value.first();
    assert.equal(await first.locator('.show-all-button').textContent(), 'Show all (12.3 KB)');
    assert.equal(await first.locator('.truncated-content').textContent(), `${'x'.repeat(2000)}…`);

    await first.locator('.show-all-button').click();
    assert.equal(await first.locator('.truncated-content').textContent(), long);
    assert.equal(await first.locator('.show-all-button').textContent(), 'Show less');
    assert.equal(await first.locator('.show-all-button').getAttribute('aria-expanded'), 'true');
    await first.locator('.show-all-button').click();
    assert.equal(await first.locator('.truncated-content').textContent(), `${'x'.repeat(2000)}…`);

    const message = page.page.locator('[data-messages="output"] .genai-text');
    const shown = await message.locator('.truncated-content').textContent();
    assert.equal(shown?.split('\n').length, 20, 'a long message shows its first 20 lines');
    await message.locator('.show-all-button').click();
    assert.equal(await message.locator('.truncated-content').textContent(), manyLines);
  });

  it('shows hostile strings in every part of the pane as literal text', async () => {
    const span = makeSpan(
      { index: 0, name: hostile.img, service: hostile.bold },
      {
        status: { code: 'error', message: hostile.script },
        attributes: [
          str(hostile.svg, hostile.iframe),
          str('code.file.path', `/src/${hostile.img}.ts`),
          int('code.line.number', 3),
          str('code.function.name', hostile.script),
          str('gen_ai.operation.name', hostile.bold),
          str('gen_ai.request.model', hostile.img),
          str(
            'gen_ai.input.messages',
            JSON.stringify([
              { role: hostile.svg, parts: [{ type: 'text', content: hostile.img }, { type: 'tool_call', id: hostile.bold, name: hostile.iframe, arguments: { [hostile.script]: hostile.img } }] },
              { role: 'tool', parts: [{ type: 'tool_call_response', id: 'x', response: hostile.svg }, { type: hostile.img, data: hostile.script }] },
            ]),
          ),
        ],
        events: [{ timeUnixNano: BASE_TIME_UNIX_NANO, name: hostile.script, attributes: [str(hostile.img, hostile.svg)] }],
        links: [{ traceId: LINKED_TRACE_ID, spanId: LINKED_SPAN_ID, attributes: [str(hostile.bold, hostile.iframe)] }],
        scope: { name: hostile.iframe, attributes: [] },
      },
    );
    const page = await showDetail(buildSpanDetail(span, 0));
    // Expand every cut value too, so nothing stays unrendered.
    for (const button of await page.page.$$('.show-all-button')) await button.click();
    await page.page.hover('#span-detail .detail-name');

    const seen = await page.page.evaluate(() => ({
      name: document.querySelector('#span-detail .detail-name')?.textContent,
      attribute: [document.querySelector('[data-section="attributes"] .attribute-key')?.textContent, document.querySelector('[data-section="attributes"] .attribute-value')?.textContent],
      code: document.querySelector('[data-action="reveal-code"]')?.textContent,
      role: document.querySelector('.genai-role')?.textContent,
      firstText: document.querySelector('.genai-text')?.textContent,
      toolName: document.querySelector('.genai-tool-name')?.textContent,
      event: document.querySelector('.event-name')?.textContent,
      injected: document.querySelectorAll('#span-detail img, #span-detail iframe, #span-detail svg, #span-detail b, #span-detail script, script:not([nonce])').length,
      pwned: (window as unknown as { __pwned?: number }).__pwned,
    }));
    assert.deepEqual(seen, {
      name: hostile.img,
      attribute: [hostile.svg, hostile.iframe],
      code: `${hostile.img}.ts:3 · ${hostile.script}`,
      role: hostile.svg,
      firstText: hostile.img,
      toolName: hostile.iframe,
      event: hostile.script,
      injected: 0,
      pwned: undefined,
    });
    const text = (await page.page.textContent('#span-detail')) ?? '';
    for (const value of Object.values(hostile)) assert.ok(text.includes(value), `${value} is shown as text`);
  });
});
