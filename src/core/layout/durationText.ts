// Durations typed by the user, e.g. in the minimum-duration filter: `250ms`, `1.5 s`, `40µs`.

const UNIT_NANO: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  min: 60e9,
  h: 3600e9,
};

const DURATION = /^(\d+(?:\.\d*)?|\.\d+)\s*([a-zµμ]*)$/i;

/**
 * Nanoseconds of a duration like `250ms` or `1.5 s`; a bare number is milliseconds. Empty text is 0.
 * Undefined when the text is not a duration.
 */
export function parseDurationText(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return 0;
  const match = DURATION.exec(trimmed);
  if (match === null) return undefined;
  const unit = match[2].toLowerCase();
  const size = unit === '' ? UNIT_NANO.ms : UNIT_NANO[unit];
  if (size === undefined) return undefined;
  return Number(match[1]) * size;
}
