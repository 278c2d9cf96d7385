// An HTTP proxy that forwards absolute-form requests (http:// targets) and tunnels CONNECT requests
// (https:// targets), as undici's ProxyAgent sends them, and records each one.

import { createServer, request as forward } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';

export interface ProxiedRecord {
  readonly method: string;
  /** `host:port` asked for. */
  readonly target: string;
  /** The absolute URL of a forwarded request; undefined for CONNECT. */
  readonly url: string | undefined;
  readonly headers: IncomingHttpHeaders;
}

export interface ForwardProxy {
  readonly url: string;
  readonly records: ProxiedRecord[];
  close(): Promise<void>;
}

const AUTH_REQUIRED = 'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="proxy"\r\nContent-Length: 0\r\n\r\n';

/** With `requireProxyAuthorization`, requests without that exact Proxy-Authorization get 407. */
export async function startForwardProxy(options: { requireProxyAuthorization?: string } = {}): Promise<ForwardProxy> {
  const records: ProxiedRecord[] = [];
  const sockets = new Set<Socket>();
  const authorized = (headers: IncomingHttpHeaders): boolean =>
    options.requireProxyAuthorization === undefined || headers['proxy-authorization'] === options.requireProxyAuthorization;

  const server = createServer((request, response) => {
    const target = new URL(request.url ?? '/');
    records.push({ method: request.method ?? 'GET', target: target.host, url: target.toString(), headers: request.headers });
    if (!authorized(request.headers)) {
      response.writeHead(407, { 'proxy-authenticate': 'Basic realm="proxy"', 'content-length': '0' });
      response.end();
      return;
    }
    const headers = { ...request.headers };
    delete headers['proxy-authorization'];
    const upstream = forward(target, { method: request.method, headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    upstream.on('error', () => {
      response.writeHead(502, { 'content-type': 'text/plain' });
      response.end('upstream unreachable');
    });
    request.pipe(upstream);
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('connect', (request, clientSocket: Socket, head: Buffer) => {
    const target = request.url ?? '';
    records.push({ method: 'CONNECT', target, url: undefined, headers: request.headers });
    if (!authorized(request.headers)) {
      clientSocket.end(AUTH_REQUIRED);
      return;
    }
    const [host, port] = target.split(':');
    const upstream = connect(Number(port), host, () => {
      clientSocket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(clientSocket);
      clientSocket.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => clientSocket.destroy());
    clientSocket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    records,
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
