// A growable little-endian byte buffer for building log records. Hex IDs and 64-bit values go through
// Buffer's and DataView's native writers: the record writer runs for every span received.

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

  /** A bigint in [0, 2^64). */
  u64(value: bigint): void {
    this.reserve(8);
    this.view.setBigUint64(this.length, value, true);
    this.length += 8;
  }

  /** Overwrites a u32 written earlier. */
  patchU32(offset: number, value: number): void {
    this.view.setUint32(offset, value, true);
  }

  raw(data: Uint8Array): void {
    this.reserve(data.length);
    this.bytes.set(data, this.length);
    this.length += data.length;
  }

  /** UTF-8 text; returns its byte length. */
  utf8(text: string): number {
    this.reserve(text.length * 3);
    const written = this.bytes.write(text, this.length, 'utf8');
    this.length += written;
    return written;
  }

  /** `byteLength` bytes from lowercase hex of exactly twice that many digits, zeros for undefined. */
  hexId(hex: string | undefined, byteLength: number): void {
    this.reserve(byteLength);
    const written = hex === undefined || hex.length !== byteLength * 2 ? 0 : this.bytes.write(hex, this.length, byteLength, 'hex');
    if (written < byteLength) this.bytes.fill(0, this.length + written, this.length + byteLength);
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
