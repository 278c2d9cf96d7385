// Tick labels above the timeline column, matching the grid lines the canvas draws.
import type { TimeTick } from '../src/core/layout/timeScale';
import { createElement } from './dom';

export function renderTimeAxis(axis: HTMLElement, ticks: readonly TimeTick[], offsetPx: number, widthPx: number): void {
  const labels: HTMLElement[] = [];
  for (const tick of ticks) {
    const x = offsetPx + tick.xPx;
    // The last label would be clipped at the right edge; the grid line still shows the tick.
    if (x > widthPx - 24) continue;
    const label = createElement('span', 'time-tick', tick.label);
    label.style.left = `${Math.round(x)}px`;
    labels.push(label);
  }
  axis.replaceChildren(...labels);
}
