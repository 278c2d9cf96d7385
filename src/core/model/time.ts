// Time helpers. Units live in names: Nano, Micros, Millis. Unix nanoseconds exceed 2^53, so absolute
// times are bigint; offsets within one trace fit a float64 exactly.

export const NANOS_PER_MICRO = 1000n;
export const NANOS_PER_MILLI = 1_000_000n;

const DIGITS = /^\d+$/;

/** A uint64 that arrives as a decimal string or a JSON number, to bigint. Undefined if neither. */
export function parseUint64(value: unknown): bigint | undefined {
  if (typeof value === 'string') return DIGITS.test(value) ? BigInt(value) : undefined;
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return BigInt(Math.round(value));
  return undefined;
}

/** Microseconds (number, as Jaeger v1 and Zipkin send) to nanoseconds. */
export function microsToNano(micros: number): bigint {
  return Number.isSafeInteger(micros) ? BigInt(micros) * NANOS_PER_MICRO : BigInt(Math.round(micros * 1000));
}

const UNITS: readonly [number, string][] = [
  [3_600_000_000_000, 'h'],
  [60_000_000_000, 'min'],
  [1_000_000_000, 's'],
  [1_000_000, 'ms'],
  [1_000, 'µs'],
];

/** Human duration: `1.23 s`, `142 ms`, `830 µs`, `12 ns`; three significant digits. */
export function formatDurationNano(nanos: number): string {
  if (!Number.isFinite(nanos)) return '—';
  const abs = Math.abs(nanos);
  for (const [size, unit] of UNITS) {
    if (abs >= size) return `${trimNumber(nanos / size)} ${unit}`;
  }
  return `${Math.round(nanos)} ns`;
}

function trimNumber(value: number): string {
  const abs = Math.abs(value);
  const decimals = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return String(Number(value.toFixed(decimals)));
}
