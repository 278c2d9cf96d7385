// `spanlens serve`: the extension's OTLP receiver and trace store without VS Code, for CI pipelines and
// headless machines. Collect traces while a test suite runs, then read them with `get`/`search --store`
// or open the directory in the editor.

import { logVerbosity, setLogVerbosity } from '@grpc/grpc-js';
import type { ReceiverAddresses, ReceiverStats } from '../core/receiver/otlpReceiver';
import { DEFAULT_GRPC_PORT, DEFAULT_HTTP_PORT, DEFAULT_RECEIVER_HOST, hostForUrl, OtlpReceiver } from '../core/receiver/otlpReceiver';
import { ReceiverError } from '../core/receiver/receiverError';
import { OtlpWorkerClient } from '../core/otlpWorker/otlpWorkerClient';
import { DEFAULT_MAX_SPANS, LocalTraceStore } from '../core/store/localTraceStore';
import type { StoreStats } from '../core/store/localTraceStore';
import { StoreError } from '../core/store/storeError';
import { parseCommandArguments } from './cliArguments';
import { CliFailure, CliUsageError, EXIT_OK } from './cliCommand';
import type { CliCommand, CliIo } from './cliCommand';
import { otlpWorkerScript } from './otlpWorkerScript';
import { DEFAULT_MAX_MB, SERVE_OPTIONS, serveSettings } from './serveSettings';
import type { ServeSettings } from './serveSettings';
import { StopSignals } from './stopSignals';

const HELP = `Usage: spanlens serve [--port ${DEFAULT_HTTP_PORT}] [--grpc-port ${DEFAULT_GRPC_PORT}] [--store DIR] [options]

Runs the OTLP receiver and trace store of the SpanLens extension without VS Code, e.g. while a test
suite runs in CI. Point applications at it (OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:${DEFAULT_HTTP_PORT}), then
read the traces with 'spanlens get/search --store DIR', or open DIR in VS Code with "SpanLens: Open
Trace Store…". Prints one line once it listens. Ctrl+C (SIGINT) or SIGTERM stops it after writing
everything received to DIR.

Options:
  --port PORT        OTLP/HTTP port (default ${DEFAULT_HTTP_PORT}); 0 picks a free one; off turns OTLP/HTTP off
  --grpc-port PORT   OTLP/gRPC port (default ${DEFAULT_GRPC_PORT}); 0 picks a free one; off turns OTLP/gRPC off
  --host ADDRESS     Address to listen on (default ${DEFAULT_RECEIVER_HOST}: this machine only; 0.0.0.0 for
                     every network interface)
  --store DIR        Keep the traces in DIR, created if needed, adding to what it holds; without it they
                     are kept in memory only and lost when serve stops
  --max-spans N      Most spans to keep; the oldest traces are evicted first (default ${DEFAULT_MAX_SPANS})
  --max-mb N         Most MiB of span data to keep, in memory and in DIR (default ${DEFAULT_MAX_MB})
  -h, --help         Show this help
`;

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'Run the OTLP receiver and trace store without VS Code, for CI and headless machines',
  help: HELP,
  run: runServe,
};

