// The embedded OTLP receiver: OTLP/HTTP on 4318 and OTLP/gRPC on 4317, on loopback unless told otherwise.
// Requests are decoded on the OTLP processor (a worker thread) and stored in the trace sink. Starting fails
// with a ReceiverError the editor can act on (port in use: offer another); once started, nothing a client
// sends brings it down.

import { createServer } from 'node:http';
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import type { Disposable } from '../events/listeners';
import { Listeners } from '../events/listeners';
import type { PayloadEncoding } from '../otlp/decodeOtlpPayload';
import type { OtlpProcessor } from '../otlpWorker/otlpProcessor';
import type { ExportOutcome, TraceSink } from './exportTraces';
import { createOtlpGrpcServer } from './otlpGrpcService';
import { createOtlpHttpHandler } from './otlpHttpHandler';
import type { ReceiverProtocol } from './receiverError';
import { listenError, ReceiverError } from './receiverError';

export const DEFAULT_RECEIVER_HOST = '127.0.0.1';
export const DEFAULT_HTTP_PORT = 4318;
export const DEFAULT_GRPC_PORT = 4317;
/** The OTLP spec's suggested request limit. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

export interface OtlpReceiverOptions {
  readonly sink: TraceSink;
  readonly processor: OtlpProcessor;
  /** Bind address; default 127.0.0.1 (loopback only). */
  readonly host?: string;
  /** Default 4318; 0 picks a free port; null leaves OTLP/HTTP off. */
  readonly httpPort?: number | null;
  /** Default 4317; 0 picks a free port; null leaves OTLP/gRPC off. */
  readonly grpcPort?: number | null;
  /** Largest request body as sent; default 64 MiB. */
  readonly maxBodyBytes?: number;
  /** Largest request after decompression; default 64 MiB. */
  readonly maxDecompressedBytes?: number;
}

export interface ReceiverEndpoint {
  readonly host: string;
  readonly port: number;
  /** What clients put in OTEL_EXPORTER_OTLP_ENDPOINT, e.g. `http://127.0.0.1:4318`. */
  readonly url: string;
}

export interface ReceiverAddresses {
  readonly http: ReceiverEndpoint | undefined;
  readonly grpc: ReceiverEndpoint | undefined;
}

export interface ExportEvent {
  readonly protocol: ReceiverProtocol;
  readonly encoding: PayloadEncoding;
  readonly outcome: ExportOutcome;
}

export interface ReceiverStats {
  /** Export requests that reached the decoder. */
  readonly requests: number;
  readonly acceptedSpans: number;
  /** Spans answered as rejected in a partial success (invalid, or no room in the store). */
  readonly rejectedSpans: number;
  /** Export requests refused: not OTLP, too large, or of a content type or encoding not taken. */
  readonly refusedRequests: number;
  /** Requests turned away with 429 / UNAVAILABLE because the decoder was busy or failing. */
  readonly deferredRequests: number;
}

/** The receiver uses, but does not own, the processor and the sink: close them after stop(). */
export class OtlpReceiver {
  private httpServer: HttpServer | undefined;
  private grpcServer: grpc.Server | undefined;
  private current: ReceiverAddresses | undefined;
  private starting: Promise<ReceiverAddresses> | undefined;
  private readonly exports = new Listeners<ExportEvent>();
  private readonly errors = new Listeners<unknown>();
  private readonly counts = { requests: 0, acceptedSpans: 0, rejectedSpans: 0, refusedRequests: 0, deferredRequests: 0 };
  private readonly host: string;
  private readonly maxBodyBytes: number;
  private readonly maxDecompressedBytes: number;

  constructor(private readonly options: OtlpReceiverOptions) {
    this.host = options.host?.trim() || DEFAULT_RECEIVER_HOST;
    this.maxBodyBytes = checkedLimit(options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, 'maxBodyBytes');
    this.maxDecompressedBytes = checkedLimit(options.maxDecompressedBytes ?? DEFAULT_MAX_BODY_BYTES, 'maxDecompressedBytes');
    for (const [name, port] of [['httpPort', options.httpPort], ['grpcPort', options.grpcPort]] as const) {
      if (port !== undefined && port !== null && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
        throw new ReceiverError('invalidOptions', `${name} must be a port number from 0 to 65535, not ${port}`);
      }
    }
  }

  /** Where it listens, once started. */
  get addresses(): ReceiverAddresses | undefined {
    return this.current;
  }

  get running(): boolean {
    return this.current !== undefined;
  }

  stats(): ReceiverStats {
    return { ...this.counts };
  }

  /** Every export request that reached the decoder, with how it was answered. */
  onDidExport(listener: (event: ExportEvent) => void): Disposable {
    return this.exports.add(listener);
  }

