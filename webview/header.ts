// The header: title, span count, total duration, clock-skew badge, services legend and tree-wide actions.
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
  /** Show only the spans on the critical path (and their ancestors), or every span again. */
  readonly showCriticalPathOnly: (only: boolean) => void;
  /** Draw spans at their recorded start times instead of the clock-skew adjusted ones. */
  readonly showRawTimes: (raw: boolean) => void;
  /** Show the statistics table instead of the timeline, or the timeline again. */
  readonly showStatistics: (shown: boolean) => void;
}

export interface WaterfallHeader {
  readonly element: HTMLElement;
  /** Updates the "Critical path only" checkbox when the view leaves the filter on its own. */
  setCriticalPathOnly(only: boolean): void;
}

// A select of every level would be useless for a 10 000-deep chain; deeper levels need Expand all.
const MAX_DEPTH_OPTIONS = 32;

export function createHeader(trace: ColumnarTrace, title: string, actions: HeaderActions): WaterfallHeader {
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

  const views = createElement('div', 'header-views');
  const statistics = createToggleButton('statistics-toggle', 'Trace statistics', 'Show time per service and operation', actions.showStatistics);
  const criticalOnly = createCheckbox('critical-only-input', 'Critical path only', actions.showCriticalPathOnly);
  criticalOnly.input.disabled = trace.criticalPathPositions.length === 0;
  views.append(statistics, criticalOnly.label);
  if (trace.clockSkewAdjustedSpans > 0 && trace.rawStartOffsetNano !== undefined) {
    const count = trace.clockSkewAdjustedSpans;
    const badge = createElement('span', 'skew-badge', `Clock skew adjusted: ${count.toLocaleString('en-US')} ${count === 1 ? 'span' : 'spans'}`);
    badge.dataset.adjustedSpans = String(count);
    badge.title = 'Children in another service that started before their parent were moved inside it, as Zipkin does';
    const raw = createCheckbox('raw-times-input', 'Raw times', (checked) => {
      criticalOnly.label.title = checked ? 'The critical path is computed on adjusted times and is not drawn on raw times' : '';
      actions.showRawTimes(checked);
    });
    views.append(badge, raw.label);
  }

  const legend = createElement('ul', 'services-legend');
  legend.setAttribute('aria-label', 'Services');
  trace.services.forEach((service, index) => {
    const item = createElement('li', 'legend-item');
    const swatch = createElement('span', 'service-swatch');
    swatch.style.backgroundColor = serviceColor(index);
    item.append(swatch, createElement('span', 'legend-name', service));
    legend.append(item);
  });

  header.append(titleRow, views, legend);
  return {
    element: header,
    setCriticalPathOnly: (only) => {
      criticalOnly.input.checked = only;
    },
  };
}

function createCheckbox(className: string, text: string, onChange: (checked: boolean) => void): { label: HTMLElement; input: HTMLInputElement } {
  const input = createElement('input', className);
  input.type = 'checkbox';
  input.addEventListener('change', () => onChange(input.checked));
  const label = createElement('label', 'header-option');
  label.append(input, createElement('span', undefined, text));
  return { label, input };
}

function createToggleButton(className: string, text: string, label: string, onToggle: (pressed: boolean) => void): HTMLElement {
  const button = createElement('button', `header-toggle ${className}`, text);
  button.type = 'button';
  button.title = label;
  button.setAttribute('aria-pressed', 'false');
  button.addEventListener('click', () => {
    const pressed = button.getAttribute('aria-pressed') !== 'true';
    button.setAttribute('aria-pressed', String(pressed));
    onToggle(pressed);
  });
  return button;
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
