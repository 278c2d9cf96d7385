// Zoom and pan of the timeline by mouse wheel with Ctrl/⌘ (a trackpad pinch arrives the same way),
// horizontal wheel or Shift+wheel, dragging the time axis, and the keyboard.

export interface TimeNavigationTarget {
  /** Zooms by `factor` (above 1 zooms in) around `anchorXPx` inside the timeline, or its centre. */
  readonly zoom: (factor: number, anchorXPx: number | undefined) => void;
  /** Pans by `dxPx` pixels of the current scale (positive shows later times). */
  readonly pan: (dxPx: number) => void;
  /** Back to the whole trace. */
  readonly reset: () => void;
  /** Client x of the timeline's time origin and its width, in CSS pixels. */
  readonly timelineBox: () => { readonly leftPx: number; readonly widthPx: number };
}

const WHEEL_ZOOM_PER_PX = 0.0025;
const KEY_ZOOM = 1.5;
const KEY_PAN_FRACTION = 0.1;
const LINE_HEIGHT_PX = 16;

/** Keys that zoom; shared by the tree and the axis. Returns true when the key was handled. */
export function handleZoomKey(event: KeyboardEvent, target: TimeNavigationTarget): boolean {
  if (event.altKey || event.ctrlKey || event.metaKey) return false;
  switch (event.key) {
    case '+':
    case '=':
      target.zoom(KEY_ZOOM, undefined);
      return true;
    case '-':
    case '_':
      target.zoom(1 / KEY_ZOOM, undefined);
      return true;
    case '0':
      target.reset();
      return true;
    default:
      return false;
  }
}

/** Wires wheel zoom on `surface` and drag and keys on `axis`. Returns a function that unwires them. */
export function attachTimeNavigation(surface: HTMLElement, axis: HTMLElement, target: TimeNavigationTarget): () => void {
  const onWheel = (event: WheelEvent): void => {
    const scale = event.deltaMode === WheelEvent.DOM_DELTA_LINE ? LINE_HEIGHT_PX : event.deltaMode === WheelEvent.DOM_DELTA_PAGE ? 400 : 1;
    if (event.ctrlKey || event.metaKey) {
      event.preventDefault();
      const box = target.timelineBox();
      const x = event.clientX - box.leftPx;
      target.zoom(Math.exp(-event.deltaY * scale * WHEEL_ZOOM_PER_PX), x >= 0 && x <= box.widthPx ? x : undefined);
      return;
    }
    const horizontal = event.shiftKey ? event.deltaY || event.deltaX : Math.abs(event.deltaX) > Math.abs(event.deltaY) ? event.deltaX : 0;
    if (horizontal !== 0) {
      event.preventDefault();
      target.pan(horizontal * scale);
    }
  };

  let dragX: number | undefined;
  const onPointerDown = (event: PointerEvent): void => {
    if (event.button !== 0) return;
    dragX = event.clientX;
    axis.setPointerCapture(event.pointerId);
    axis.classList.add('dragging');
    axis.focus({ preventScroll: true });
    event.preventDefault();
  };
  const onPointerMove = (event: PointerEvent): void => {
    if (dragX === undefined) return;
    const dx = event.clientX - dragX;
    dragX = event.clientX;
    // Dragging moves the content with the pointer, so the window moves the other way.
    if (dx !== 0) target.pan(-dx);
  };
  const onPointerUp = (): void => {
    dragX = undefined;
    axis.classList.remove('dragging');
  };
  const onAxisKey = (event: KeyboardEvent): void => {
    if (handleZoomKey(event, target)) {
      event.preventDefault();
      return;
    }
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    const step = target.timelineBox().widthPx * KEY_PAN_FRACTION;
    target.pan(event.key === 'ArrowLeft' ? -step : step);
    event.preventDefault();
  };
  const onDoubleClick = (): void => target.reset();

  // One signal removes every listener when the view goes.
  const listeners = new AbortController();
  const { signal } = listeners;
  surface.addEventListener('wheel', onWheel, { passive: false, signal });
  axis.addEventListener('pointerdown', onPointerDown, { signal });
  axis.addEventListener('pointermove', onPointerMove, { signal });
  axis.addEventListener('pointerup', onPointerUp, { signal });
  axis.addEventListener('pointercancel', onPointerUp, { signal });
  axis.addEventListener('keydown', onAxisKey, { signal });
  axis.addEventListener('dblclick', onDoubleClick, { signal });
  return () => listeners.abort();
}
