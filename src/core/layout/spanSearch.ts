// In-trace search over the columnar trace. Names and services are interned, so text is matched once
// per distinct string and the per-span pass only reads typed arrays. The search is resumable: it runs
// in slices between `shouldYield` checks, so a million spans never block the webview for long. All
// buffers are allocated once per trace and reused by every query.

import { SPAN_FLAG_ERROR } from '../../shared/webviewProtocol';
import type { ColumnarTrace } from './columnarTrace';

export interface SpanSearchQuery {
  /** Case-insensitive substring of the span name or service; empty matches every span. */
  readonly text: string;
  /** Shortest duration that matches, in nanoseconds; 0 for no limit. */
  readonly minDurationNano: number;
  /** Only spans with error status match. */
  readonly errorsOnly: boolean;
}

/** The columns a search reads. */
export type SearchableColumns = Pick<
  ColumnarTrace,
  'spanCount' | 'names' | 'services' | 'nameIndex' | 'serviceIndex' | 'durationNano' | 'flags' | 'parentPosition'
>;

export const EMPTY_QUERY: SpanSearchQuery = { text: '', minDurationNano: 0, errorsOnly: false };

/** True when the query matches every span, i.e. there is nothing to search for. */
export function isEmptyQuery(query: SpanSearchQuery): boolean {
  return query.text.trim() === '' && !(query.minDurationNano > 0) && !query.errorsOnly;
}

// Work between two yield checks: small enough to stay well under a frame, big enough to amortize the check.
const SLICE = 4096;

// Phases of a search, in order.
const Phase = { Names: 0, Services: 1, Spans: 2, Ancestors: 3, Done: 4 } as const;
type Phase = (typeof Phase)[keyof typeof Phase];

export class SpanSearch {
  /** Per position: 1 when the span matches the query. */
  readonly matched: Uint8Array;
  /** Per position: 1 when the span matches or has a matching descendant. */
  readonly pinned: Uint8Array;
  /** Matching positions, ascending; the first `matchCount` are valid. */
  readonly matches: Int32Array;
  private count = 0;
  private readonly nameMatched: Uint8Array;
  private readonly serviceMatched: Uint8Array;
  private query: SpanSearchQuery = EMPTY_QUERY;
  private needle = '';
  private phase: Phase = Phase.Done;
  private cursor = 0;

  constructor(private readonly columns: SearchableColumns) {
    this.matched = new Uint8Array(columns.spanCount);
    this.pinned = new Uint8Array(columns.spanCount);
    this.matches = new Int32Array(columns.spanCount);
    this.nameMatched = new Uint8Array(columns.names.length);
    this.serviceMatched = new Uint8Array(columns.services.length);
  }

  get matchCount(): number {
    return this.count;
  }

  /** True once the current query has been fully applied. */
  get done(): boolean {
    return this.phase === Phase.Done;
  }

  get currentQuery(): SpanSearchQuery {
    return this.query;
  }

  /** Starts a new query, discarding the previous results; call run() to compute them. */
  start(query: SpanSearchQuery): void {
    this.query = query;
    this.needle = query.text.trim().toLowerCase();
    this.matched.fill(0);
    this.pinned.fill(0);
    this.count = 0;
    this.cursor = 0;
    this.phase = isEmptyQuery(query) ? Phase.Done : Phase.Names;
  }

  /** Continues the search until done (returns true) or until `shouldYield` says to stop (returns false). */
  run(shouldYield: () => boolean = () => false): boolean {
    while (!this.done) {
      this.step();
      if (!this.done && shouldYield()) return false;
    }
    return true;
  }

