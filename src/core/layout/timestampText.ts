// Absolute span times as text. Date holds milliseconds, so the sub-millisecond digits are appended from
// the bigint nanoseconds to keep the full precision the backend sent.

const NANOS_PER_MILLI = 1_000_000n;

/** `2023-11-14T22:13:20.123456789Z` from Unix nanoseconds (decimal string or bigint). */
export function formatUnixNanoIso(unixNano: string | bigint): string {
  let nanos: bigint;
  try {
    nanos = typeof unixNano === 'bigint' ? unixNano : BigInt(unixNano);
  } catch {
    return String(unixNano);
  }
  if (nanos < 0n) return `${nanos} ns`;
  const date = new Date(Number(nanos / NANOS_PER_MILLI));
  if (Number.isNaN(date.getTime())) return `${nanos} ns`;
  const subMilli = (nanos % NANOS_PER_MILLI).toString().padStart(6, '0');
  return `${date.toISOString().slice(0, -1)}${subMilli}Z`;
}
