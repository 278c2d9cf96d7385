// Command IDs of code insights, shared by the lenses, hovers and views that link to them and by the wiring.

export const SHOW_SLOWEST_TRACES_COMMAND = 'spanlens.showSlowestTraces';
export const OPEN_SPAN_COMMAND = 'spanlens.openSpan';
export const REFRESH_CODE_INSIGHTS_COMMAND = 'spanlens.refreshCodeInsights';
export const RANK_BY_TOTAL_TIME_COMMAND = 'spanlens.hotSpots.rankByTotalTime';
export const RANK_BY_P95_COMMAND = 'spanlens.hotSpots.rankByP95';
export const REVEAL_HOT_SPOT_COMMAND = 'spanlens.hotSpots.reveal';

/** A span to open in the waterfall: which backend, which trace, which span to select. */
export interface SpanTarget {
  readonly backend: string;
  readonly traceId: string;
  readonly spanId: string;
}

/** A `command:` link for trusted markdown; parentheses are escaped too, as they would end the link. */
export function commandLink(command: string, argument: unknown): string {
  const query = encodeURIComponent(JSON.stringify([argument])).replace(/\(/g, '%28').replace(/\)/g, '%29');
  return `command:${command}?${query}`;
}
