// OTLP/HTTP: `POST /v1/traces` with a protobuf or JSON ExportTraceServiceRequest, maybe gzip- or
// deflate-compressed. Status codes follow the OTLP spec: 200 (with partial success), 400 malformed,
// 413 too large, 415 unsupported type or encoding, 429 and 503 with Retry-After for a busy receiver.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PayloadEncoding } from '../otlp/decodeOtlpPayload';
import { compressionFromHeader, formatBytes } from '../otlp/payloadCompression';
import type { ExportContext, ExportOutcome } from './exportTraces';
import { exportTraces } from './exportTraces';
import type { HttpBody } from './otlpHttpResponses';
import { encodingFromContentType, exportResponseBody, statusBody } from './otlpHttpResponses';

export const TRACES_PATH = '/v1/traces';

const INITIAL_BODY_BYTES = 1024 * 1024;

/** Seconds a client should wait after 429 or 503. */
const RETRY_AFTER_SECONDS = 1;

export interface HttpHandlerOptions extends ExportContext {
  /** Largest body as sent (before decompression). */
  readonly maxBodyBytes: number;
  /** Called once per export request that reached the processor. */
  readonly onExport: (encoding: PayloadEncoding, outcome: ExportOutcome) => void;
  /** Called for an export request refused before decoding (413, 415). */
  readonly onRefused: () => void;
  /** Called when handling failed unexpectedly (answered 500). */
  readonly onError: (error: unknown) => void;
}

export function createOtlpHttpHandler(options: HttpHandlerOptions): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    handle(request, response, options).catch((error: unknown) => {
      options.onError(error);
      if (!response.headersSent) send(response, 500, statusBody(undefined, 500, 'The receiver failed to handle the request'));
      else response.destroy();
    });
  };
}

async function handle(request: IncomingMessage, response: ServerResponse, options: HttpHandlerOptions): Promise<void> {
  const encoding = encodingFromContentType(request.headers['content-type']);
  const path = (request.url ?? '/').split('?')[0];
  if (path !== TRACES_PATH) {
    return reject(request, response, 404, statusBody(encoding, 404, `No such endpoint ${path}; OTLP traces go to POST ${TRACES_PATH}`));
  }
  if (request.method !== 'POST') {
    response.setHeader('Allow', 'POST');
    return reject(request, response, 405, statusBody(encoding, 405, `${TRACES_PATH} takes POST, not ${request.method ?? 'this method'}`));
  }
  if (encoding === undefined) {
    options.onRefused();
    const type = request.headers['content-type'] ?? 'none';
    return reject(request, response, 415, statusBody(undefined, 415, `Unsupported Content-Type "${type}"; send application/x-protobuf or application/json`));
  }
  const compression = compressionFromHeader(request.headers['content-encoding']);
  if (compression === undefined) {
    options.onRefused();
    const message = `Unsupported Content-Encoding "${request.headers['content-encoding'] ?? ''}"; send gzip, deflate or none`;
    return reject(request, response, 415, statusBody(encoding, 415, message));
  }
  const declared = Number(request.headers['content-length'] ?? Number.NaN);
  const body = declared > options.maxBodyBytes ? 'tooLarge' : await readBody(request, options.maxBodyBytes, Number.isSafeInteger(declared) ? declared : undefined);
  if (body === 'aborted') return;
  if (body === 'tooLarge') {
    options.onRefused();
    return reject(request, response, 413, tooLarge(encoding, options.maxBodyBytes));
  }
  respond(response, encoding, await exportTraces(body, { encoding, compression }, options), options);
}

function respond(response: ServerResponse, encoding: PayloadEncoding, outcome: ExportOutcome, options: HttpHandlerOptions): void {
  options.onExport(encoding, outcome);
  switch (outcome.kind) {
    case 'ok':
      return send(response, 200, exportResponseBody(encoding, outcome.rejectedSpans, outcome.message));
    case 'malformed':
      return send(response, 400, statusBody(encoding, 400, outcome.message));
    case 'tooLarge':
      return send(response, 413, statusBody(encoding, 413, outcome.message));
    case 'busy':
      response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
      return send(response, 429, statusBody(encoding, 429, outcome.message));
    case 'unavailable':
      response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
      return send(response, 503, statusBody(encoding, 503, outcome.message));
  }
}

function tooLarge(encoding: PayloadEncoding, maxBodyBytes: number): HttpBody {
  return statusBody(encoding, 413, `The request body is larger than ${formatBytes(maxBodyBytes)}`);
}

/**
 * Reads the body into a buffer of its own (so it can be transferred to the worker). Stops keeping bytes
 * past `maxBytes`; the caller then answers 413.
 */
function readBody(request: IncomingMessage, maxBytes: number, declared: number | undefined): Promise<Uint8Array | 'tooLarge' | 'aborted'> {
  return new Promise((resolve) => {
    // Not from Buffer's shared pool: the worker takes over this memory. A declared length is trusted only
    // up to 1 MiB up front, so idle connections that announce big bodies cannot reserve much.
    let buffer = Buffer.allocUnsafeSlow(Math.min(declared ?? 64 * 1024, INITIAL_BODY_BYTES, maxBytes));
    let length = 0;
    let settled = false;
    const finish = (result: Uint8Array | 'tooLarge' | 'aborted'): void => {
      if (settled) return;
      settled = true;
      request.off('data', onData);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      if (length + chunk.length > maxBytes) return finish('tooLarge');
      if (length + chunk.length > buffer.length) {
        const grown = Buffer.allocUnsafeSlow(Math.min(maxBytes, Math.max(buffer.length * 2, length + chunk.length)));
        buffer.copy(grown, 0, 0, length);
        buffer = grown;
      }
      chunk.copy(buffer, length);
      length += chunk.length;
    };
    request.on('data', onData);
    request.once('end', () => finish(length === buffer.length ? buffer : copyExact(buffer, length)));
    // After 'end' this is a no-op; before it, the client went away.
    request.once('close', () => finish('aborted'));
    request.once('error', () => finish('aborted'));
  });
}

function copyExact(buffer: Buffer, length: number): Uint8Array {
  const exact = Buffer.allocUnsafeSlow(length);
  buffer.copy(exact, 0, 0, length);
  return exact;
}

/**
 * Answers before the body was read. The connection is closed afterwards; what the client is still sending
 * is read and thrown away for a while, so it sees the answer rather than a reset.
 */
function reject(request: IncomingMessage, response: ServerResponse, status: number, body: HttpBody): void {
  if (!request.complete) {
    response.setHeader('Connection', 'close');
    let drained = 0;
    request.on('data', (chunk: Buffer) => {
      drained += chunk.length;
      if (drained > MAX_DRAIN_BYTES) request.destroy();
    });
    request.resume();
  }
  send(response, status, body);
}

/** Bytes of an unwanted body read before the connection is cut. */
const MAX_DRAIN_BYTES = 16 * 1024 * 1024;

function send(response: ServerResponse, status: number, body: HttpBody): void {
  response.statusCode = status;
  response.setHeader('Content-Type', body.contentType);
  response.setHeader('Content-Length', String(body.bytes.byteLength));
  response.end(body.bytes);
}
