// Span and trace IDs of stored rows as lowercase hex. One String.fromCharCode call makes a flat string,
// where joining byte pairs makes a rope that must be flattened again before it can be hashed or compared.

const HEX_DIGITS = '0123456789abcdef';
/** Character codes of each byte's two hex digits. */
const HIGH_DIGIT = new Uint8Array(256);
const LOW_DIGIT = new Uint8Array(256);
for (let byte = 0; byte < 256; byte++) {
  HIGH_DIGIT[byte] = HEX_DIGITS.charCodeAt(byte >> 4);
  LOW_DIGIT[byte] = HEX_DIGITS.charCodeAt(byte & 15);
}

/** The 8 bytes at `offset` as 16 hex digits. */
export function hex8(bytes: Uint8Array, offset: number): string {
  const b0 = bytes[offset];
  const b1 = bytes[offset + 1];
  const b2 = bytes[offset + 2];
  const b3 = bytes[offset + 3];
  const b4 = bytes[offset + 4];
  const b5 = bytes[offset + 5];
  const b6 = bytes[offset + 6];
  const b7 = bytes[offset + 7];
  return String.fromCharCode(
    HIGH_DIGIT[b0], LOW_DIGIT[b0], HIGH_DIGIT[b1], LOW_DIGIT[b1], HIGH_DIGIT[b2], LOW_DIGIT[b2], HIGH_DIGIT[b3], LOW_DIGIT[b3],
    HIGH_DIGIT[b4], LOW_DIGIT[b4], HIGH_DIGIT[b5], LOW_DIGIT[b5], HIGH_DIGIT[b6], LOW_DIGIT[b6], HIGH_DIGIT[b7], LOW_DIGIT[b7],
  );
}

/** The 16 bytes at `offset` as 32 hex digits. */
export function hex16(bytes: Uint8Array, offset: number): string {
  const b0 = bytes[offset];
  const b1 = bytes[offset + 1];
  const b2 = bytes[offset + 2];
  const b3 = bytes[offset + 3];
  const b4 = bytes[offset + 4];
  const b5 = bytes[offset + 5];
  const b6 = bytes[offset + 6];
  const b7 = bytes[offset + 7];
  const b8 = bytes[offset + 8];
  const b9 = bytes[offset + 9];
  const b10 = bytes[offset + 10];
  const b11 = bytes[offset + 11];
  const b12 = bytes[offset + 12];
  const b13 = bytes[offset + 13];
  const b14 = bytes[offset + 14];
  const b15 = bytes[offset + 15];
  return String.fromCharCode(
    HIGH_DIGIT[b0], LOW_DIGIT[b0], HIGH_DIGIT[b1], LOW_DIGIT[b1], HIGH_DIGIT[b2], LOW_DIGIT[b2], HIGH_DIGIT[b3], LOW_DIGIT[b3],
    HIGH_DIGIT[b4], LOW_DIGIT[b4], HIGH_DIGIT[b5], LOW_DIGIT[b5], HIGH_DIGIT[b6], LOW_DIGIT[b6], HIGH_DIGIT[b7], LOW_DIGIT[b7],
    HIGH_DIGIT[b8], LOW_DIGIT[b8], HIGH_DIGIT[b9], LOW_DIGIT[b9], HIGH_DIGIT[b10], LOW_DIGIT[b10], HIGH_DIGIT[b11], LOW_DIGIT[b11],
    HIGH_DIGIT[b12], LOW_DIGIT[b12], HIGH_DIGIT[b13], LOW_DIGIT[b13], HIGH_DIGIT[b14], LOW_DIGIT[b14], HIGH_DIGIT[b15], LOW_DIGIT[b15],
  );
}
