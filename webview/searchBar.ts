// The in-trace search and filter bar: text (name or service), minimum duration, errors only, and
// whether to show only the matches. Reports a whole query on every change; the view debounces nothing,
// because the search itself runs in slices.
import { parseDurationText } from '../src/core/layout/durationText';
import type { SpanSearchQuery } from '../src/core/layout/spanSearch';
import { createElement } from './dom';
import { createIconButton } from './toolkit';

export interface SearchBarActions {
  readonly onQuery: (query: SpanSearchQuery, onlyMatches: boolean) => void;
  /** Step to the next (1) or previous (-1) match. */
  readonly onStep: (direction: 1 | -1) => void;
}

export class SearchBar {
  readonly element = createElement('div', 'search-bar');
  readonly input = createElement('input', 'search-input');
  private readonly minDuration = createElement('input', 'min-duration-input');
  private readonly errorsOnly = createElement('input', 'errors-only-input');
  private readonly onlyMatches = createElement('input', 'only-matches-input');
  private readonly count = createElement('span', 'search-count');

  constructor(private readonly actions: SearchBarActions) {
    this.element.setAttribute('role', 'search');
    this.input.type = 'search';
    this.input.placeholder = 'Find span, service or attribute';
    this.input.setAttribute('aria-label', 'Find spans by name, service, attribute key or value, or event name');
    this.input.spellcheck = false;
    this.minDuration.type = 'text';
    this.minDuration.placeholder = 'min duration';
    this.minDuration.setAttribute('aria-label', 'Minimum duration, e.g. 25ms');
    this.minDuration.size = 9;
    this.errorsOnly.type = 'checkbox';
    this.onlyMatches.type = 'checkbox';
    this.count.setAttribute('aria-live', 'polite');

    const check = (input: HTMLInputElement, text: string): HTMLElement => {
      const label = createElement('label', 'search-option');
      label.append(input, createElement('span', undefined, text));
      return label;
    };
    this.element.append(
      this.input,
      this.minDuration,
      check(this.errorsOnly, 'Errors only'),
      check(this.onlyMatches, 'Only matches'),
      this.count,
      createIconButton('arrow-up', 'Previous match (Shift+Enter)', () => actions.onStep(-1)),
      createIconButton('arrow-down', 'Next match (Enter)', () => actions.onStep(1)),
    );

    const changed = (): void => this.emit();
    this.input.addEventListener('input', changed);
    this.minDuration.addEventListener('input', changed);
    this.errorsOnly.addEventListener('change', changed);
    this.onlyMatches.addEventListener('change', changed);
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === 'Enter') {
        event.preventDefault();
        actions.onStep(event.shiftKey ? -1 : 1);
      } else if (event.key === 'Escape' && this.input.value !== '') {
        event.preventDefault();
        this.input.value = '';
        this.emit();
      }
    };
    this.input.addEventListener('keydown', onKey);
    this.minDuration.addEventListener('keydown', onKey);
  }

  /** Shows how many spans match; `rank` is the 1-based rank of the selected match, or 0. */
  showCount(matchCount: number, rank: number, searching: boolean, active: boolean): void {
    let text = '';
    if (searching) text = 'Searching…';
    else if (!active) text = '';
    else if (matchCount === 0) text = 'No matches';
    else if (rank > 0) text = `${rank.toLocaleString('en-US')} of ${matchCount.toLocaleString('en-US')}`;
    else text = `${matchCount.toLocaleString('en-US')} ${matchCount === 1 ? 'match' : 'matches'}`;
    if (this.count.textContent !== text) this.count.textContent = text;
    this.element.dataset.matchCount = searching || !active ? '' : String(matchCount);
  }

  focus(): void {
    this.input.focus();
    this.input.select();
  }

  private emit(): void {
    const minDurationNano = parseDurationText(this.minDuration.value);
    this.minDuration.setAttribute('aria-invalid', String(minDurationNano === undefined));
    this.actions.onQuery(
      { text: this.input.value, minDurationNano: minDurationNano ?? 0, errorsOnly: this.errorsOnly.checked },
      this.onlyMatches.checked,
    );
  }
}
