// A value that may be long: the first lines show, and a button reveals the rest. Text only, never HTML.
import { formatByteSize, previewOf, utf8ByteLength } from '../../src/core/layout/textPreview';
import { createElement } from '../dom';

export function createTruncatedText(text: string, className: string): HTMLElement {
  const element = createElement('div', className);
  const preview = previewOf(text);
  if (preview === undefined) {
    element.textContent = text;
    return element;
  }
  const shortened = `${preview}…`;
  const showAll = `Show all (${formatByteSize(utf8ByteLength(text))})`;
  const content = createElement('span', 'truncated-content', shortened);
  const toggle = createElement('button', 'show-all-button', showAll);
  toggle.type = 'button';
  toggle.setAttribute('aria-expanded', 'false');
  toggle.addEventListener('click', () => {
    const expand = toggle.getAttribute('aria-expanded') !== 'true';
    content.textContent = expand ? text : shortened;
    toggle.textContent = expand ? 'Show less' : showAll;
    toggle.setAttribute('aria-expanded', String(expand));
  });
  element.dataset.truncated = 'true';
  element.append(content, toggle);
  return element;
}
