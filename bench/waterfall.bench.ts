// The waterfall webview at scale, in headless Chromium: the real bundle on the page the extension
// serves, fed a generated trace of 10k, 100k and 1M spans. Figures: host-side tree and encode time
// plus webview time from message posted to first rows painted (the median of five fresh pages in one
// browser, the slowest beside it); p95 frame time while scrolling and while zooming; collapse all and
// expand all (to the frame after); JS heap with array buffers; and long tasks (> 50 ms) after first
// paint, which should be zero.

import type { CDPSession, Page } from 'playwright-core';
import { encodeColumnarTrace } from '../src/core/layout/columnarTrace';
import { buildSpanTree } from '../src/core/model/spanTree';
import type { Span, Trace } from '../src/core/model/trace';
import { EMPTY_SCOPE } from '../src/core/model/trace';
import { generateTrace, type GeneratedTrace } from '../test/support/traceGenerator';
import { buildWebviewBundle, launchChromium, openWebview, startPageServer, type WebviewPage } from '../test/browser/webviewHarness';
import type { Benchmark, BenchResult, Budget } from './benchmark';

const SEED = 20_240_601;
/**
 * Cold page loads timed for the first rows; the figure is their median. One load's time swings with
 * whatever else the browser's processes do in that moment on a small machine.
 */
const PAGE_LOADS = 5;
const TRACE_START_UNIX_NANO = 1_700_000_000_000_000_000n;

interface Size {
  readonly label: string;
  readonly spanCount: number;
  readonly firstPaintMillis: number;
  readonly frameMillis: number;
  readonly collapseMillis: number;
  readonly heapMegabytes: number;
}

const SIZES: readonly Size[] = [
  { label: '10k', spanCount: 10_000, firstPaintMillis: 200, frameMillis: 16.7, collapseMillis: 50, heapMegabytes: 50 },
  { label: '100k', spanCount: 100_000, firstPaintMillis: 500, frameMillis: 16.7, collapseMillis: 100, heapMegabytes: 200 },
  { label: '1M', spanCount: 1_000_000, firstPaintMillis: 1500, frameMillis: 33, collapseMillis: 250, heapMegabytes: 600 },
];

/** A binary column of the message and its size; the page rebuilds the message from these. */
interface ColumnSlice {
  readonly name: string;
  readonly byteLength: number;
}

/** The generated trace as model spans. Attributes stay out: the columnar message does not carry them. */
function toModelTrace(generated: GeneratedTrace): Trace {
  const resources = generated.services.map((service) => ({
    serviceName: service.name,
    attributes: [{ key: 'service.name', value: { type: 'string' as const, value: service.name } }],
  }));
  const kinds = { server: 'server', client: 'client', internal: 'internal', producer: 'producer', consumer: 'consumer' } as const;
  // The generator joins each ID from two halves; a parser or the store leaves flat strings, which V8 hashes
  // without first copying them, so the IDs go through JSON as a trace file's would.
  const spanIds = JSON.parse(JSON.stringify(generated.spans.map((span) => span.spanId))) as string[];
  const spans: Span[] = generated.spans.map((span, index) => ({
    traceId: generated.traceId,
    spanId: spanIds[index],
    parentSpanId: span.parentIndex === -1 ? undefined : spanIds[span.parentIndex],
    name: span.name,
    kind: kinds[span.kind],
    status: span.error === undefined ? { code: 'unset' } : { code: 'error', message: span.error },
    startTimeUnixNano: TRACE_START_UNIX_NANO + BigInt(Math.round(span.startMicros * 1000)),
    durationNano: BigInt(Math.round(span.durationMicros * 1000)),
    attributes: [],
    events: [],
    links: [],
    resource: resources[span.service],
    scope: EMPTY_SCOPE,
  }));
  return { traceId: generated.traceId, spans };
}

interface PageFigures {
  readonly scrollFrames: number[];
  readonly zoomFrames: number[];
  readonly collapseAllMillis: number[];
  readonly expandAllMillis: number[];
  readonly searchMillis: number;
  readonly longTasksAfterPaint: number;
  readonly longestTaskAfterPaint: number;
}

/** What the page keeps between the two steps below. */
interface BenchGlobals {
  __benchColumns?: Uint8Array<ArrayBuffer>;
  __benchLongTasks: PerformanceEntry[];
  __benchPainted: number;
}

