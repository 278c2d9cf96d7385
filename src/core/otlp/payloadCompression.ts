// Request bodies arrive gzip- or deflate-compressed. A few kilobytes of gzip can expand to gigabytes, so the
// output is capped while inflating: zlib stops at `maxOutputLength` instead of producing the whole thing.

import { gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import { OtlpPayloadError } from './otlpPayloadError';

export type PayloadCompression = 'none' | 'gzip' | 'deflate';

/** The compression a Content-Encoding (or grpc-encoding) names, or undefined for one we cannot read. */
export function compressionFromHeader(header: string | undefined): PayloadCompression | undefined {
  const value = (header ?? '').trim().toLowerCase();
  if (value === '' || value === 'identity' || value === 'none') return 'none';
  if (value === 'gzip' || value === 'x-gzip') return 'gzip';
  if (value === 'deflate') return 'deflate';
  return undefined;
}

/** The bytes inflated; throws OtlpPayloadError `tooLarge` past `maxBytes` and `malformed` for bad data. */
export function decompressPayload(bytes: Uint8Array, compression: PayloadCompression, maxBytes: number): Uint8Array {
  if (compression === 'none') return bytes;
  const options = { maxOutputLength: Math.max(1, maxBytes) };
  try {
    if (compression === 'gzip') return gunzipSync(bytes, options);
    try {
      return inflateSync(bytes, options);
    } catch (error) {
      // HTTP's "deflate" is the zlib format, but some clients send raw deflate.
      if (isCode(error, 'Z_DATA_ERROR')) return inflateRawSync(bytes, options);
      throw error;
    }
  } catch (error) {
    if (isCode(error, 'ERR_BUFFER_TOO_LARGE')) {
      throw new OtlpPayloadError('tooLarge', `The ${compression} body inflates to more than ${formatBytes(maxBytes)}`);
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new OtlpPayloadError('malformed', `The body is not valid ${compression} data: ${reason}`);
  }
}

function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

/** "64 MiB", "512 KiB", "100 bytes". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${bytes} bytes`;
}
