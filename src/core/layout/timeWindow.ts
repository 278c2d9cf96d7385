// The time window the timeline shows: zoom and pan are pure functions from one window to the next,
// clamped to the trace so the view never drifts off its data.

export interface TimeWindow {
  /** Offset from trace start of the left edge, in nanoseconds. */
  readonly startNano: number;
  /** Offset from trace start of the right edge, in nanoseconds. */
  readonly endNano: number;
}

// Zooming stops where one pixel would hold well under a nanosecond, or at a millionth of the trace.
const MIN_WINDOW_NANO = 10;
const MAX_ZOOM = 1e6;

/** The whole trace. */
export function fullWindow(traceDurationNano: number): TimeWindow {
  return { startNano: 0, endNano: Math.max(traceDurationNano, 1) };
}

/** Narrowest window allowed for a trace. */
export function minWindowWidthNano(traceDurationNano: number): number {
  return Math.min(Math.max(traceDurationNano, 1), Math.max(MIN_WINDOW_NANO, traceDurationNano / MAX_ZOOM));
}

/** `window` made valid: finite, at least the minimum width, at most the trace, inside [0, duration]. */
export function clampWindow(window: TimeWindow, traceDurationNano: number): TimeWindow {
  const duration = Math.max(traceDurationNano, 1);
  if (!Number.isFinite(window.startNano) || !Number.isFinite(window.endNano)) return fullWindow(traceDurationNano);
  const width = Math.min(duration, Math.max(minWindowWidthNano(traceDurationNano), window.endNano - window.startNano));
  const startNano = Math.min(Math.max(0, window.startNano), duration - width);
  return { startNano, endNano: startNano + width };
}

/** Zooms by `factor` (above 1 zooms in) keeping the time at `anchorNano` where it is on screen. */
export function zoomWindow(window: TimeWindow, factor: number, anchorNano: number, traceDurationNano: number): TimeWindow {
  if (!(factor > 0) || !Number.isFinite(factor)) return window;
  const width = window.endNano - window.startNano;
  const anchor = Math.min(Math.max(anchorNano, window.startNano), window.endNano);
  const fraction = width > 0 ? (anchor - window.startNano) / width : 0.5;
  const minWidth = minWindowWidthNano(traceDurationNano);
  const nextWidth = Math.min(Math.max(traceDurationNano, 1), Math.max(minWidth, width / factor));
  const startNano = anchor - fraction * nextWidth;
  return clampWindow({ startNano, endNano: startNano + nextWidth }, traceDurationNano);
}

/** Moves the window by `deltaNano` (positive moves later), stopping at the trace's ends. */
export function panWindow(window: TimeWindow, deltaNano: number, traceDurationNano: number): TimeWindow {
  if (!Number.isFinite(deltaNano)) return window;
  return clampWindow({ startNano: window.startNano + deltaNano, endNano: window.endNano + deltaNano }, traceDurationNano);
}

/** Centres the window on `centerNano` without changing its width. */
export function centerWindow(window: TimeWindow, centerNano: number, traceDurationNano: number): TimeWindow {
  const half = (window.endNano - window.startNano) / 2;
  return clampWindow({ startNano: centerNano - half, endNano: centerNano + half }, traceDurationNano);
}

/** True when the window shows the whole trace. */
export function isFullWindow(window: TimeWindow, traceDurationNano: number): boolean {
  return window.startNano <= 0 && window.endNano >= Math.max(traceDurationNano, 1);
}
