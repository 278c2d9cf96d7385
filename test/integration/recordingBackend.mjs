// A stand-in tracing backend for the untrusted-workspace pass: it answers every request 404 (as Jaeger's query
// service does for an unknown route or trace) and remembers each one, so the suite can tell which URLs SpanLens used.
import { createServer } from 'node:http';

/** GET this path for the requests received so far (JSON `[{ method, path }]`); it is not recorded itself. */
export const RECORDED_REQUESTS_PATH = '/__spanlens_test__/requests';

/**
 * Starts a recording backend on 127.0.0.1 (random port).
 * @returns {Promise<{ url: string, requests: { method: string, path: string }[], close: () => Promise<void> }>}
 */
export async function startRecordingBackend() {
  const requests = [];
  const server = createServer((request, response) => {
    const target = request.url ?? '/';
    if (request.method === 'GET' && target === RECORDED_REQUESTS_PATH) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(requests));
      return;
    }
    requests.push({ method: request.method ?? '?', path: target });
    request.resume();
    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    response.end('404 page not found\n');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
