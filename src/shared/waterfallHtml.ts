// The waterfall webview's HTML shell. Everything inside #waterfall is built by the script, so trace
// data never passes through HTML; the only interpolated strings are escaped here.

export interface WaterfallHtmlOptions {
  /** `webview.cspSource`. */
  readonly cspSource: string;
  /** Fresh per render; see createNonce(). */
  readonly nonce: string;
  /** Webview URI of dist/webview.js. */
  readonly scriptUri: string;
  /** Webview URIs of dist/codicons/codicon.css and media/webview.css, in that order. */
  readonly styleUris: readonly string[];
  /** Panel title, e.g. the file name. */
  readonly title: string;
}

const NONCE = /^[A-Za-z0-9+/_-]{16,}={0,2}$/;

export function renderWaterfallHtml(options: WaterfallHtmlOptions): string {
  if (!NONCE.test(options.nonce)) throw new Error('the CSP nonce must be at least 16 base64 characters');
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${options.nonce}'`,
    // The toolkit styles its components with constructable stylesheets, which style-src does not govern;
    // its one <style> element (a :focus-visible probe) carries the nonce from the csp-nonce meta tag.
    `style-src ${options.cspSource} 'nonce-${options.nonce}'`,
    `font-src ${options.cspSource}`,
    `img-src ${options.cspSource} data:`,
  ].join('; ');
  const styles = options.styleUris.map((uri) => `  <link rel="stylesheet" href="${escapeHtml(uri)}">`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
  <meta property="csp-nonce" content="${escapeHtml(options.nonce)}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
${styles}
  <title>${escapeHtml(options.title)}</title>
</head>
<body>
  <div id="waterfall" class="waterfall" aria-busy="true"></div>
  <script nonce="${escapeHtml(options.nonce)}" src="${escapeHtml(options.scriptUri)}"></script>
</body>
</html>
`;
}

/** 128 random bits, base64, for the CSP script nonce. */
export function createNonce(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
