// The only module that touches @vscode/webview-ui-toolkit (archived upstream), so it can be replaced
// here alone. Callers get plain HTMLElements.
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeProgressRing } from '@vscode/webview-ui-toolkit';

export function registerToolkit(): void {
  provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeProgressRing());
}

/**
 * A count badge in the theme's badge colours. Not <vscode-badge>: its template carries a style
 * attribute, which the webview's CSP (no 'unsafe-inline') rightly blocks.
 */
export function createBadge(text: string, label: string): HTMLElement {
  const badge = document.createElement('span');
  badge.className = 'badge';
  badge.textContent = text;
  badge.setAttribute('aria-label', label);
  badge.title = label;
  return badge;
}

/** An icon-only toolbar button showing codicon `icon`. */
export function createIconButton(icon: string, label: string, onClick: () => void): HTMLElement {
  const button = document.createElement('vscode-button');
  button.setAttribute('appearance', 'icon');
  button.setAttribute('aria-label', label);
  button.title = label;
  const glyph = document.createElement('span');
  glyph.className = `codicon codicon-${icon}`;
  glyph.setAttribute('aria-hidden', 'true');
  button.append(glyph);
  button.addEventListener('click', onClick);
  return button;
}

/**
 * Upgrades one hidden icon button while the host is still preparing the trace: the first instance pays
 * for the toolkit's template, styles and design tokens, which would otherwise delay the first paint.
 */
export function warmUpToolkit(): void {
  const button = document.createElement('vscode-button');
  button.setAttribute('appearance', 'icon');
  button.setAttribute('aria-hidden', 'true');
  button.tabIndex = -1;
  button.style.position = 'absolute';
  button.style.visibility = 'hidden';
  const glyph = document.createElement('span');
  glyph.className = 'codicon codicon-blank';
  button.append(glyph);
  document.body.append(button);
  // The toolkit finishes an element's first render in a frame callback; it can go after that.
  requestAnimationFrame(() => button.remove());
}

export function createProgressRing(label: string): HTMLElement {
  const ring = document.createElement('vscode-progress-ring');
  ring.setAttribute('aria-label', label);
  return ring;
}