async function runServe(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArguments('serve', args, { ...SERVE_OPTIONS, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    io.stdout(HELP);
    return EXIT_OK;
  }
  if (positionals.length > 0) throw new CliUsageError(`unexpected argument "${positionals[0]}"`, 'serve');
  const settings = serveSettings(values);
  const workerPath = otlpWorkerScript(process.env);
  quietGrpcLog(process.env);
  const warn = (message: string): void => io.stderr(`spanlens: warning: ${oneLine(message)}\n`);

  // Listening from the start, so a signal during a long replay still ends in a clean close.
  const stop = new StopSignals();
  const worker = new OtlpWorkerClient({ workerPath });
  let store: LocalTraceStore | undefined;
  let receiver: OtlpReceiver | undefined;
  try {
    store = await openStore(settings, worker, warn);
    if (stop.signal !== undefined) return EXIT_OK;
    receiver = new OtlpReceiver({ sink: store, processor: worker, host: settings.host, httpPort: settings.httpPort, grpcPort: settings.grpcPort });
    receiver.onError((error) => warn(`the receiver failed a request: ${error instanceof Error ? error.message : String(error)}`));
    const addresses = await startReceiver(receiver);
    io.stdout(`${listeningLine(addresses, settings.storeDirectory, store.stats())}\n`);
    await stop.stopped;
    // In-flight requests are answered (and stored) before the store closes.
    await receiver.stop();
    const received = receiver.stats();
    await store.close();
    io.stderr(`${stoppedLine(received, settings.storeDirectory, store.stats())}\n`);
    return EXIT_OK;
  } finally {
    await receiver?.stop();
    await store?.close();
    await worker.close();
    stop.dispose();
  }
}

/**
 * grpc-js logs its own line for a failed bind ("No address added…") before the receiver's clearer one;
 * GRPC_VERBOSITY / GRPC_NODE_VERBOSITY still turn its log on for debugging.
 */
function quietGrpcLog(env: NodeJS.ProcessEnv): void {
  if ((env.GRPC_NODE_VERBOSITY ?? env.GRPC_VERBOSITY ?? '') === '') setLogVerbosity(logVerbosity.NONE);
}

async function openStore(settings: ServeSettings, worker: OtlpWorkerClient, warn: (message: string) => void): Promise<LocalTraceStore> {
  try {
    return await LocalTraceStore.open({
      directory: settings.storeDirectory,
      maxSpans: settings.maxSpans,
      maxBytes: settings.maxBytes,
      decoder: worker,
      onWarning: warn,
    });
  } catch (error) {
    if (error instanceof StoreError) throw new CliFailure(error.message);
    throw error;
  }
}

async function startReceiver(receiver: OtlpReceiver): Promise<ReceiverAddresses> {
  try {
    return await receiver.start();
  } catch (error) {
    if (!(error instanceof ReceiverError)) throw error;
    const flag = error.protocol === 'grpc' ? '--grpc-port' : '--port';
    switch (error.kind) {
      case 'portInUse':
        throw new CliFailure(`${error.message}; choose another with ${flag} PORT (0 picks a free one)`);
      case 'permissionDenied':
        throw new CliFailure(`${error.message}; choose a port above 1023 with ${flag} PORT`);
      case 'addressUnavailable':
        throw new CliFailure(`${error.message}; change --host`);
      case 'invalidOptions':
        throw new CliUsageError(error.message, 'serve');
      default:
        throw new CliFailure(error.message);
    }
  }
}

/** e.g. `spanlens: listening on http://127.0.0.1:4318 (OTLP/HTTP) and 127.0.0.1:4317 (OTLP/gRPC), storing to /ci/traces` */
function listeningLine(addresses: ReceiverAddresses, directory: string | undefined, stats: StoreStats): string {
  const endpoints = [
    addresses.http === undefined ? '' : `http://${hostForUrl(addresses.http.host)}:${addresses.http.port} (OTLP/HTTP)`,
    addresses.grpc === undefined ? '' : `${hostForUrl(addresses.grpc.host)}:${addresses.grpc.port} (OTLP/gRPC)`,
  ].filter((text) => text !== '');
  const held = stats.spans === 0 ? '' : ` (holding ${count(stats.spans, 'span')} in ${count(stats.traces, 'trace')} already)`;
  const where = directory === undefined ? 'keeping traces in memory only (--store DIR keeps them)' : `storing to ${directory}${held}`;
  return `spanlens: listening on ${endpoints.join(' and ')}, ${where}`;
}

/** e.g. `spanlens: stopped after receiving 5 spans (2 requests); /ci/traces holds 5 spans in 1 trace` */
function stoppedLine(received: ReceiverStats, directory: string | undefined, stats: StoreStats): string {
  const details = [count(received.requests, 'request')];
  if (received.rejectedSpans > 0) details.push(`${count(received.rejectedSpans, 'span')} rejected`);
  if (received.refusedRequests > 0) details.push(`${count(received.refusedRequests, 'request')} refused as malformed or too large`);
  const evicted = stats.evictedSpans === 0 ? '' : ` (${count(stats.evictedSpans, 'older span')} evicted)`;
  const kept = directory === undefined ? 'they were kept in memory only' : `${directory} holds ${count(stats.spans, 'span')} in ${count(stats.traces, 'trace')}${evicted}`;
  return `spanlens: stopped after receiving ${count(received.acceptedSpans, 'span')} (${details.join(', ')}); ${kept}`;
}

function count(value: number, noun: string): string {
  return `${value} ${noun}${value === 1 ? '' : 's'}`;
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ');
}
