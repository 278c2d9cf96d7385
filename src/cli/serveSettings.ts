// The flags of `spanlens serve`, checked and turned into what the receiver and the store take.

import { resolve } from 'node:path';
import { DEFAULT_GRPC_PORT, DEFAULT_HTTP_PORT, DEFAULT_RECEIVER_HOST } from '../core/receiver/otlpReceiver';
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_SPANS } from '../core/store/localTraceStore';
import { CliUsageError } from './cliCommand';

export const SERVE_OPTIONS = {
  port: { type: 'string' },
  'grpc-port': { type: 'string' },
  host: { type: 'string' },
  store: { type: 'string' },
  'max-spans': { type: 'string' },
  'max-mb': { type: 'string' },
} as const;

export interface ServeOptionValues {
  readonly port?: string;
  readonly 'grpc-port'?: string;
  readonly host?: string;
  readonly store?: string;
  readonly 'max-spans'?: string;
  readonly 'max-mb'?: string;
}

export interface ServeSettings {
  /** null: that protocol is off. */
  readonly httpPort: number | null;
  readonly grpcPort: number | null;
  readonly host: string;
  /** Absolute; undefined keeps the traces in memory only. */
  readonly storeDirectory: string | undefined;
  readonly maxSpans: number;
  readonly maxBytes: number;
}

const BYTES_PER_MB = 1024 * 1024;
export const DEFAULT_MAX_MB = DEFAULT_MAX_BYTES / BYTES_PER_MB;

export function serveSettings(values: ServeOptionValues): ServeSettings {
  const httpPort = portFlag('--port', values.port, DEFAULT_HTTP_PORT);
  const grpcPort = portFlag('--grpc-port', values['grpc-port'], DEFAULT_GRPC_PORT);
  if (httpPort === null && grpcPort === null) throw new CliUsageError('--port off and --grpc-port off leave nothing to listen on', 'serve');
  const host = values.host?.trim() ?? DEFAULT_RECEIVER_HOST;
  if (host === '') throw new CliUsageError('--host needs an address, e.g. 127.0.0.1 or 0.0.0.0', 'serve');
  const store = values.store;
  if (store !== undefined && store.trim() === '') throw new CliUsageError('--store needs a directory', 'serve');
  const maxSpans = wholeNumberFlag('--max-spans', values['max-spans']) ?? DEFAULT_MAX_SPANS;
  const maxBytes = Math.floor((positiveNumberFlag('--max-mb', values['max-mb']) ?? DEFAULT_MAX_MB) * BYTES_PER_MB);
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) throw new CliUsageError(`--max-mb ${values['max-mb']} is out of range`, 'serve');
  return { httpPort, grpcPort, host, storeDirectory: store === undefined ? undefined : resolve(store), maxSpans, maxBytes };
}

/** A port number, 0 for a free port, or `off`. */
function portFlag(flag: string, text: string | undefined, fallback: number): number | null {
  if (text === undefined) return fallback;
  const trimmed = text.trim().toLowerCase();
  if (trimmed === 'off') return null;
  const port = /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!(port >= 0 && port <= 65535)) throw new CliUsageError(`${flag} needs a port from 0 to 65535 (0 picks a free one) or off, not "${text}"`, 'serve');
  return port;
}

function wholeNumberFlag(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value <= 0) throw new CliUsageError(`${flag} needs a positive whole number, not "${text}"`, 'serve');
  return value;
}

function positiveNumberFlag(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = /^\s*\d+(\.\d+)?\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!(value > 0)) throw new CliUsageError(`${flag} needs a positive number, not "${text}"`, 'serve');
  return value;
}