  /** Failures of the receiver itself (bugs, server errors) after it started; clients got 500 / INTERNAL. */
  onError(listener: (error: unknown) => void): Disposable {
    return this.errors.add(listener);
  }

  /** Listens on the configured ports; throws ReceiverError and leaves nothing listening if one fails. */
  start(): Promise<ReceiverAddresses> {
    if (this.current !== undefined) return Promise.resolve(this.current);
    this.starting ??= this.listen().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  /** Stops listening; requests in progress are answered first (for up to `graceMillis`). */
  async stop(graceMillis = 2000): Promise<void> {
    this.current = undefined;
    const httpServer = this.httpServer;
    const grpcServer = this.grpcServer;
    this.httpServer = undefined;
    this.grpcServer = undefined;
    await Promise.all([
      httpServer === undefined ? undefined : closeHttp(httpServer, graceMillis),
      grpcServer === undefined ? undefined : closeGrpc(grpcServer, graceMillis),
    ]);
  }

  private async listen(): Promise<ReceiverAddresses> {
    const httpPort = this.options.httpPort === undefined ? DEFAULT_HTTP_PORT : this.options.httpPort;
    const grpcPort = this.options.grpcPort === undefined ? DEFAULT_GRPC_PORT : this.options.grpcPort;
    try {
      const http = httpPort === null ? undefined : await this.startHttp(httpPort);
      const grpcEndpoint = grpcPort === null ? undefined : await this.startGrpc(grpcPort);
      this.current = { http, grpc: grpcEndpoint };
      return this.current;
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  private async startHttp(port: number): Promise<ReceiverEndpoint> {
    const server = createServer(
      { requestTimeout: 60_000, headersTimeout: 30_000 },
      createOtlpHttpHandler({
        processor: this.options.processor,
        sink: this.options.sink,
        maxBodyBytes: this.maxBodyBytes,
        maxDecompressedBytes: this.maxDecompressedBytes,
        onExport: (encoding, outcome) => this.record('http', encoding, outcome),
        onRefused: () => this.counts.refusedRequests++,
        onError: (error) => this.errors.fire(error),
      }),
    );
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error) => reject(listenError(error, 'http', this.host, port)));
      server.listen(port, this.host, () => resolve());
    });
    server.on('error', (error) => this.errors.fire(error));
    // A client that resets mid-request is its own problem.
    server.on('clientError', (_error, socket) => socket.destroy());
    this.httpServer = server;
    const actualPort = (server.address() as AddressInfo).port;
    return endpoint(this.host, actualPort);
  }

  private async startGrpc(port: number): Promise<ReceiverEndpoint> {
    const server = createOtlpGrpcServer({
      processor: this.options.processor,
      sink: this.options.sink,
      maxDecompressedBytes: this.maxDecompressedBytes,
      onExport: (outcome) => this.record('grpc', 'protobuf', outcome),
      onError: (error) => this.errors.fire(error),
    });
    this.grpcServer = server;
    const actualPort = await new Promise<number>((resolve, reject) => {
      server.bindAsync(`${hostForUrl(this.host)}:${port}`, grpc.ServerCredentials.createInsecure(), (error, bound) => {
        if (error !== null) reject(listenError(error, 'grpc', this.host, port));
        else resolve(bound);
      });
    });
    return endpoint(this.host, actualPort);
  }

  private record(protocol: ReceiverProtocol, encoding: PayloadEncoding, outcome: ExportOutcome): void {
    this.counts.requests++;
    if (outcome.kind === 'ok') {
      this.counts.acceptedSpans += outcome.acceptedSpans;
      this.counts.rejectedSpans += outcome.rejectedSpans;
    } else if (outcome.kind === 'malformed' || outcome.kind === 'tooLarge') {
      this.counts.refusedRequests++;
    } else {
      this.counts.deferredRequests++;
    }
    this.exports.fire({ protocol, encoding, outcome });
  }
}

/** `[::1]` for IPv6 literals, as URLs and gRPC targets write them. */
export function hostForUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

function endpoint(host: string, port: number): ReceiverEndpoint {
  // A wildcard bind is reached through loopback from this machine.
  const clientHost = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return { host, port, url: `http://${hostForUrl(clientHost)}:${port}` };
}

function checkedLimit(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new ReceiverError('invalidOptions', `${name} must be a positive whole number of bytes, not ${value}`);
  return value;
}

function closeHttp(server: HttpServer, graceMillis: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), graceMillis);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}

function closeGrpc(server: grpc.Server, graceMillis: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, graceMillis);
    timer.unref();
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

