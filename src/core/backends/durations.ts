// Durations as users type them (`100ms`, `1.5s`, `1h30m`), as Go servers read them, and the unit
// conversions the backends need: Jaeger v1 wants µs, Zipkin µs and ms, Tempo seconds, Jaeger v3 RFC 3339.

import { NANOS_PER_MICRO, NANOS_PER_MILLI } from '../model/time';

const NANOS_PER_SECOND = 1_000_000_000n;

const UNIT_NANOS: ReadonlyMap<string, bigint> = new Map([
  ['ns', 1n],
  ['us', NANOS_PER_MICRO],
  ['µs', NANOS_PER_MICRO],
  ['μs', NANOS_PER_MICRO],
  ['ms', NANOS_PER_MILLI],
  ['s', NANOS_PER_SECOND],
  ['m', 60n * NANOS_PER_SECOND],
  ['min', 60n * NANOS_PER_SECOND],
  ['h', 3600n * NANOS_PER_SECOND],
  ['d', 86_400n * NANOS_PER_SECOND],
]);

const PART = /(\d+)(?:\.(\d+))?\s*(ns|us|µs|μs|ms|s|min|m|h|d)/y;

export type DurationParseResult = { readonly ok: true; readonly nanos: bigint } | { readonly ok: false; readonly message: string };

/**
 * Parses a duration a user typed: one or more `<number><unit>` parts (`100ms`, `1.5s`, `1h30m`, `250µs`,
 * `2d`), units ns, us/µs, ms, s, m/min, h, d. Fractions are exact, so `1.5s` is 1 500 000 000 ns.
 */
export function parseDurationInput(text: string): DurationParseResult {
  const input = text.trim().toLowerCase();
  if (input === '') return { ok: false, message: 'Enter a duration such as 100ms, 1.5s or 1h' };
  if (/^\d+(\.\d+)?$/.test(input)) {
    return { ok: false, message: `"${text.trim()}" has no unit; write it as ${input}ms, ${input}s or similar` };
  }
  if (input.startsWith('-')) return { ok: false, message: 'A duration cannot be negative' };
  let nanos = 0n;
  let position = 0;
  while (position < input.length) {
    PART.lastIndex = position;
    const match = PART.exec(input);
    if (match === null) {
      return {
        ok: false,
        message: `"${text.trim()}" is not a duration; use a number and a unit (ns, us, ms, s, m, h, d), e.g. 100ms, 1.5s, 1h30m`,
      };
    }
    const unit = UNIT_NANOS.get(match[3]) ?? 1n;
    const fraction = match[2] ?? '';
    nanos += BigInt(match[1]) * unit;
    if (fraction !== '') {
      const scale = 10n ** BigInt(fraction.length);
      // Round half up to whole nanoseconds.
      nanos += (BigInt(fraction) * unit * 2n + scale) / (2n * scale);
    }
    position = PART.lastIndex;
    while (input[position] === ' ') position++;
  }
  return { ok: true, nanos };
}

const GO_UNITS: readonly [bigint, string][] = [
  [3600n * NANOS_PER_SECOND, 'h'],
  [60n * NANOS_PER_SECOND, 'm'],
  [NANOS_PER_SECOND, 's'],
  [NANOS_PER_MILLI, 'ms'],
  [NANOS_PER_MICRO, 'us'],
];

/**
 * A duration as one Go duration literal in the largest unit that holds it exactly: `1500ms`, `2h`, `150us`.
 * Go's time.ParseDuration (Jaeger, Tempo parameters) and TraceQL duration literals both read it.
 */
export function formatGoDuration(nanos: bigint): string {
  if (nanos < 0n) throw new RangeError('a duration cannot be negative');
  if (nanos === 0n) return '0s';
  for (const [size, unit] of GO_UNITS) {
    if (nanos % size === 0n) return `${nanos / size}${unit}`;
  }
  return `${nanos}ns`;
}

/** Nanoseconds to whole microseconds; `floor` for lower bounds, `ceil` for upper ones, so no match is lost. */
export function nanosToMicros(nanos: bigint, rounding: 'floor' | 'ceil'): bigint {
  const micros = nanos / NANOS_PER_MICRO;
  return rounding === 'ceil' && nanos % NANOS_PER_MICRO !== 0n ? micros + 1n : micros;
}

/** Unix milliseconds to Unix seconds; `floor` for window starts, `ceil` for window ends. */
export function millisToUnixSeconds(millis: number, rounding: 'floor' | 'ceil'): number {
  return rounding === 'floor' ? Math.floor(millis / 1000) : Math.ceil(millis / 1000);
}

/** Unix milliseconds to Unix microseconds, as Jaeger v1 takes `start` and `end`. */
export function millisToUnixMicros(millis: number): bigint {
  return BigInt(Math.floor(millis)) * 1000n;
}

/** Unix milliseconds to Unix nanoseconds. */
export function millisToUnixNanos(millis: number): bigint {
  return BigInt(Math.floor(millis)) * NANOS_PER_MILLI;
}

/** Unix milliseconds to RFC 3339 in UTC (`2024-05-01T12:00:00.000Z`), as Jaeger api_v3 takes times. */
export function millisToRfc3339(millis: number): string {
  return new Date(millis).toISOString();
}

/** `64 MiB`, `512 KiB`, `900 bytes`. */
export function formatByteSize(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  if (mib >= 1) return `${Number(mib.toFixed(mib >= 10 ? 0 : 1))} MiB`;
  const kib = bytes / 1024;
  if (kib >= 1) return `${Number(kib.toFixed(kib >= 10 ? 0 : 1))} KiB`;
  return `${bytes} bytes`;
}

/** A wait for messages: `30 s`, `2 min`, `1.5 h`. */
export function formatWaitMillis(millis: number): string {
  const seconds = millis / 1000;
  if (seconds < 1) return `${Math.round(millis)} ms`;
  if (seconds < 120) return `${Math.round(seconds)} s`;
  const minutes = seconds / 60;
  if (minutes < 120) return `${Math.round(minutes)} min`;
  return `${Number((minutes / 60).toFixed(1))} h`;
}
