// Plain node:http requests with full control over method, headers and body framing, for receiver tests.

import { request } from 'node:http';

export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

export interface RawRequest {
  readonly method?: string;
  readonly path?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** One buffer (sent with Content-Length) or chunks (sent chunked). */
  readonly body?: Buffer | Uint8Array | readonly Buffer[];
}

export function sendRaw(baseUrl: string, options: RawRequest): Promise<RawResponse> {
  const url = new URL(options.path ?? '/v1/traces', baseUrl);
  return new Promise((resolve, reject) => {
    const chunked = Array.isArray(options.body);
    const single = chunked ? undefined : (options.body as Buffer | Uint8Array | undefined);
    const req = request(url, {
      method: options.method ?? 'POST',
      headers: { ...(single === undefined ? {} : { 'content-length': String(single.byteLength) }), ...options.headers },
      agent: false,
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    // The receiver may answer and close before taking the whole body; the answer is what counts.
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    if (chunked) {
      for (const chunk of options.body as readonly Buffer[]) req.write(chunk);
      req.end();
    } else {
      req.end(single);
    }
  });
}
