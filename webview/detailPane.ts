// The detail pane for the selected span. Every trace string lands in textContent.
import type { DisplayAttribute, SpanDetail } from '../src/shared/webviewProtocol';
import { formatUnixNanoIso } from '../src/core/layout/timestampText';
import { formatDurationNano } from '../src/core/model/time';
import { createCodicon, createElement } from './dom';

export class DetailPane {
  readonly element = createElement('section', 'detail-pane');

  constructor() {
    this.element.id = 'span-detail';
    this.element.setAttribute('aria-label', 'Span details');
    this.element.tabIndex = -1;
    this.showMessage('Select a span to see its details.');
  }

  showMessage(text: string): void {
    this.element.removeAttribute('data-position');
    this.element.replaceChildren(createElement('p', 'detail-message', text));
  }

  showLoading(): void {
    this.element.setAttribute('aria-busy', 'true');
  }

  show(detail: SpanDetail, traceId: string, traceStartUnixNano: bigint): void {
    this.element.removeAttribute('aria-busy');
    this.element.dataset.position = String(detail.position);

    const title = createElement('h2', 'detail-title');
    if (detail.statusCode === 'error') title.append(createCodicon('error', 'span-error-icon'));
    title.append(createElement('span', 'detail-name', detail.name));

    const startNano = BigInt(detail.startTimeUnixNano);
    const status = detail.statusMessage === undefined ? detail.statusCode : `${detail.statusCode}: ${detail.statusMessage}`;
    const summary: [string, string][] = [
      ['Service', detail.service],
      ['Kind', detail.kind],
      ['Status', status],
      ['Start', formatUnixNanoIso(startNano)],
      ['Start offset', `+${formatDurationNano(Number(startNano - traceStartUnixNano))}`],
      ['Duration', formatDurationNano(Number(detail.durationNano))],
      ['Span ID', detail.spanId],
      ['Parent span ID', detail.parentSpanId ?? 'none (root span)'],
      ['Trace ID', traceId],
    ];
    const summaryTable = createTable('summary');
    for (const [key, value] of summary) summaryTable.append(createRow(key, value, 'string'));

    const parts: HTMLElement[] = [title, summaryTable];
    parts.push(section('attributes', 'Attributes', detail.attributes.length, [attributeTable(detail.attributes)]));
    if (detail.resource.length > 0) {
      parts.push(section('resource', 'Resource', detail.resource.length, [attributeTable(detail.resource)]));
    }
    if (detail.scope.name !== '' || detail.scope.attributes.length > 0) {
      const scopeTable = createTable('scope-identity');
      scopeTable.append(createRow('Name', detail.scope.name, 'string'));
      if (detail.scope.version !== undefined) scopeTable.append(createRow('Version', detail.scope.version, 'string'));
      parts.push(section('scope', 'Scope', undefined, [scopeTable, attributeTable(detail.scope.attributes)]));
    }
    if (detail.events.length > 0) {
      const events = detail.events.map((event) => {
        const block = createElement('div', 'detail-event');
        const heading = createElement('div', 'event-header');
        heading.append(
          createElement('span', 'event-offset', `+${formatDurationNano(event.offsetNano)}`),
          createElement('span', 'event-name', event.name),
        );
        block.append(heading, attributeTable(event.attributes));
        return block;
      });
      parts.push(section('events', 'Events', detail.events.length, events));
    }
    if (detail.links.length > 0) {
      const links = detail.links.map((link) => {
        const block = createElement('div', 'detail-link');
        const identity = createTable('link-identity');
        identity.append(createRow('Trace ID', link.traceId, 'string'), createRow('Span ID', link.spanId, 'string'));
        block.append(identity, attributeTable(link.attributes));
        return block;
      });
      parts.push(section('links', 'Links', detail.links.length, links));
    }
    this.element.replaceChildren(...parts);
  }
}

function section(id: string, title: string, count: number | undefined, content: HTMLElement[]): HTMLElement {
  const element = createElement('section', 'detail-section');
  element.dataset.section = id;
  const heading = createElement('h3', 'detail-section-title', title);
  if (count !== undefined) heading.append(createElement('span', 'detail-section-count', String(count)));
  element.append(heading, ...content);
  return element;
}

function attributeTable(attributes: readonly DisplayAttribute[]): HTMLElement {
  const table = createTable('attributes');
  if (attributes.length === 0) table.append(createElement('div', 'detail-empty', 'None'));
  for (const attribute of attributes) table.append(createRow(attribute.key, attribute.text, attribute.type));
  return table;
}

function createTable(kind: string): HTMLElement {
  const table = createElement('div', 'attribute-table');
  table.dataset.table = kind;
  return table;
}

function createRow(key: string, value: string, type: string): HTMLElement {
  const row = createElement('div', 'attribute-row');
  row.dataset.type = type;
  row.append(createElement('div', 'attribute-key', key), createElement('div', 'attribute-value', value));
  return row;
}
