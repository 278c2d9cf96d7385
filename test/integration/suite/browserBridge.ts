// Client of the runner's browser bridge (test/integration/browserBridge.mjs): the extension host cannot see the
// webview's DOM, so it asks the runner, which drives the browser, over localhost HTTP.

/** Environment variable through which the runner passes the bridge URL to the extension host. */
const BRIDGE_ENV_VAR = 'SPANLENS_TEST_BRIDGE';

/** Where to look: the SpanLens webview document, or the workbench page around it. */
export type BridgeTarget = 'webview' | 'workbench';

/** What the bridge reports about one DOM element. */
export interface ElementSnapshot {
  /** Trimmed text content. */
  readonly text: string;
  /** All attributes by name. */
  readonly attributes: Readonly<Record<string, string>>;
  /** Trimmed text of the first descendant matching each requested child selector, or null when none does. */
  readonly children: Readonly<Record<string, string | null>>;
}

/** Reads and clicks the DOM of the page the workbench runs in. */
export interface BrowserBridge {
  /** Elements matching `selector`; empty while the webview is not there yet. */
  query(selector: string, options?: { children?: readonly string[]; target?: BridgeTarget }): Promise<ElementSnapshot[]>;
  /** Clicks the first element matching `selector`; false if none matched. */
  click(selector: string, options?: { target?: BridgeTarget }): Promise<boolean>;
}

interface QueryReply {
  readonly elements: ElementSnapshot[];
}

interface ClickReply {
  readonly clicked: boolean;
}

async function post<T>(url: string, body: object): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const payload = (await response.json()) as T & { error?: string };
  if (!response.ok) throw new Error(`browser bridge: ${payload.error ?? `HTTP ${response.status}`}`);
  return payload;
}

/** The bridge the web runner started, or undefined where there is none (the desktop host). */
export function browserBridgeFromEnvironment(): BrowserBridge | undefined {
  const url = process.env[BRIDGE_ENV_VAR];
  if (!url) return undefined;
  return {
    async query(selector, options = {}) {
      const reply = await post<QueryReply>(url, { action: 'query', selector, children: options.children ?? [], target: options.target });
      return reply.elements;
    },
    async click(selector, options = {}) {
      const reply = await post<ClickReply>(url, { action: 'click', selector, target: options.target });
      return reply.clicked;
    },
  };
}

/** The web runner's bridge; where there is none, notes why and skips the suite that `context` belongs to. */
export function requireBrowserBridge(context: Mocha.Context): BrowserBridge {
  const bridge = browserBridgeFromEnvironment();
  if (!bridge) {
    console.log('  (skipped: no browser bridge; only the web host run by test/integration/run.mjs can read the webview DOM)');
    context.skip();
  }
  return bridge;
}
