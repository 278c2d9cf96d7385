// The browser side of the test bridge: a localhost HTTP endpoint through which the suite, running in the
// extension host, asks Playwright to read or click the webview's DOM (the host cannot reach the browser itself).
import { createServer } from 'node:http';

export const BRIDGE_ENV_VAR = 'SPANLENS_TEST_BRIDGE';

// Marks the SpanLens waterfall document among the workbench's nested webview iframes.
const WEBVIEW_MARKER = '#waterfall';

/** The frames whose document holds the waterfall (normally one: the innermost webview iframe). */
async function webviewFrames(page) {
  const frames = [];
  for (const frame of page.frames()) {
    if (frame === page.mainFrame() || frame.isDetached()) continue;
    try {
      if (await frame.$(WEBVIEW_MARKER)) frames.push(frame);
    } catch {
      // The frame navigated or went away while we looked.
    }
  }
  return frames;
}

async function targetFrames(page, target) {
  if (target === 'workbench') return [page.mainFrame()];
  if (target === undefined || target === 'webview') return webviewFrames(page);
  throw new Error(`unknown target "${target}" (use "webview" or "workbench")`);
}

async function query(page, { selector, children = [], target }) {
  const frames = await targetFrames(page, target);
  const elements = [];
  for (const frame of frames) {
    try {
      const found = await frame.$$eval(
        selector,
        (nodes, childSelectors) =>
          nodes.map((node) => ({
            text: (node.textContent ?? '').trim(),
            attributes: Object.fromEntries(Array.from(node.attributes, (attribute) => [attribute.name, attribute.value])),
            children: Object.fromEntries(
              childSelectors.map((child) => [child, node.querySelector(child)?.textContent?.trim() ?? null]),
            ),
          })),
        children,
      );
      elements.push(...found);
    } catch {
      // Detached mid-query; the caller polls again.
    }
  }
  return { frameCount: frames.length, elements };
}

async function click(page, { selector, target }) {
  const frames = await targetFrames(page, target);
  for (const frame of frames) {
    const locator = frame.locator(selector);
    if ((await locator.count()) === 0) continue;
    await locator.first().click({ timeout: 5000 });
    return { clicked: true };
  }
  return { clicked: false, frameCount: frames.length };
}

function readBody(request) {
  return new Promise((resolve, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => resolve(body));
    request.on('error', reject);
  });
}

/**
 * Starts the bridge on 127.0.0.1 (random port).
 * @param {() => import('playwright-core').Page | undefined} getPage
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export async function startBrowserBridge(getPage) {
  const server = createServer(async (request, response) => {
    const reply = (status, payload) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(payload));
    };
    try {
      if (request.method !== 'POST') return reply(405, { error: 'POST a JSON request' });
      const command = JSON.parse(await readBody(request));
      const page = getPage();
      if (!page) return reply(503, { error: 'the browser page is not open yet' });
      if (typeof command.selector !== 'string') return reply(400, { error: 'missing "selector"' });
      if (command.action === 'query') return reply(200, await query(page, command));
      if (command.action === 'click') return reply(200, await click(page, command));
      return reply(400, { error: `unknown action "${command.action}" (use "query" or "click")` });
    } catch (error) {
      return reply(500, { error: error instanceof Error ? error.message : String(error) });
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
