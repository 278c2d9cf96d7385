// A TCP connect to the OTLP endpoint before any load. The exporters retry a refused connection for up to their
// timeout, so without this a missing receiver would look like a hang.

import * as net from 'node:net';

/** Resolves to undefined when something accepts connections at `url`'s host and port, else to why not. */
export function probeEndpoint(url: URL, timeoutMillis: number): Promise<string | undefined> {
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(timeoutMillis);
    socket.once('connect', () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(`no answer from ${host}:${port} within ${timeoutMillis} ms`);
    });
    socket.once('error', (error) => resolve(error.message));
  });
}
