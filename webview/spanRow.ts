// One recycled row of the span tree. Elements are created once per pool slot and rebound to a new
// display position as the view scrolls; binding only writes what changed.
import type { ColumnarTrace } from '../src/core/layout/columnarTrace';
import { hasChildren, isErrorFlags } from '../src/core/layout/columnarTrace';
import { SPAN_FLAG_CRITICAL } from '../src/shared/webviewProtocol';
import { formatDurationNano } from '../src/core/model/time';
import { createCodicon, createElement } from './dom';
import { serviceColor } from './serviceColors';

export const INDENT_PX = 14;
// The label's own left padding plus the flex gap the indent element used to add.
const LABEL_PAD_LEFT_PX = 8;

export interface RowBinding {
  readonly trace: ColumnarTrace;
  readonly collapsed: Uint8Array;
  readonly selected: number;
  readonly maxIndentPx: number;
  /** Per position, non-zero for a search match; undefined without a search. */
  readonly matched: Uint8Array | undefined;
}

export class SpanRow {
  readonly element = createElement('div', 'span-row');
  private readonly label = createElement('div', 'span-label');
  private readonly toggle = createElement('span', 'span-toggle-spacer');
  private readonly swatch = createElement('span', 'service-swatch');
  private readonly errorIcon = createCodicon('error', 'span-error-icon');
  private readonly name = createElement('span', 'span-name');
  private readonly service = createElement('span', 'span-service');
  private readonly duration = createElement('span', 'span-duration');
  // One text node each, whose data a rebind rewrites: replacing the node (textContent) would also rebuild its layout object.
  private readonly nameText = this.name.appendChild(document.createTextNode(''));
  private readonly serviceText = this.service.appendChild(document.createTextNode(''));
  private readonly durationText = this.duration.appendChild(document.createTextNode(''));
  /** Display position shown, or -1. */
  position = -1;
  private shownKey = -1;
  // What the elements show, so a rebind writes only what differs: every write costs style or layout work.
  private shownIndentPx = -1;
  /** 0 leaf, 1 collapsed, 2 expanded; -1 before the first bind. */
  private shownToggle = -1;
  private shownSelected = false;
  private shownMatched = false;
  private shownServiceIndex = -1;
  private shownError: boolean | undefined;
  private shownCritical = false;

  constructor() {
    // The indent is label padding rather than an element: scrolling rebinds every row, and each element costs layout.
    this.label.append(this.toggle, this.swatch, this.errorIcon, this.name, this.service, this.duration);
    this.element.append(this.label);
    this.element.setAttribute('aria-selected', 'false');
    this.element.setAttribute('role', 'treeitem');
    this.toggle.setAttribute('aria-hidden', 'true');
  }

  bind(position: number, binding: RowBinding): void {
    const { trace } = binding;
    const parent = hasChildren(trace, position);
    const collapsed = parent && binding.collapsed[position] !== 0;
    const selected = position === binding.selected;
    const matched = binding.matched !== undefined && binding.matched[position] !== 0;
    const key = (parent ? (collapsed ? 1 : 2) : 0) + (selected ? 4 : 0) + (matched ? 8 : 0) + binding.maxIndentPx * 16;
    if (position === this.position && key === this.shownKey) return;

    const element = this.element;
    if (position !== this.position) {
      const depth = trace.depth[position];
      const name = trace.names[trace.nameIndex[position]];
      const service = trace.services[trace.serviceIndex[position]];
      const duration = formatDurationNano(trace.durationNano[position]);
      element.dataset.position = String(position);
      element.id = `span-row-${position}`;
      element.setAttribute('aria-level', String(depth + 1));
      // Neighbouring spans often share a name or service; an unchanged text costs no layout.
      if (this.nameText.data !== name) this.nameText.data = name;
      if (this.serviceText.data !== service) this.serviceText.data = service;
      if (this.durationText.data !== duration) this.durationText.data = duration;
      const error = isErrorFlags(trace.flags[position]);
      const critical = (trace.flags[position] & SPAN_FLAG_CRITICAL) !== 0;
      const selfTime = formatDurationNano(trace.selfTimeNano[position]);
      element.title = `${name} · ${service} · ${duration} (self ${selfTime})${error ? ' · error' : ''}${critical ? ' · on the critical path' : ''}`;
      if (critical !== this.shownCritical) {
        this.shownCritical = critical;
        element.classList.toggle('critical-path', critical);
      }
      const serviceIndex = trace.serviceIndex[position];
      if (serviceIndex !== this.shownServiceIndex) {
        this.shownServiceIndex = serviceIndex;
        this.swatch.style.backgroundColor = serviceColor(serviceIndex);
      }
      if (error !== this.shownError) {
        this.shownError = error;
        this.errorIcon.hidden = !error;
        element.classList.toggle('error', error);
      }
    }
    const indentPx = Math.min(trace.depth[position] * INDENT_PX, binding.maxIndentPx);
    if (indentPx !== this.shownIndentPx) {
      this.shownIndentPx = indentPx;
      this.label.style.paddingLeft = `${LABEL_PAD_LEFT_PX + indentPx}px`;
    }
    const toggle = parent ? (collapsed ? 1 : 2) : 0;
    if (toggle !== this.shownToggle) {
      this.shownToggle = toggle;
      if (parent) {
        this.toggle.className = `span-toggle codicon codicon-chevron-${collapsed ? 'right' : 'down'}`;
        element.setAttribute('aria-expanded', String(!collapsed));
      } else {
        this.toggle.className = 'span-toggle-spacer';
        element.removeAttribute('aria-expanded');
      }
    }
    if (selected !== this.shownSelected) {
      this.shownSelected = selected;
      element.setAttribute('aria-selected', String(selected));
      element.classList.toggle('selected', selected);
    }
    if (matched !== this.shownMatched) {
      this.shownMatched = matched;
      element.classList.toggle('search-match', matched);
    }
    this.position = position;
    this.shownKey = key;
  }
}
