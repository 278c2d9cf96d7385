// Framing of log records: length and checksum ahead of each payload (see recordLayout.ts).

import { crc32 } from './crc32';
import { FRAME_HEADER_BYTES, MAX_RECORD_BYTES } from './recordLayout';

/** One frame holding `parts` concatenated as its payload, in a buffer of its own (transferable). */
export function frameRecord(parts: readonly Uint8Array[]): Uint8Array {
  let payloadLength = 0;
  for (const part of parts) payloadLength += part.length;
  const frame = new Uint8Array(FRAME_HEADER_BYTES + payloadLength);
  let offset = FRAME_HEADER_BYTES;
  for (const part of parts) {
    frame.set(part, offset);
    offset += part.length;
  }
  const view = new DataView(frame.buffer);
  view.setUint32(0, payloadLength, true);
  view.setUint32(4, crc32(frame.subarray(FRAME_HEADER_BYTES)), true);
  return frame;
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
