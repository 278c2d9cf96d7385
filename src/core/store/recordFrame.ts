// Framing of log records: length and checksum ahead of each payload (see recordLayout.ts).

import { crc32 } from './crc32';
import { FRAME_HEADER_BYTES, MAX_RECORD_BYTES } from './recordLayout';

/**
 * A framed record in two pieces, written back to back: `head` is the frame header and the record's index,
 * `body` the request as it arrived. Keeping the body apart spares copying it, on the worker and here.
 */
export interface FramedRecord {
  readonly head: Uint8Array;
  readonly body: Uint8Array;
}

/** Frames `index` parts (copied into one new buffer) followed by `body` (kept as it is). */
export function frameRecord(index: readonly Uint8Array[], body: Uint8Array): FramedRecord {
  let indexLength = 0;
  for (const part of index) indexLength += part.length;
  const head = new Uint8Array(FRAME_HEADER_BYTES + indexLength);
  let offset = FRAME_HEADER_BYTES;
  for (const part of index) {
    head.set(part, offset);
    offset += part.length;
  }
  const view = new DataView(head.buffer);
  view.setUint32(0, indexLength + body.length, true);
  view.setUint32(4, crc32(body, crc32(head.subarray(FRAME_HEADER_BYTES))), true);
  return { head, body };
}

/** Bytes the record takes in the log. */
export function framedLength(record: FramedRecord): number {
  return record.head.length + record.body.length;
}

export type FrameCheck =
  | { readonly ok: true; readonly payload: Uint8Array; readonly end: number }
  /** `torn`: the bytes end inside the frame; `corrupt`: its header or checksum is wrong. */
  | { readonly ok: false; readonly problem: 'torn' | 'corrupt' };

/**
 * Reads the frame that starts at `offset`. `verify` false skips the checksum, for frames this process
 * just built rather than read from disk.
 */
export function readFrame(bytes: Uint8Array, offset: number, verify = true): FrameCheck {
  if (bytes.length - offset < FRAME_HEADER_BYTES) return { ok: false, problem: 'torn' };
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, FRAME_HEADER_BYTES);
  const length = view.getUint32(0, true);
  if (length === 0 || length > MAX_RECORD_BYTES) return { ok: false, problem: 'corrupt' };
  const end = offset + FRAME_HEADER_BYTES + length;
  if (end > bytes.length) return { ok: false, problem: 'torn' };
  const payload = bytes.subarray(offset + FRAME_HEADER_BYTES, end);
  if (verify && crc32(payload) !== view.getUint32(4, true)) return { ok: false, problem: 'corrupt' };
  return { ok: true, payload, end };
}
