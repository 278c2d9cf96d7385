// The header: title, span count, total duration, services legend and tree-wide actions.
import type { ColumnarTrace } from '../src/core/layout/columnarTrace';
import { formatDurationNano } from '../src/core/model/time';
import { createElement } from './dom';
import { serviceColor } from './serviceColors';
import { createBadge, createIconButton } from './toolkit';

export interface HeaderActions {
  readonly expandAll: () => void;
  readonly collapseAll: () => void;
}

export function createHeader(trace: ColumnarTrace, title: string, actions: HeaderActions): HTMLElement {
  const header = createElement('header', 'waterfall-header');

  const titleRow = createElement('div', 'header-title-row');
  const heading = createElement('h1', 'trace-title', title);
  heading.title = title;
  const spanCount = trace.spanCount.toLocaleString('en-US');
  const stats = createElement('div', 'trace-stats');
  stats.append(
    createBadge(spanCount, `${spanCount} spans`),
    createElement('span', 'trace-stat', trace.spanCount === 1 ? 'span' : 'spans'),
    createElement('span', 'trace-stat trace-duration', formatDurationNano(trace.traceDurationNano)),
    createElement('span', 'trace-stat trace-id', trace.traceId),
  );
  const toolbar = createElement('div', 'header-actions');
  toolbar.append(
    createIconButton('expand-all', 'Expand all spans', actions.expandAll),
    createIconButton('collapse-all', 'Collapse all spans', actions.collapseAll),
  );
  titleRow.append(heading, stats, toolbar);

  const legend = createElement('ul', 'services-legend');
  legend.setAttribute('aria-label', 'Services');
  trace.services.forEach((service, index) => {
    const item = createElement('li', 'legend-item');
    const swatch = createElement('span', 'service-swatch');
    swatch.style.backgroundColor = serviceColor(index);
    item.append(swatch, createElement('span', 'legend-name', service));
    legend.append(item);
  });

  header.append(titleRow, legend);
  return header;
}
