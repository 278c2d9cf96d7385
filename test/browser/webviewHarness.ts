// Runs the real webview bundle in Chromium: a local HTTP server serves the page rendered by
// renderWaterfallHtml (with its CSP), dist/webview.js and the styles; a fake acquireVsCodeApi records
// what the webview posts and lets the test play the host.
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createNonce, renderWaterfallHtml } from '../../src/shared/waterfallHtml';
import type { HostToWebviewMessage, WaterfallViewState, WebviewToHostMessage } from '../../src/shared/webviewProtocol';
import { DARK_MODERN_THEME } from './themeVariables';

export const REPO_ROOT = path.resolve(__dirname, '../..');

const CHROMIUM_PATH = process.env.SPANLENS_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

/** Builds dist/webview.js and dist/codicons exactly as scripts/build.mjs does, without the node bundles. */
export async function buildWebviewBundle(): Promise<void> {
  await esbuild.build({
    absWorkingDir: REPO_ROOT,
    entryPoints: { webview: 'webview/main.ts' },
    outdir: 'dist',
    bundle: true,
    sourcemap: true,
    legalComments: 'none',
    platform: 'browser',
    format: 'iife',
    target: 'chrome114',
    loader: { '.ttf': 'file' },
    logLevel: 'warning',
  });
  await copyCodicons();
}

/** The icon font and its stylesheet, as scripts/build.mjs places them. */
export async function copyCodicons(): Promise<void> {
  await mkdir(path.join(REPO_ROOT, 'dist/codicons'), { recursive: true });
  for (const file of ['codicon.css', 'codicon.ttf']) {
    await copyFile(path.join(REPO_ROOT, 'node_modules/@vscode/codicons/dist', file), path.join(REPO_ROOT, 'dist/codicons', file));
  }
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
};
const SERVED_ROOTS = ['dist', 'media'];

export interface PageServer {
  readonly origin: string;
  close(): Promise<void>;
}

