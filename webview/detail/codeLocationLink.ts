// The span's code location as a link-styled button ("server.ts:89 · handleAsk") that reveals it in the editor.
import { codeLocationLabel } from '../../src/core/layout/spanDetail';
import type { SpanCodeText } from '../../src/shared/webviewProtocol';
import { createCodicon, createElement } from '../dom';

/** A button when `reveal` is given, else the location as plain text. */
export function createCodeLocationLink(code: SpanCodeText, reveal: (() => void) | undefined): HTMLElement {
  const label = codeLocationLabel(code);
  const full = fullLocation(code);
  if (reveal === undefined) {
    const text = createElement('span', 'code-location', label);
    text.title = full;
    return text;
  }
  const button = createElement('button', 'link-button code-location');
  button.type = 'button';
  button.dataset.action = 'reveal-code';
  button.title = `Show in editor: ${full}`;
  button.append(createCodicon('go-to-file'), createElement('span', 'code-location-label', label));
  button.addEventListener('click', reveal);
  return button;
}

function fullLocation(code: SpanCodeText): string {
  const parts: string[] = [];
  if (code.filePath !== undefined) {
    let place = code.filePath;
    if (code.lineNumber !== undefined) place += `:${code.lineNumber}`;
    if (code.lineNumber !== undefined && code.columnNumber !== undefined) place += `:${code.columnNumber}`;
    parts.push(place);
  }
  if (code.functionName !== undefined) parts.push(code.functionName);
  if (parts.length === 0) return 'the first frame of the span’s stack trace that lies in the workspace';
  return parts.join(' · ');
}