  /**
   * Adds spans found elsewhere (the host's attribute search) to the finished results, when they also
   * pass the duration and error filters. `positions` must be ascending. Returns how many were added.
   * O(matches + positions), in place: the match list has room for every span.
   */
  addMatches(positions: Int32Array): number {
    if (!this.done || isEmptyQuery(this.query)) return 0;
    const { durationNano, flags, parentPosition, spanCount } = this.columns;
    const minDuration = this.query.minDurationNano > 0 ? this.query.minDurationNano : -Infinity;
    const errorMask = this.query.errorsOnly ? SPAN_FLAG_ERROR : 0;
    // Mark new matches 2 until merged, so the merge can tell them from the old ones.
    let added = 0;
    let previous = -1;
    for (const position of positions) {
      if (!(position > previous) || position >= spanCount) continue;
      previous = position;
      if (this.matched[position] !== 0 || durationNano[position] < minDuration || (flags[position] & errorMask) !== errorMask) continue;
      this.matched[position] = 2;
      added++;
    }
    if (added === 0) return 0;
    let old = this.count - 1;
    let incoming = positions.length - 1;
    for (let target = this.count + added - 1; target >= 0; target--) {
      while (incoming >= 0 && (positions[incoming] >= spanCount || positions[incoming] < 0 || this.matched[positions[incoming]] !== 2)) incoming--;
      if (incoming >= 0 && (old < 0 || positions[incoming] > this.matches[old])) {
        const position = positions[incoming--];
        this.matched[position] = 1;
        this.matches[target] = position;
        for (let ancestor = position; ancestor >= 0 && this.pinned[ancestor] === 0; ancestor = parentPosition[ancestor]) this.pinned[ancestor] = 1;
      } else {
        this.matches[target] = this.matches[old--];
      }
    }
    this.count += added;
    return added;
  }

  /** The first match after `position` (wrapping), or -1 when nothing matches. */
  nextMatch(position: number): number {
    if (this.count === 0) return -1;
    const index = this.firstMatchAbove(position);
    return this.matches[index < this.count ? index : 0];
  }

  /** The last match before `position` (wrapping), or -1 when nothing matches. */
  previousMatch(position: number): number {
    if (this.count === 0) return -1;
    const index = this.firstMatchAbove(position - 1) - 1;
    return this.matches[index >= 0 ? index : this.count - 1];
  }

  /** 1-based rank of `position` among the matches, or 0 if it is not one. */
  matchRank(position: number): number {
    if (position < 0 || position >= this.matched.length || this.matched[position] === 0) return 0;
    return this.firstMatchAbove(position - 1) + 1;
  }

  /** Index of the first match greater than `position`. */
  private firstMatchAbove(position: number): number {
    let low = 0;
    let high = this.count;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.matches[middle] <= position) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private step(): void {
    const columns = this.columns;
    switch (this.phase) {
      case Phase.Names:
        this.cursor = matchStrings(columns.names, this.needle, this.nameMatched, this.cursor);
        if (this.cursor === columns.names.length) this.nextPhase(Phase.Services);
        break;
      case Phase.Services:
        this.cursor = matchStrings(columns.services, this.needle, this.serviceMatched, this.cursor);
        if (this.cursor === columns.services.length) this.nextPhase(Phase.Spans);
        break;
      case Phase.Spans: {
        const end = Math.min(columns.spanCount, this.cursor + SLICE);
        const { nameIndex, serviceIndex, durationNano, flags } = columns;
        const minDuration = this.query.minDurationNano > 0 ? this.query.minDurationNano : -Infinity;
        const errorMask = this.query.errorsOnly ? SPAN_FLAG_ERROR : 0;
        const anyText = this.needle === '';
        for (let position = this.cursor; position < end; position++) {
          if (durationNano[position] < minDuration || (flags[position] & errorMask) !== errorMask) continue;
          if (!anyText && this.nameMatched[nameIndex[position]] === 0 && this.serviceMatched[serviceIndex[position]] === 0) continue;
          this.matched[position] = 1;
          this.matches[this.count++] = position;
        }
        this.cursor = end;
        if (end === columns.spanCount) this.nextPhase(Phase.Ancestors);
        break;
      }
      case Phase.Ancestors: {
        // Each walk stops at the first span already pinned, so all walks together touch each span once.
        const end = Math.min(this.count, this.cursor + SLICE);
        const { parentPosition } = columns;
        for (let index = this.cursor; index < end; index++) {
          for (let position = this.matches[index]; position >= 0 && this.pinned[position] === 0; position = parentPosition[position]) {
            this.pinned[position] = 1;
          }
        }
        this.cursor = end;
        if (end === this.count) this.nextPhase(Phase.Done);
        break;
      }
      case Phase.Done:
        break;
    }
  }

  private nextPhase(phase: Phase): void {
    this.phase = phase;
    this.cursor = 0;
  }
}

/** Marks the strings containing `needle` (already lower case), from `from` for at most one slice. */
function matchStrings(values: readonly string[], needle: string, out: Uint8Array, from: number): number {
  const end = Math.min(values.length, from + SLICE / 4);
  for (let index = from; index < end; index++) out[index] = needle === '' || values[index].toLowerCase().includes(needle) ? 1 : 0;
  return end;
}
