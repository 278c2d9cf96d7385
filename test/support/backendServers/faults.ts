// Misbehaviour a test can put in front of any fake backend with `server.override(path, fault)`.

import { gzipSync } from 'node:zlib';
import type { Handler } from './recordingServer';
import { send } from './recordingServer';

/** Accepts the request and never answers (until the server closes). */
export function neverAnswer(): Handler {
  return () => undefined;
}

/** Sends headers and the start of a body, then goes quiet. */
export function stallBody(prefix = '{"result":'): Handler {
  return (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.write(prefix);
  };
}

/** Any status, body and headers. */
export function respond(status: number, body: string | Buffer, headers: Record<string, string> = {}): Handler {
  return (_request, response) => send(response, status, body, headers['content-type'] ?? 'text/plain; charset=utf-8', headers);
}

/** `Retry-After` with a status (429 or 503) and a plain-text body. */
export function retryLater(status: number, retryAfter: string | undefined, body = ''): Handler {
  return (_request, response) => send(response, status, body, 'text/plain; charset=utf-8', retryAfter === undefined ? {} : { 'retry-after': retryAfter });
}

/** A JSON body of at least `bytes` bytes, streamed without Content-Length when `chunked`. */
export function oversizedJson(bytes: number, chunked: boolean): Handler {
  return (_request, response) => {
    const filler = 'x'.repeat(Math.max(0, bytes - 20));
    const body = `{"filler":"${filler}"}`;
    if (chunked) {
      response.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
      const chunk = 64 * 1024;
      for (let i = 0; i < body.length; i += chunk) response.write(body.slice(i, i + chunk));
      response.end();
    } else {
      send(response, 200, body, 'application/json', { 'content-length': String(Buffer.byteLength(body)) });
    }
  };
}

/** A small gzip body that inflates to `bytes` bytes. */
export function gzipBomb(bytes: number): Handler {
  const compressed = gzipSync(Buffer.alloc(bytes, 0x20));
  return (_request, response) => send(response, 200, compressed, 'application/json', { 'content-encoding': 'gzip' });
}

/** A gzip header with a corrupt stream. */
export function corruptGzip(): Handler {
  const good = gzipSync(Buffer.from('{"services":["a"]}'));
  const bad = Buffer.concat([good.subarray(0, 12), Buffer.from('garbage-not-deflate'), good.subarray(good.length - 8)]);
  return (_request, response) => send(response, 200, bad, 'application/json', { 'content-encoding': 'gzip' });
}

export function redirect(status: number, location: string): Handler {
  return (_request, response) => send(response, status, '', 'text/plain', { location });
}

/** Closes the connection without an answer. */
export function resetConnection(): Handler {
  return (_request, _response, raw) => {
    raw.socket.destroy();
  };
}
