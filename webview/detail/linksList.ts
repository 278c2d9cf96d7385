// Span links: the linked trace and span, a button that opens them, and the link's attributes.
import type { SpanDetail } from '../../src/shared/webviewProtocol';
import { createElement } from '../dom';
import { createAttributeTable, createRow, createTable } from './attributeTable';

export type OpenLinkedTrace = (traceId: string, spanId: string) => void;

export function createLinksList(links: SpanDetail['links'], traceId: string, open: OpenLinkedTrace | undefined): HTMLElement[] {
  return links.map((link) => {
    const block = createElement('div', 'detail-link');
    const identity = createTable('link-identity');
    identity.append(createRow('Trace ID', link.traceId), createRow('Span ID', link.spanId));
    block.append(identity);
    if (open !== undefined) {
      const sameTrace = link.traceId === traceId;
      const button = createElement('button', 'link-button', sameTrace ? 'Go to linked span' : 'Open linked trace');
      button.type = 'button';
      button.dataset.action = 'open-linked-trace';
      button.title = `Trace ${link.traceId}, span ${link.spanId}`;
      button.addEventListener('click', () => open(link.traceId, link.spanId));
      block.append(button);
    }
    block.append(createAttributeTable(link.attributes, 'link-attributes'));
    return block;
  });
}
