// A growable little-endian byte buffer for building log records. 64-bit values go through DataView; short
// texts, IDs and hex are written in JS, which beats a native call at their size, with Buffer's writers
// for the rest: the record writer runs for every span received.

/** Texts up to this long are tried as ASCII in JS first: a native write costs more than a short loop. */
const SHORT_TEXT = 128;

/** Byte strings up to this long are copied in a JS loop. */
const SHORT_BYTES = 32;

/** Each character code's hex digit value, -1 for other characters. */
const HEX_VALUES = new Int8Array(128).fill(-1);
for (let digit = 0; digit < 16; digit++) {
  HEX_VALUES['0123456789abcdef'.charCodeAt(digit)] = digit;
  HEX_VALUES['0123456789ABCDEF'.charCodeAt(digit)] = digit;
}

export class ByteWriter {
  private bytes: Buffer;
  private view: DataView;
  private length = 0;

  constructor(initialCapacity = 4096) {
    this.bytes = Buffer.allocUnsafe(Math.max(16, initialCapacity));
    this.view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
  }

  get position(): number {
    return this.length;
  }

  u8(value: number): void {
    this.reserve(1);
    this.bytes[this.length++] = value;
  }

  u32(value: number): void {
    this.reserve(4);
    this.view.setUint32(this.length, value, true);
    this.length += 4;
  }

  /**
   * Makes room for `count` bytes and moves past them, returning where they start; the caller fills them
   * through `buffer` and `dataView` (both valid until the next write), sparing a capacity check per field.
   */
  claim(count: number): number {
    this.reserve(count);
    const at = this.length;
    this.length += count;
    return at;
  }

  /** The buffer behind the writer; replaced when it grows. */
  get buffer(): Buffer {
    return this.bytes;
  }

  /** A view of `buffer`. */
  get dataView(): DataView {
    return this.view;
  }

  /** Overwrites a u32 written earlier. */
  patchU32(offset: number, value: number): void {
    this.view.setUint32(offset, value, true);
  }

  raw(data: Uint8Array): void {
    const length = data.length;
    this.reserve(length);
    if (length <= SHORT_BYTES) {
      // IDs: a loop costs less than a native copy.
      const bytes = this.bytes;
      const at = this.length;
      for (let i = 0; i < length; i++) bytes[at + i] = data[i];
    } else {
      this.bytes.set(data, this.length);
    }
    this.length += length;
  }

  /** UTF-8 text; returns its byte length. */
  utf8(text: string): number {
    const length = text.length;
    this.reserve(length * 3);
    if (length <= SHORT_TEXT) {
      const bytes = this.bytes;
      const at = this.length;
      let i = 0;
      while (i < length) {
        const code = text.charCodeAt(i);
        if (code >= 0x80) break;
        bytes[at + i++] = code;
      }
      if (i === length) {
        this.length += length;
        return length;
      }
    }
    const written = this.bytes.write(text, this.length, 'utf8');
    this.length += written;
    return written;
  }

  /** `byteLength` bytes from lowercase hex of exactly twice that many digits, zeros for undefined. */
  hexId(hex: string | undefined, byteLength: number): void {
    this.reserve(byteLength);
    writeHexId(this.bytes, this.length, hex, byteLength);
    this.length += byteLength;
  }

  /** The bytes written so far (a view; later writes may replace the buffer behind it). */
  written(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }

  private reserve(count: number): void {
    if (this.length + count <= this.bytes.length) return;
    let capacity = this.bytes.length * 2;
    while (capacity < this.length + count) capacity *= 2;
    const grown = Buffer.allocUnsafe(capacity);
    this.bytes.copy(grown, 0, 0, this.length);
    this.bytes = grown;
    this.view = new DataView(grown.buffer, grown.byteOffset, grown.byteLength);
  }
}

/** `byteLength` bytes at `at` from lowercase hex of exactly twice that many digits, as ByteWriter.hexId writes them. */
export function writeHexId(bytes: Buffer, at: number, hex: string | undefined, byteLength: number): void {
  if (hex !== undefined && hex.length === byteLength * 2 && plainHex(bytes, at, hex, byteLength)) return;
  const written = hex === undefined || hex.length !== byteLength * 2 ? 0 : bytes.write(hex, at, byteLength, 'hex');
  if (written < byteLength) bytes.fill(0, at + written, at + byteLength);
}

// Hex digits only, decoded in JS; false, with nothing decided, for anything else (Buffer's rules then apply).
function plainHex(bytes: Buffer, at: number, hex: string, byteLength: number): boolean {
  for (let i = 0; i < byteLength; i++) {
    const high = hex.charCodeAt(2 * i);
    const low = hex.charCodeAt(2 * i + 1);
    const value = high < 128 && low < 128 ? (HEX_VALUES[high] << 4) | HEX_VALUES[low] : -1;
    if (value < 0) return false;
    bytes[at + i] = value;
  }
  return true;
}
