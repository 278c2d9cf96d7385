// The mocha hooks every Chromium webview suite needs: one page server and browser per suite, one page per
// test, and a passing test failed after the fact if its page broke its CSP or logged errors.
import { strict as assert } from 'node:assert';
import type { Browser } from 'playwright-core';
import type { WebviewToHostMessage } from '../../src/shared/webviewProtocol';
import {
  buildWebviewBundle,
  launchChromium,
  openWebview,
  startPageServer,
  type OpenOptions,
  type PageServer,
  type WebviewPage,
} from './webviewHarness';

export interface WebviewSession {
  /**
   * Opens the webview page and waits for its `ready`. A page still open from earlier in the test is closed
   * unchecked; the last one is closed and checked after the test.
   */
  open(options?: OpenOptions): Promise<WebviewPage>;
}

/** Registers the hooks on the enclosing describe; `prepare` (by default, building the webview bundle) runs first. */
export function useWebviewSession(prepare: () => Promise<void> = buildWebviewBundle): WebviewSession {
  let browser: Browser | undefined;
  let server: PageServer | undefined;
  let webview: WebviewPage | undefined;

  before(async function () {
    this.timeout(180_000);
    await prepare();
    server = await startPageServer();
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  afterEach(async function () {
    if (webview === undefined) return;
    const violations = await webview.cspViolations();
    const errors = [...webview.errors];
    await webview.close();
    webview = undefined;
    if (this.currentTest?.state === 'passed') {
      assert.deepEqual(violations, [], 'the page violated its Content Security Policy');
      assert.deepEqual(errors, [], 'the page logged errors');
    }
  });

  return {
    async open(options) {
      if (browser === undefined || server === undefined) throw new Error('the webview session did not start: its before hook failed');
      if (webview !== undefined) {
        await webview.close();
        webview = undefined;
      }
      webview = await openWebview(browser, server, options);
      await webview.waitForPosted((message): message is WebviewToHostMessage => message.type === 'ready');
      return webview;
    },
  };
}
