// The detail pane for the selected span. Every trace string lands in textContent.
import type { SpanDetail } from '../src/shared/webviewProtocol';
import { formatUnixNanoIso } from '../src/core/layout/timestampText';
import { formatDurationNano } from '../src/core/model/time';
import { createAttributeTable, createElementRow, createRow, createTable } from './detail/attributeTable';
import { createCodeLocationLink } from './detail/codeLocationLink';
import { createSection } from './detail/detailSection';
import { createEventsList } from './detail/eventsList';
import { createGenAiSection } from './detail/genAiSection';
import { createLinksList } from './detail/linksList';
import { createCodicon, createElement } from './dom';

/** What the pane's links do; the waterfall posts them to the host. */
export interface DetailPaneActions {
  /** Reveal the code location of the span at this display position in the editor beside the waterfall. */
  readonly revealCode: (position: number) => void;
  /** Open the trace a span link points to, selecting the linked span. */
  readonly openLinkedTrace: (traceId: string, spanId: string) => void;
}

export class DetailPane {
  readonly element = createElement('section', 'detail-pane');

  /** Without actions, code locations and links show as text only. */
  constructor(private readonly actions?: DetailPaneActions) {
    this.element.id = 'span-detail';
    this.element.setAttribute('aria-label', 'Span details');
    this.element.tabIndex = -1;
    this.showMessage('Select a span to see its details.');
  }

  showMessage(text: string): void {
    this.element.removeAttribute('data-position');
    this.element.removeAttribute('aria-busy');
    this.element.replaceChildren(createElement('p', 'detail-message', text));
  }

  showLoading(): void {
    this.element.setAttribute('aria-busy', 'true');
  }

  /** `selfTimeNano` comes from the webview's columns; the host's detail does not carry it. */
  show(detail: SpanDetail, traceId: string, traceStartUnixNano: bigint, selfTimeNano?: number): void {
    this.element.removeAttribute('aria-busy');
    this.element.dataset.position = String(detail.position);

    const title = createElement('h2', 'detail-title');
    if (detail.statusCode === 'error') title.append(createCodicon('error', 'span-error-icon'));
    title.append(createElement('span', 'detail-name', detail.name));

    const startNano = BigInt(detail.startTimeUnixNano);
    const status = detail.statusMessage === undefined ? detail.statusCode : `${detail.statusCode}: ${detail.statusMessage}`;
    const summaryTable = createTable('summary');
    if (detail.codeLocation !== undefined) {
      const actions = this.actions;
      const reveal = actions === undefined ? undefined : () => actions.revealCode(detail.position);
      summaryTable.append(createElementRow('Code', createCodeLocationLink(detail.codeLocation, reveal)));
    }
    const statusRow = createRow('Status', status);
    statusRow.dataset.status = detail.statusCode;
    summaryTable.append(
      createRow('Service', detail.service),
      createRow('Kind', detail.kind),
      statusRow,
      createRow('Start', formatUnixNanoIso(startNano)),
      createRow('Start offset', `+${formatDurationNano(Number(startNano - traceStartUnixNano))}`),
      createRow('Duration', formatDurationNano(Number(detail.durationNano))),
      ...(selfTimeNano === undefined ? [] : [createRow('Self time', formatDurationNano(selfTimeNano))]),
      createRow('Span ID', detail.spanId),
      createRow('Parent span ID', detail.parentSpanId ?? 'none (root span)'),
      createRow('Trace ID', traceId),
    );

    const parts: HTMLElement[] = [title, summaryTable];
    if (detail.genAi !== undefined) parts.push(createGenAiSection(detail.genAi));
    parts.push(createSection('attributes', 'Attributes', detail.attributes.length, [createAttributeTable(detail.attributes)]));
    if (detail.resource.length > 0) {
      parts.push(createSection('resource', 'Resource', detail.resource.length, [createAttributeTable(detail.resource, 'resource')]));
    }
    if (detail.scope.name !== '' || detail.scope.attributes.length > 0) {
      const scopeTable = createTable('scope-identity');
      scopeTable.append(createRow('Name', detail.scope.name));
      if (detail.scope.version !== undefined) scopeTable.append(createRow('Version', detail.scope.version));
      const scopeAttributes = createAttributeTable(detail.scope.attributes, 'scope');
      parts.push(createSection('scope', 'Scope', detail.scope.attributes.length, [scopeTable, scopeAttributes]));
    }
    if (detail.events.length > 0) {
      parts.push(createSection('events', 'Events', detail.events.length, createEventsList(detail.events)));
    }
    if (detail.links.length > 0) {
      const open = this.actions?.openLinkedTrace;
      parts.push(createSection('links', 'Links', detail.links.length, createLinksList(detail.links, traceId, open)));
    }
    this.element.replaceChildren(...parts);
  }
}