/** Serves `/?title=…` as the webview page and files under dist/ and media/ as the webview's resources. */
export async function startPageServer(): Promise<PageServer> {
  let origin = '';
  const server: Server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', origin);
      if (url.pathname === '/favicon.ico') {
        response.writeHead(204).end();
        return;
      }
      if (url.pathname === '/') {
        const html = renderWaterfallHtml({
          cspSource: origin,
          nonce: createNonce(),
          scriptUri: `${origin}/dist/webview.js`,
          styleUris: [`${origin}/dist/codicons/codicon.css`, `${origin}/media/webview.css`],
          title: url.searchParams.get('title') ?? 'Trace',
        });
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end(html);
        return;
      }
      const relative = path.normalize(decodeURIComponent(url.pathname)).replace(/^[/\\]+/, '');
      const type = CONTENT_TYPES[path.extname(relative)];
      if (type === undefined || !SERVED_ROOTS.some((root) => relative.startsWith(`${root}/`))) {
        response.writeHead(404).end();
        return;
      }
      try {
        const body = await readFile(path.join(REPO_ROOT, relative));
        response.writeHead(200, { 'content-type': type });
        response.end(body);
      } catch {
        response.writeHead(404).end();
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Headless Chromium with a fresh temporary profile (Playwright's launch() makes one per browser). */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

/** What the fake VS Code API and the page record, read back with `page.evaluate`. */
interface HarnessGlobals {
  __posted: unknown[];
  __stateWrites: unknown[];
  __cspViolations: string[];
}

export interface WebviewPage {
  readonly page: Page;
  /** Uncaught errors and console errors seen so far. */
  readonly errors: string[];
  /** Messages the webview posted to the host, oldest first. */
  posted(): Promise<WebviewToHostMessage[]>;
  /** The last state the webview saved with setState, if any. */
  lastState(): Promise<WaterfallViewState | undefined>;
  cspViolations(): Promise<string[]>;
  /** Delivers a host message the way VS Code does: a window message event with ArrayBuffers transferred. */
  postFromHost(message: HostToWebviewMessage): Promise<void>;
  /** Waits for a posted message matching `predicate` and returns it. */
  waitForPosted<T extends WebviewToHostMessage>(predicate: (message: WebviewToHostMessage) => message is T): Promise<T>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** State VS Code would hand back to a restored webview. */
  readonly initialState?: WaterfallViewState;
  readonly title?: string;
  readonly viewport?: { readonly width: number; readonly height: number };
  /** Served in place of dist/webview.js: a test page bundled in memory. */
  readonly webviewScript?: string;
}

export async function openWebview(browser: Browser, server: PageServer, options: OpenOptions = {}): Promise<WebviewPage> {
  const page = await browser.newPage({ viewport: options.viewport ?? { width: 1200, height: 800 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('dialog', (dialog) => {
    errors.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  // tsx compiles the page functions below with esbuild's keepNames, which calls a __name helper that
  // only exists in Node; give the page an identity version.
  await page.addInitScript('globalThis.__name = (target) => target;');
  await page.addInitScript(
    ({ initialState, theme }) => {
      const globals = window as unknown as HarnessGlobals & { acquireVsCodeApi?: () => unknown };
      globals.__posted = [];
      globals.__stateWrites = [];
      globals.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (event) => {
        globals.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} at ${event.sourceFile}:${event.lineNumber}:${event.columnNumber} ${event.sample}`);
      });
      // VS Code sets the theme on <html> through CSSOM, which CSP allows; <html> may not exist yet here.
      const applyTheme = (): void => {
        for (const [name, value] of Object.entries(theme)) document.documentElement.style.setProperty(name, value);
      };
      if (document.documentElement !== null) {
        applyTheme();
      } else {
        const observer = new MutationObserver(() => {
          if (document.documentElement === null) return;
          observer.disconnect();
          applyTheme();
        });
        observer.observe(document, { childList: true });
      }
      let state: unknown = initialState;
      let acquired = false;
      globals.acquireVsCodeApi = () => {
        if (acquired) throw new Error('An instance of the VS Code API has already been acquired');
        acquired = true;
        return Object.freeze({
          postMessage: (message: unknown) => globals.__posted.push(structuredClone(message)),
          getState: () => state,
          setState: (next: unknown) => {
            state = structuredClone(next);
            globals.__stateWrites.push(state);
            return next;
          },
        });
      };
    },
    { initialState: options.initialState ?? null, theme: DARK_MODERN_THEME },
  );
  const { webviewScript } = options;
  if (webviewScript !== undefined) {
    await page.route('**/dist/webview.js', (route) => route.fulfill({ contentType: 'text/javascript', body: webviewScript }));
  }
  const title = options.title === undefined ? '' : `?title=${encodeURIComponent(options.title)}`;
  await page.goto(`${server.origin}/${title}`);

  const posted = async (): Promise<WebviewToHostMessage[]> =>
    page.evaluate(() => (window as unknown as HarnessGlobals).__posted as WebviewToHostMessage[]);
  return {
    page,
    errors,
    posted,
    lastState: () =>
      page.evaluate(() => {
        const writes = (window as unknown as HarnessGlobals).__stateWrites;
        return writes[writes.length - 1] as WaterfallViewState | undefined;
      }),
    cspViolations: () => page.evaluate(() => (window as unknown as HarnessGlobals).__cspViolations),
    postFromHost: async (message) => {
      await page.evaluate(
        ({ wire }) => {
          const transfer: ArrayBuffer[] = [];
          const revive = (value: unknown): unknown => {
            if (Array.isArray(value)) return value.map(revive);
            if (typeof value !== 'object' || value === null) return value;
            const record = value as Record<string, unknown>;
            if (typeof record.__arrayBufferBase64 === 'string') {
              const binary = atob(record.__arrayBufferBase64);
              const bytes = new Uint8Array(binary.length);
              for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
              transfer.push(bytes.buffer);
              return bytes.buffer;
            }
            return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, revive(item)]));
          };
          window.postMessage(revive(wire), '*', transfer);
        },
        { wire: toWire(message) },
      );
    },
    waitForPosted: async (predicate) => {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const found = (await posted()).find(predicate);
        if (found !== undefined) return found;
        if (Date.now() > deadline) throw new Error(`the webview did not post the expected message; it posted ${JSON.stringify(await posted())}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    close: () => page.close(),
  };
}

/** ArrayBuffers become base64 markers, since page.evaluate arguments travel as JSON. */
function toWire(value: unknown): unknown {
  if (value instanceof ArrayBuffer) return { __arrayBufferBase64: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) return value.map(toWire);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toWire(item)]));
  }
  return value;
}
