// Key and value rows: span, resource, scope, event and link attributes, and the summaries above them.
import type { DisplayAttribute } from '../../src/shared/webviewProtocol';
import { createElement } from '../dom';
import { createTruncatedText } from './truncatedText';

export function createAttributeTable(attributes: readonly DisplayAttribute[], kind = 'attributes'): HTMLElement {
  const table = createTable(kind);
  if (attributes.length === 0) table.append(createElement('div', 'detail-empty', 'None'));
  for (const attribute of attributes) table.append(createRow(attribute.key, attribute.text, attribute.type));
  return table;
}

export function createTable(kind: string): HTMLElement {
  const table = createElement('div', 'attribute-table');
  table.dataset.table = kind;
  return table;
}

/** `type` is the value's type (string, int, ...), for styling empty values. */
export function createRow(key: string, value: string, type = 'string'): HTMLElement {
  const row = createElement('div', 'attribute-row');
  row.dataset.type = type;
  row.append(createElement('div', 'attribute-key', key), createTruncatedText(value, 'attribute-value'));
  return row;
}

/** A row whose value is an element, e.g. a button. */
export function createElementRow(key: string, value: HTMLElement): HTMLElement {
  const row = createElement('div', 'attribute-row');
  const cell = createElement('div', 'attribute-value');
  cell.append(value);
  row.append(createElement('div', 'attribute-key', key), cell);
  return row;
}