/** Runs in the page: posts the trace and returns the time from the post to the first rows painted. */
async function postAndTimeFirstRows(page: Page, meta: Record<string, unknown>, columns: readonly ColumnSlice[]): Promise<number> {
  return page.evaluate(
    async ({ meta, columns }) => {
      const globals = window as unknown as BenchGlobals;
      globals.__benchLongTasks = [];
      new PerformanceObserver((list) => globals.__benchLongTasks.push(...list.getEntries())).observe({ type: 'longtask', buffered: true });

      const blob = (globals.__benchColumns as Uint8Array<ArrayBuffer>).buffer;
      const message: Record<string, unknown> = { ...meta };
      const transfer: ArrayBuffer[] = [];
      let offset = 0;
      for (const { name, byteLength } of columns) {
        const buffer = blob.slice(offset, offset + byteLength);
        offset += byteLength;
        message[name] = buffer;
        transfer.push(buffer);
      }
      delete globals.__benchColumns;
      const source = { kind: 'file', uri: 'file:///bench/trace.json', traceId: meta.traceId };
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

      const posted = performance.now();
      window.postMessage({ type: 'loadTrace', trace: message, source, title: 'bench', warnings: [] }, '*', transfer);
      const painted = await new Promise<number>((resolve, reject) => {
        const check = (): void => {
          if (document.querySelector('.span-row') !== null) setTimeout(() => resolve(performance.now()), 0);
          else if (document.querySelector('.waterfall-status.error') !== null) reject(new Error(document.body.textContent ?? 'the trace did not load'));
          else requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      });
      globals.__benchPainted = painted;
      return painted - posted;
    },
    { meta, columns },
  );
}

/** Runs in the page once the trace is shown: drives scroll, zoom, collapse and search, timing each frame. */
async function measureInteractions(page: Page): Promise<PageFigures> {
  return page.evaluate(async () => {
    const globals = window as unknown as BenchGlobals;
    const longTasks = globals.__benchLongTasks;
    const painted = globals.__benchPainted;
    const afterPaint = (): Promise<number> =>
      new Promise((resolve) => requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0)));
    // Let the work queued behind the first screen (minimap, state) run before interacting.
    await new Promise((resolve) => setTimeout(resolve, 1500));

    const scroller = document.querySelector('.rows-scroll') as HTMLElement;
    const frame = (action: () => void): Promise<number> =>
      new Promise((resolve) =>
        requestAnimationFrame(() => {
          const start = performance.now();
          action();
          setTimeout(() => resolve(performance.now() - start), 0);
        }),
      );
    // Each pass crosses the whole trace in 60 frames, down and back up; five passes give a p95 that is
    // not just the third-slowest frame.
    const passes = 5;
    const scrollFrames: number[] = [];
    const step = Math.max(1, Math.floor((scroller.scrollHeight - scroller.clientHeight) / 60));
    for (let i = 0; i < 60 * passes; i++) {
      const down = Math.floor(i / 60) % 2 === 0;
      scrollFrames.push(
        await frame(() => {
          scroller.scrollTop += down ? step : -step;
          // The view renders on scroll events; deliver it in this frame instead of the next.
          scroller.dispatchEvent(new Event('scroll'));
        }),
      );
    }
    const box = (document.querySelector('.timeline-canvas') as HTMLElement).getBoundingClientRect();
    const zoomFrames: number[] = [];
    for (let i = 0; i < 60 * passes; i++) {
      zoomFrames.push(
        await frame(() => {
          scroller.dispatchEvent(
            new WheelEvent('wheel', { deltaY: i % 60 < 30 ? -60 : 60, ctrlKey: true, clientX: box.left + box.width * 0.3, clientY: box.top + 50, bubbles: true, cancelable: true }),
          );
        }),
      );
    }
    const lastInteractive = performance.now();
    const longAfterPaint = longTasks.filter((task) => task.startTime >= painted && task.startTime < lastInteractive);

    const button = (label: string): HTMLElement => document.querySelector(`vscode-button[aria-label="${label}"]`) as HTMLElement;
    const collapseAllMillis: number[] = [];
    const expandAllMillis: number[] = [];
    for (let i = 0; i < 3; i++) {
      let start = performance.now();
      button('Collapse all spans').click();
      collapseAllMillis.push((await afterPaint()) - start);
      start = performance.now();
      button('Expand all spans').click();
      expandAllMillis.push((await afterPaint()) - start);
    }

    const input = document.querySelector('.search-input') as HTMLInputElement;
    const bar = document.querySelector('.search-bar') as HTMLElement;
    const searchStart = performance.now();
    input.value = 'orders';
    input.dispatchEvent(new Event('input'));
    await new Promise<void>((resolve) => {
      const check = (): void => (bar.dataset.matchCount ? resolve() : void requestAnimationFrame(check));
      check();
    });
    const searchMillis = (await afterPaint()) - searchStart;
    const searchLong = longTasks.filter((task) => task.startTime >= searchStart);

    return {
      scrollFrames,
      zoomFrames,
      collapseAllMillis,
      expandAllMillis,
      searchMillis,
      longTasksAfterPaint: longAfterPaint.length + searchLong.length,
      longestTaskAfterPaint: Math.max(0, ...[...longAfterPaint, ...searchLong].map((task) => task.duration)),
    };
  });
}

// The page's CSP forbids fetch, so the columns cross in base64 chunks before the clock starts.
const CHUNK_BYTES = 8 * 1024 * 1024;

