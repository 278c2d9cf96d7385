// The header: title, span count, total duration, services legend and tree-wide actions.
import type { ColumnarTrace } from '../src/core/layout/columnarTrace';
import { formatDurationNano } from '../src/core/model/time';
import { createElement } from './dom';
import { serviceColor } from './serviceColors';
import { createBadge, createIconButton } from './toolkit';

export interface HeaderActions {
  readonly expandAll: () => void;
  readonly collapseAll: () => void;
  /** Show spans down to `depth` (roots are 0), collapsing the deeper ones. */
  readonly collapseToDepth: (depth: number) => void;
}

// A select of every level would be useless for a 10 000-deep chain; deeper levels need Expand all.
const MAX_DEPTH_OPTIONS = 32;

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
    createDepthSelect(trace.maxDepth, actions.collapseToDepth),
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

function createDepthSelect(maxDepth: number, collapseToDepth: (depth: number) => void): HTMLElement {
  const select = createElement('select', 'depth-select');
  select.setAttribute('aria-label', 'Show levels of the span tree');
  select.title = 'Show levels of the span tree';
  const placeholder = createElement('option', undefined, 'Levels…');
  placeholder.value = '';
  placeholder.disabled = true;
  placeholder.selected = true;
  select.append(placeholder);
  for (let depth = 0; depth <= Math.min(maxDepth, MAX_DEPTH_OPTIONS - 1); depth++) {
    const option = createElement('option', undefined, depth === 0 ? 'Roots only' : `${depth + 1} levels`);
    option.value = String(depth);
    select.append(option);
  }
  select.disabled = maxDepth === 0;
  select.addEventListener('change', () => {
    const depth = Number(select.value);
    select.value = '';
    if (Number.isSafeInteger(depth)) collapseToDepth(depth);
  });
  return select;
}
