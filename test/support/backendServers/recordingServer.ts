// A node:http(s) server that records every request and lets a test replace the next responses for a path
// (errors, stalls, oversized or compressed bodies). The fake backends are built on it.

import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';

export interface RecordedRequest {
  readonly method: string;
  /** Path without query, percent-decoding left to the handler. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Lowercased names, as Node reports them. */
  readonly headers: IncomingMessage['headers'];
  /** Remote port of the socket; equal across requests when the client reused the connection. */
  readonly remotePort: number;
  readonly url: string;
}

export type Handler = (request: RecordedRequest, response: ServerResponse, raw: IncomingMessage) => void | Promise<void>;

export interface Override {
  readonly match: string | RegExp | ((request: RecordedRequest) => boolean);
  readonly respond: Handler;
  /** How many requests it answers before the normal handler takes over again (default 1). */
  times?: number;
}

export interface RecordingServerOptions {
  readonly tls?: { readonly key: string | Buffer; readonly cert: string | Buffer };
  /** Gzip JSON bodies when the client accepts gzip, as Jaeger's and Tempo's Go servers do. */
  readonly compress?: boolean;
}

export interface RecordingServer {
  readonly url: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  /** Answers the next matching request(s) with `respond` instead of the normal handler. */
  override(match: Override['match'], respond: Handler, times?: number): void;
  /** Requests whose path equals `path`. */
  requestsTo(path: string): RecordedRequest[];
  close(): Promise<void>;
}

export async function startRecordingServer(handler: Handler, options: RecordingServerOptions = {}): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  const overrides: Override[] = [];
  const sockets = new Set<Socket>();

  const listener = (raw: IncomingMessage, response: ServerResponse): void => {
    const url = new URL(raw.url ?? '/', 'http://fake');
    const recorded: RecordedRequest = {
      method: raw.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: raw.headers,
      remotePort: raw.socket.remotePort ?? 0,
      url: raw.url ?? '/',
    };
    requests.push(recorded);
    const index = overrides.findIndex((item) => matches(item.match, recorded));
    let respond = handler;
    if (index !== -1) {
      const override = overrides[index];
      respond = override.respond;
      override.times = (override.times ?? 1) - 1;
      if (override.times <= 0) overrides.splice(index, 1);
    }
    Promise.resolve(respond(recorded, response, raw)).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(`fake server failure: ${String(error)}`);
    });
  };

  const server: Server = options.tls === undefined ? createHttpServer(listener) : createHttpsServer(options.tls, listener);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  if (options.compress === true) compressJsonResponses(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const scheme = options.tls === undefined ? 'http' : 'https';
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    port,
    requests,
    override(match, respond, times = 1) {
      overrides.push({ match, respond, times });
    },
    requestsTo(path) {
      return requests.filter((request) => request.path === path);
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function matches(match: Override['match'], request: RecordedRequest): boolean {
  if (typeof match === 'string') return request.path === match;
  if (match instanceof RegExp) return match.test(request.path);
  return match(request);
}

/**
 * Wraps `end` so a JSON body goes out gzip-compressed when the request accepts gzip. Handlers stay unaware,
 * like handlers behind Go's gzip middleware.
 */
function compressJsonResponses(server: Server): void {
  server.prependListener('request', (raw: IncomingMessage, response: ServerResponse) => {
    const accepts = /\bgzip\b/.test(String(raw.headers['accept-encoding'] ?? ''));
    if (!accepts) return;
    const end = response.end.bind(response) as (body?: string | Buffer) => ServerResponse;
    (response as { end: (body?: string | Buffer) => ServerResponse }).end = (body?: string | Buffer) => {
      const type = String(response.getHeader('content-type') ?? '');
      if (body === undefined || !type.includes('json') || response.headersSent) return end(body);
      const compressed = gzipSync(typeof body === 'string' ? Buffer.from(body) : body);
      response.setHeader('content-encoding', 'gzip');
      response.setHeader('vary', 'Accept-Encoding');
      response.setHeader('content-length', compressed.length);
      return end(compressed);
    };
  });
}

/** Writes a complete response. */
export function send(response: ServerResponse, status: number, body: string | Buffer, contentType: string, headers: Record<string, string> = {}): void {
  response.setHeader('content-type', contentType);
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  response.statusCode = status;
  response.end(body);
}

export function sendJson(response: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  send(response, status, typeof value === 'string' ? value : JSON.stringify(value), 'application/json', headers);
}

/** Go's http.Error: text/plain, nosniff, trailing newline, whatever the body holds. */
export function sendGoError(response: ServerResponse, status: number, body: string): void {
  send(response, status, `${body}\n`, 'text/plain; charset=utf-8', { 'x-content-type-options': 'nosniff' });
}
