// Bytes to lowercase hex, for IDs read from protobuf and from the store. The result is one flat string:
// appending digit pairs would leave a rope that V8 flattens again before every Map lookup of the ID.

const HEX_DIGITS = '0123456789abcdef';
/** Character codes of each byte's two hex digits. */
const HIGH_DIGIT = new Uint8Array(256);
const LOW_DIGIT = new Uint8Array(256);
for (let byte = 0; byte < 256; byte++) {
  HIGH_DIGIT[byte] = HEX_DIGITS.charCodeAt(byte >> 4);
  LOW_DIGIT[byte] = HEX_DIGITS.charCodeAt(byte & 15);
}

/** IDs up to this many bytes go through one String.fromCharCode call; longer byte strings are odd input. */
const MAX_FLAT_BYTES = 32;
/** Reused argument lists of 2, 4, … character codes, by byte length. */
const codeLists: number[][] = Array.from({ length: MAX_FLAT_BYTES + 1 }, (_, bytes) => new Array<number>(bytes * 2).fill(0));

/** `length` bytes from `offset` as lowercase hex; every length is kept so callers can judge it. */
export function bytesToHex(bytes: Uint8Array, offset = 0, length = bytes.length - offset): string {
  if (length > MAX_FLAT_BYTES) {
    let hex = '';
    for (let i = offset; i < offset + length; i++) hex += String.fromCharCode(HIGH_DIGIT[bytes[i]], LOW_DIGIT[bytes[i]]);
    return hex;
  }
  const codes = codeLists[length];
  for (let i = 0; i < length; i++) {
    const byte = bytes[offset + i];
    codes[2 * i] = HIGH_DIGIT[byte];
    codes[2 * i + 1] = LOW_DIGIT[byte];
  }
  return String.fromCharCode.apply(null, codes);
}
