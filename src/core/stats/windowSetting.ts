// The statistics window as users write it in `spanlens.window` ("15m", "1h", "7d", "1h30m") and as labels
// show it back.

const UNIT_MILLIS: Readonly<Record<string, number>> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** At most a year: more is a typo, and would overflow bucket arithmetic downstream. */
const MAX_WINDOW_MILLIS = 366 * 86_400_000;

/** Milliseconds of a window such as "15m", "1h", "24h", "7d", "90s" or "1h30m"; undefined when not one. */
export function parseWindow(text: string): number | undefined {
  const trimmed = text.trim().toLowerCase();
  if (!/^(?:\d{1,6}[smhdw])+$/.test(trimmed)) return undefined;
  let millis = 0;
  for (const [, amount, unit] of trimmed.matchAll(/(\d+)([smhdw])/g)) millis += Number(amount) * UNIT_MILLIS[unit];
  return millis > 0 && millis <= MAX_WINDOW_MILLIS ? millis : undefined;
}

/** Short text for labels: "90s", "15m", "1h", "24h", "7d"; whole days only from two days up. */
export function formatWindow(millis: number): string {
  if (!Number.isFinite(millis) || millis <= 0) return '0s';
  if (millis >= 2 * UNIT_MILLIS.d && millis % UNIT_MILLIS.d === 0) return `${millis / UNIT_MILLIS.d}d`;
  if (millis % UNIT_MILLIS.h === 0) return `${millis / UNIT_MILLIS.h}h`;
  if (millis % UNIT_MILLIS.m === 0) return `${millis / UNIT_MILLIS.m}m`;
  if (millis % UNIT_MILLIS.s === 0) return `${millis / UNIT_MILLIS.s}s`;
  return `${Math.round(millis)}ms`;
}
