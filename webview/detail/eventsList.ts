// Span events: time after the span start in human units (the absolute time on hover), name, attributes.
import { formatUnixNanoIso } from '../../src/core/layout/timestampText';
import { formatDurationNano } from '../../src/core/model/time';
import type { SpanEventDetail } from '../../src/shared/webviewProtocol';
import { createElement } from '../dom';
import { createAttributeTable } from './attributeTable';

export function createEventsList(events: readonly SpanEventDetail[]): HTMLElement[] {
  return events.map((event) => {
    const block = createElement('div', 'detail-event');
    const heading = createElement('div', 'event-header');
    const offset = createElement('span', 'event-offset', eventOffsetText(event.offsetNano));
    const absolute = formatUnixNanoIso(event.timeUnixNano);
    offset.title = absolute;
    offset.setAttribute('aria-label', `${offset.textContent ?? ''} after span start, at ${absolute}`);
    heading.append(offset, createElement('span', 'event-name', event.name));
    block.append(heading);
    if (event.attributes.length > 0) block.append(createAttributeTable(event.attributes, 'event-attributes'));
    return block;
  });
}

/** `+1.2 ms`, or `-300 µs` for an event recorded before the span started. */
export function eventOffsetText(offsetNano: number): string {
  const text = formatDurationNano(offsetNano);
  return offsetNano < 0 ? text : `+${text}`;
}
