// The zoom part of the persisted view state. The waterfall view's own fields beyond the skeleton's
// are read here, so the bridge's parser stays one line longer and no more.
import type { WaterfallViewState } from '../src/shared/webviewProtocol';

type TimeWindowState = Pick<WaterfallViewState, 'viewStartNano' | 'viewEndNano'>;

/** The saved time window, if both edges are finite numbers with the start before the end. */
export function parseTimeWindowState(value: Record<string, unknown>): TimeWindowState {
  const { viewStartNano, viewEndNano } = value;
  if (typeof viewStartNano !== 'number' || typeof viewEndNano !== 'number') return {};
  if (!Number.isFinite(viewStartNano) || !Number.isFinite(viewEndNano) || viewStartNano >= viewEndNano) return {};
  return { viewStartNano, viewEndNano };
}
