// A titled section of the detail pane, with an optional count beside its title.
import { createElement } from '../dom';

export function createSection(id: string, title: string, count: number | undefined, content: readonly HTMLElement[]): HTMLElement {
  const element = createElement('section', 'detail-section');
  element.dataset.section = id;
  const heading = createElement('h3', 'detail-section-title', title);
  if (count !== undefined) heading.append(createElement('span', 'detail-section-count', String(count)));
  element.append(heading, ...content);
  return element;
}
