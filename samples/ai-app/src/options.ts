// Command-line flags, with the standard OTEL_EXPORTER_OTLP_* variables as fallbacks for where to export.

import { parseArgs } from 'node:util';

export type OtlpProtocol = 'http/protobuf' | 'http/json' | 'grpc';

export const OTLP_PROTOCOLS: readonly OtlpProtocol[] = ['http/protobuf', 'http/json', 'grpc'];

export interface Options {
  readonly help: boolean;
  /** `once`: send the requests, flush, exit. `loop`: keep sending until interrupted (or `requests` are sent). */
  readonly mode: 'once' | 'loop';
  /** How many requests to send; undefined with --loop means no limit. */
  readonly requests: number | undefined;
  readonly ratePerSecond: number;
  readonly concurrency: number;
  readonly protocol: OtlpProtocol;
  /** Where spans go: the full OTLP/HTTP traces URL, or the gRPC server's origin. */
  readonly exportUrl: string;
  readonly seed: number;
  /** Set: report source paths under this directory instead of the checkout's, e.g. `/app`. */
  readonly pathPrefix: string | undefined;
  /** Port of the sample's own HTTP server; 0 picks a free one. */
  readonly port: number;
  readonly timeScale: number;
}

/** A flag or variable the user got wrong; the message says which and how. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const DEFAULT_REQUESTS = 20;
const DEFAULT_HTTP_ENDPOINT = 'http://127.0.0.1:4318';
const DEFAULT_GRPC_ENDPOINT = 'http://127.0.0.1:4317';
const TRACES_PATH = '/v1/traces';

export const USAGE = `Usage: npm run sample -- [options]

Runs a simulated AI assistant (HTTP handler, retrieval with N+1 queries, reranking, LLM and tool calls),
drives it with its own requests, and exports the traces over OTLP.

  --once                 send --requests requests, flush the spans and exit (the default)
  --loop                 keep sending requests at --rate until Ctrl+C
  --requests N           how many requests to send (default ${DEFAULT_REQUESTS}; with --loop, stop after N)
  --rate R               requests per second with --loop (default 2)
  --concurrency N        requests in flight at once with --once (default 4)
  --endpoint URL         OTLP endpoint (default $OTEL_EXPORTER_OTLP_ENDPOINT, else ${DEFAULT_HTTP_ENDPOINT},
                         or ${DEFAULT_GRPC_ENDPOINT} for gRPC); /v1/traces is appended for HTTP
  --protocol P           ${OTLP_PROTOCOLS.join(' | ')} (default $OTEL_EXPORTER_OTLP_PROTOCOL, else http/protobuf)
  --seed N               seed for latencies and failures (default 42): the same seed, the same run
  --path-prefix DIR      report source paths under DIR, as from a container (default $AI_APP_PATH_PREFIX), e.g. /app
  --port N               port of the sample's own HTTP server on 127.0.0.1 (default: any free port)
  --time-scale F         multiply simulated latencies by F (default 1; 0.05 runs twenty times faster)
  -h, --help             show this help
`;

export function parseOptions(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Options {
  const values = readFlags(argv);
  // Help must show even when other flags or variables are wrong.
  if (values.help === true) return { ...parseOptions([], {}), help: true };
  if (values.once === true && values.loop === true) throw new UsageError('--once and --loop cannot be combined');
  const mode = values.loop === true ? 'loop' : 'once';
  const protocol = parseProtocol(values.protocol, env);
  return {
    help: false,
    mode,
    requests: values.requests === undefined ? (mode === 'once' ? DEFAULT_REQUESTS : undefined) : parseInteger('--requests', values.requests, 1, 1_000_000),
    ratePerSecond: values.rate === undefined ? 2 : parseNumber('--rate', values.rate, 0.01, 1000),
    concurrency: values.concurrency === undefined ? 4 : parseInteger('--concurrency', values.concurrency, 1, 64),
    protocol,
    exportUrl: exportUrl(protocol, values.endpoint, env),
    seed: values.seed === undefined ? 42 : parseInteger('--seed', values.seed, 0, 0xffffffff),
    pathPrefix: parsePathPrefix(values['path-prefix'] ?? env.AI_APP_PATH_PREFIX),
    port: values.port === undefined ? 0 : parseInteger('--port', values.port, 0, 65535),
    timeScale: values['time-scale'] === undefined ? 1 : parseNumber('--time-scale', values['time-scale'], 0.001, 100),
  };
}

function readFlags(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        once: { type: 'boolean' },
        loop: { type: 'boolean' },
        requests: { type: 'string' },
        rate: { type: 'string' },
        concurrency: { type: 'string' },
        endpoint: { type: 'string' },
        protocol: { type: 'string' },
        seed: { type: 'string' },
        'path-prefix': { type: 'string' },
        port: { type: 'string' },
        'time-scale': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    // parseArgs says what was wrong (unknown option, missing value) in words a user understands.
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function parseProtocol(flag: string | undefined, env: Readonly<Record<string, string | undefined>>): OtlpProtocol {
  const [source, value] =
    flag !== undefined
      ? ['--protocol', flag]
      : env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL
        ? ['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL]
        : env.OTEL_EXPORTER_OTLP_PROTOCOL
          ? ['OTEL_EXPORTER_OTLP_PROTOCOL', env.OTEL_EXPORTER_OTLP_PROTOCOL]
          : ['', 'http/protobuf'];
  const protocol = OTLP_PROTOCOLS.find((candidate) => candidate === value.trim());
  if (protocol === undefined) throw new UsageError(`${source} must be one of ${OTLP_PROTOCOLS.join(', ')}, not "${value}"`);
  return protocol;
}

function exportUrl(protocol: OtlpProtocol, flag: string | undefined, env: Readonly<Record<string, string | undefined>>): string {
  const url = exportUrlFor(protocol !== 'grpc', flag, env);
  return protocol === 'grpc' ? url.origin : url.href;
}

/** Follows the OTLP exporter spec: the signal-specific variable is used as is, the general one gets /v1/traces. */
function exportUrlFor(isHttp: boolean, flag: string | undefined, env: Readonly<Record<string, string | undefined>>): URL {
  if (flag !== undefined) return withTracesPath(parseUrl('--endpoint', flag), isHttp);
  if (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return parseUrl('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT) return withTracesPath(parseUrl('OTEL_EXPORTER_OTLP_ENDPOINT', env.OTEL_EXPORTER_OTLP_ENDPOINT), isHttp);
  return withTracesPath(new URL(isHttp ? DEFAULT_HTTP_ENDPOINT : DEFAULT_GRPC_ENDPOINT), isHttp);
}

function withTracesPath(base: URL, isHttp: boolean): URL {
  if (!isHttp || base.pathname.endsWith(TRACES_PATH)) return base;
  const url = new URL(base.href);
  url.pathname = base.pathname.replace(/\/+$/, '') + TRACES_PATH;
  return url;
}

function parseUrl(source: string, text: string): URL {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new UsageError(`${source} must be a URL such as ${DEFAULT_HTTP_ENDPOINT}, not "${text}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`${source} must be an http or https URL, not "${text}"`);
  return url;
}

function parsePathPrefix(text: string | undefined): string | undefined {
  if (text === undefined || text === '') return undefined;
  if (!text.startsWith('/')) throw new UsageError(`--path-prefix must be an absolute path such as /app, not "${text}"`);
  return text.length > 1 ? text.replace(/\/+$/, '') : text;
}

function parseInteger(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < min || value > max) throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, not "${text}"`);
  return value;
}

function parseNumber(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < min || value > max) throw new UsageError(`${flag} must be a number from ${min} to ${max}, not "${text}"`);
  return value;
}
