// Pure mapping between trace time (nanoseconds from trace start) and pixels, and the axis ticks for a
// view. The view is a window [viewStartNano, viewEndNano] so zoom and pan are a change of window.

export interface TimeScale {
  readonly viewStartNano: number;
  readonly viewEndNano: number;
  readonly widthPx: number;
  /** x in pixels of an offset from trace start, in nanoseconds. */
  readonly toX: (offsetNano: number) => number;
  /** Offset from trace start, in nanoseconds, at x pixels. */
  readonly toNano: (xPx: number) => number;
}

/** A scale mapping [viewStartNano, viewEndNano] onto [0, widthPx]. An empty window counts as 1 ns wide. */
export function createTimeScale(viewStartNano: number, viewEndNano: number, widthPx: number): TimeScale {
  const rangeNano = Math.max(viewEndNano - viewStartNano, 1);
  const pxPerNano = Math.max(widthPx, 0) / rangeNano;
  return {
    viewStartNano,
    viewEndNano,
    widthPx,
    toX: (offsetNano) => (offsetNano - viewStartNano) * pxPerNano,
    toNano: (xPx) => viewStartNano + (pxPerNano === 0 ? 0 : xPx / pxPerNano),
  };
}

export interface TimeTick {
  /** Offset from trace start, in nanoseconds. */
  readonly offsetNano: number;
  /** x in pixels on the scale. */
  readonly xPx: number;
  readonly label: string;
}

const NANOS_PER_SECOND = 1e9;
const NANOS_PER_MINUTE = 60e9;
const NANOS_PER_HOUR = 3600e9;

// Above a minute, steps follow the clock rather than powers of ten.
const CLOCK_STEPS_NANO = [
  NANOS_PER_MINUTE, 2 * NANOS_PER_MINUTE, 5 * NANOS_PER_MINUTE, 10 * NANOS_PER_MINUTE, 15 * NANOS_PER_MINUTE,
  30 * NANOS_PER_MINUTE, NANOS_PER_HOUR, 2 * NANOS_PER_HOUR, 3 * NANOS_PER_HOUR, 6 * NANOS_PER_HOUR,
  12 * NANOS_PER_HOUR, 24 * NANOS_PER_HOUR,
];

/** The smallest "nice" step (1, 2 or 5 × 10^k ns; clock steps above a minute) giving at most `maxTicks` intervals. */
export function chooseTickStepNano(rangeNano: number, maxTicks: number): number {
  const raw = Math.max(rangeNano, 1) / Math.max(maxTicks, 1);
  if (raw > 30 * NANOS_PER_SECOND) {
    for (const step of CLOCK_STEPS_NANO) if (step >= raw) return step;
    return Math.ceil(raw / (24 * NANOS_PER_HOUR)) * 24 * NANOS_PER_HOUR;
  }
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const factor of [1, 2, 5, 10]) {
    const step = factor * power;
    if (step >= raw) return Math.max(1, step);
  }
  return Math.max(1, 10 * power);
}

const TICK_UNITS: readonly [number, string][] = [
  [NANOS_PER_HOUR, 'h'],
  [NANOS_PER_MINUTE, 'min'],
  [NANOS_PER_SECOND, 's'],
  [1e6, 'ms'],
  [1e3, 'µs'],
  [1, 'ns'],
];

/**
 * One unit for every label of an axis, so labels never repeat: the largest unit that fits `maxNano`
 * (minutes and hours only once the step is that coarse), with as many decimals as `stepNano` needs.
 */
export function tickLabelFormatter(stepNano: number, maxNano: number): (offsetNano: number) => string {
  let unitIndex = TICK_UNITS.findIndex(([size]) => Math.abs(maxNano) >= size);
  if (unitIndex < 0) unitIndex = TICK_UNITS.length - 1;
  while (TICK_UNITS[unitIndex][0] > NANOS_PER_SECOND && stepNano < TICK_UNITS[unitIndex][0]) unitIndex++;
  const [size, unit] = TICK_UNITS[unitIndex];
  const decimals = Math.min(9, Math.max(0, -Math.floor(Math.log10(stepNano / size) + 1e-9)));
  return (offsetNano) => `${(offsetNano / size).toFixed(decimals)} ${unit}`;
}

/** Ticks at multiples of a nice step inside the view, at least `minSpacingPx` apart. */
export function computeTimeTicks(scale: TimeScale, minSpacingPx = 80): TimeTick[] {
  const rangeNano = Math.max(scale.viewEndNano - scale.viewStartNano, 1);
  const maxTicks = Math.max(1, Math.floor(scale.widthPx / minSpacingPx));
  const stepNano = chooseTickStepNano(rangeNano, maxTicks);
  const format = tickLabelFormatter(stepNano, Math.max(Math.abs(scale.viewStartNano), Math.abs(scale.viewEndNano)));
  const ticks: TimeTick[] = [];
  const first = Math.ceil(scale.viewStartNano / stepNano);
  const last = Math.floor(scale.viewEndNano / stepNano);
  for (let index = first; index <= last; index++) {
    const offsetNano = index * stepNano;
    ticks.push({ offsetNano, xPx: scale.toX(offsetNano), label: format(offsetNano) });
  }
  return ticks;
}
