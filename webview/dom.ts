// Small DOM helpers. Text always goes in through textContent: trace strings are never parsed as HTML.

export function createElement<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (className !== undefined) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

/** A decorative codicon glyph. */
export function createCodicon(name: string, extraClass?: string): HTMLElement {
  const icon = createElement('span', `codicon codicon-${name}${extraClass === undefined ? '' : ` ${extraClass}`}`);
  icon.setAttribute('aria-hidden', 'true');
  return icon;
}

/** Starts loading the icon font (declared font-display: block) so icons show with the first rows. */
export function preloadCodiconFont(): void {
  document.fonts.load('16px codicon').catch(() => undefined);
}
