// Reads a response body into memory without ever holding more than the cap, compressed or not.

import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate, inflateRaw } from 'node:zlib';
import type { InputType, ZlibOptions } from 'node:zlib';

/** Thrown when a body exceeds the cap; the HTTP client turns it into a user-facing message. */
export class BodyTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`response body exceeds ${limitBytes} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/** Thrown for a body that cannot be decompressed. */
export class BodyEncodingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BodyEncodingError';
  }
}

export interface StreamedBody extends AsyncIterable<Buffer | Uint8Array> {
  destroy(error?: Error): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** Closes a body that will not be read; the abort error the stream then emits is expected, not a crash. */
export function discardBody(body: StreamedBody): void {
  body.on('error', () => undefined);
  body.destroy();
}

/** Collects the body, giving up (and closing the stream) as soon as it passes `maxBytes`. */
export async function readCappedBody(body: StreamedBody, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.length;
    if (total > maxBytes) {
      discardBody(body);
      throw new BodyTooLargeError(maxBytes);
    }
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
}

type Decoder = (input: InputType, options: ZlibOptions) => Promise<Buffer>;

const gunzipAsync: Decoder = promisify(gunzip);
const inflateAsync: Decoder = promisify(inflate);
const inflateRawAsync: Decoder = promisify(inflateRaw);
const brotliAsync = promisify(brotliDecompress) as (input: InputType, options: { maxOutputLength: number }) => Promise<Buffer>;

/** The encodings the client asks for in Accept-Encoding. */
export const ACCEPTED_ENCODINGS = 'gzip, deflate, br';

/**
 * Undoes Content-Encoding (applied in the listed order, so undone in reverse). Decompression runs off the
 * main thread and stops at `maxBytes` of output, so a small gzip bomb cannot fill memory.
 */
export async function decodeContentEncoding(raw: Buffer, contentEncoding: string | undefined, maxBytes: number): Promise<Buffer> {
  if (contentEncoding === undefined) return raw;
  const encodings = contentEncoding
    .split(',')
    .map((item) => item.trim().toLowerCase())
    .filter((item) => item !== '' && item !== 'identity');
  let data = raw;
  for (let i = encodings.length - 1; i >= 0; i--) data = await decodeOne(data, encodings[i], maxBytes);
  return data;
}

async function decodeOne(data: Buffer, encoding: string, maxBytes: number): Promise<Buffer> {
  // maxOutputLength one past the cap tells "exactly at the cap" from "over it".
  const options = { maxOutputLength: maxBytes + 1 };
  let output: Buffer;
  try {
    switch (encoding) {
      case 'gzip':
      case 'x-gzip':
        output = await gunzipAsync(data, options);
        break;
      case 'deflate':
        // RFC 9110 deflate is zlib-wrapped; some servers send raw deflate anyway.
        output = await inflateAsync(data, options).catch((error: unknown) => {
          if (isTooLarge(error)) throw error;
          return inflateRawAsync(data, options);
        });
        break;
      case 'br':
        output = await brotliAsync(data, options);
        break;
      default:
        throw new BodyEncodingError(`the server used the unsupported Content-Encoding "${encoding}"`);
    }
  } catch (error) {
    if (isTooLarge(error)) throw new BodyTooLargeError(maxBytes);
    if (error instanceof BodyEncodingError) throw error;
    throw new BodyEncodingError(`the ${encoding}-compressed body is corrupt (${error instanceof Error ? error.message : String(error)})`);
  }
  if (output.length > maxBytes) throw new BodyTooLargeError(maxBytes);
  return output;
}

function isTooLarge(error: unknown): boolean {
  return (
    error instanceof RangeError ||
    (typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE')
  );
}