async function sendColumns(page: Page, blob: Buffer): Promise<void> {
  await page.evaluate((length) => {
    (window as unknown as { __benchColumns: Uint8Array }).__benchColumns = new Uint8Array(length);
  }, blob.length);
  for (let offset = 0; offset < blob.length; offset += CHUNK_BYTES) {
    const chunk = blob.subarray(offset, offset + CHUNK_BYTES).toString('base64');
    await page.evaluate(
      ({ chunk, offset }) => {
        const binary = atob(chunk);
        const target = (window as unknown as { __benchColumns: Uint8Array }).__benchColumns;
        for (let i = 0; i < binary.length; i++) target[offset + i] = binary.charCodeAt(i);
      },
      { chunk, offset },
    );
  }
}

async function heapMegabytes(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  const usage = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; backingStorageSize?: number };
  // Typed-array contents live outside the V8 heap; count them, they are most of a big trace.
  return (usage.usedSize + (usage.backingStorageSize ?? 0)) / (1024 * 1024);
}

function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

function median(values: readonly number[]): number {
  return percentile(values, 0.5);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

let bundleBuilt = false;

export const waterfallBenchmarks: readonly Benchmark[] = SIZES.map(
  (size): Benchmark => ({
    name: `waterfall/${size.label}`,
    async run(): Promise<BenchResult[]> {
      if (!bundleBuilt) {
        await buildWebviewBundle();
        bundleBuilt = true;
      }
      let trace: Trace | undefined = toModelTrace(generateTrace({ spanCount: size.spanCount, seed: SEED }));
      const hostStart = performance.now();
      const tree = buildSpanTree(trace.spans);
      const treeMillis = performance.now() - hostStart;
      const { message } = encodeColumnarTrace(trace, tree);
      const hostMillis = performance.now() - hostStart;
      trace = undefined;
      // Every ArrayBuffer field is a column, whatever columns the protocol has grown.
      const meta: Record<string, unknown> = {};
      const columns: ColumnSlice[] = [];
      const buffers: Buffer[] = [];
      for (const [name, value] of Object.entries(message as unknown as Record<string, unknown>)) {
        if (value instanceof ArrayBuffer) {
          columns.push({ name, byteLength: value.byteLength });
          buffers.push(Buffer.from(value));
        } else {
          meta[name] = value;
        }
      }
      const blob = Buffer.concat(buffers);

      const server = await startPageServer();
      const browser = await launchChromium();
      try {
        // A fresh page per load, in one browser, as VS Code opens each webview in its long-running
        // Chromium; the last page stays for the interactions.
        const firstRowsMillis: number[] = [];
        let webview: WebviewPage | undefined;
        for (let load = 0; load < PAGE_LOADS; load++) {
          await webview?.close();
          webview = await openWebview(browser, server);
          await sendColumns(webview.page, blob);
          firstRowsMillis.push(await postAndTimeFirstRows(webview.page, meta, columns));
          if (webview.errors.length > 0) throw new Error(`waterfall/${size.label}: the page logged errors: ${webview.errors.join('; ')}`);
        }
        if (webview === undefined) throw new Error('no page was loaded');
        const cdp = await webview.page.context().newCDPSession(webview.page);
        const figures = await measureInteractions(webview.page);
        const heap = await heapMegabytes(cdp);
        if (webview.errors.length > 0) throw new Error(`waterfall/${size.label}: the page logged errors: ${webview.errors.join('; ')}`);
        const firstRows = median(firstRowsMillis);

        const name = `waterfall/${size.label}`;
        const budget = (max: number): Budget => ({ max });
        return [
          { name: `${name} host tree ms`, value: round(treeMillis), unit: 'ms' },
          { name: `${name} host tree+encode ms`, value: round(hostMillis), unit: 'ms' },
          { name: `${name} post to first rows ms (median of ${PAGE_LOADS} page loads)`, value: round(firstRows), unit: 'ms' },
          { name: `${name} post to first rows, slowest load ms`, value: round(Math.max(...firstRowsMillis)), unit: 'ms' },
          { name: `${name} host to first rows ms`, value: round(hostMillis + firstRows), unit: 'ms', budget: budget(size.firstPaintMillis) },
          { name: `${name} scroll p95 frame ms`, value: round(percentile(figures.scrollFrames, 0.95)), unit: 'ms', budget: budget(size.frameMillis) },
          { name: `${name} zoom p95 frame ms`, value: round(percentile(figures.zoomFrames, 0.95)), unit: 'ms', budget: budget(size.frameMillis) },
          { name: `${name} collapse all ms`, value: round(median(figures.collapseAllMillis)), unit: 'ms', budget: budget(size.collapseMillis) },
          { name: `${name} expand all ms`, value: round(median(figures.expandAllMillis)), unit: 'ms', budget: budget(size.collapseMillis) },
          { name: `${name} search to count ms`, value: round(figures.searchMillis), unit: 'ms' },
          { name: `${name} heap MB`, value: round(heap), unit: 'MB', budget: budget(size.heapMegabytes) },
          { name: `${name} long tasks after paint`, value: figures.longTasksAfterPaint, unit: 'tasks', budget: budget(0) },
          { name: `${name} longest task after paint ms`, value: round(figures.longestTaskAfterPaint), unit: 'ms' },
        ];
      } finally {
        await browser.close();
        await server.close();
      }
    },
  }),
);
