// Counts and line numbers sent as attribute values: int attributes arrive as decimal text, and some SDKs send
// them as strings. Nine digits at most, so the value is exact and cannot overflow.

/** A non-negative integer of one to nine decimal digits, else undefined. */
export function smallCountOf(text: string | undefined): number | undefined {
  if (text === undefined || text.length === 0 || text.length > 9) return undefined;
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return undefined;
    count = count * 10 + digit;
  }
  return count;
}
