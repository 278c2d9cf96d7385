// Parser warnings from the host, shown above the tree until dismissed.
import { createCodicon, createElement } from './dom';
import { createIconButton } from './toolkit';

const SHOWN_WARNINGS = 20;

export function createWarningsBanner(warnings: readonly string[]): HTMLElement | undefined {
  if (warnings.length === 0) return undefined;
  const banner = createElement('div', 'warnings-banner');
  banner.setAttribute('role', 'status');
  const body = createElement('div', 'warnings-body');
  const summary = warnings.length === 1 ? '1 warning while reading this trace' : `${warnings.length} warnings while reading this trace`;
  body.append(createElement('div', 'warnings-summary', summary));
  const list = createElement('ul', 'warnings-list');
  for (const warning of warnings.slice(0, SHOWN_WARNINGS)) list.append(createElement('li', 'warning-item', warning));
  if (warnings.length > SHOWN_WARNINGS) {
    list.append(createElement('li', 'warning-item', `and ${warnings.length - SHOWN_WARNINGS} more`));
  }
  body.append(list);
  banner.append(createCodicon('warning', 'warnings-icon'), body, createIconButton('close', 'Dismiss warnings', () => banner.remove()));
  return banner;
}
