// `spanlens search --backend TYPE --url URL [filters]` (or `--store DIR`): the traces a backend finds, one per
// line or as JSON.

import { parseDurationInput } from '../core/backends/durations';
import { BACKEND_LABELS } from '../core/backends/traceBackend';
import type { TraceBackend, TraceQuery } from '../core/backends/traceBackend';
import { DEFAULT_SEARCH_LIMIT } from '../core/backends/traceQueryParts';
import { NANOS_PER_MILLI } from '../core/model/time';
import { BACKEND_OPTIONS, BACKEND_OPTIONS_HELP, openBackend } from './backendOptions';
import { runBackendRequest } from './backendRequest';
import { parseCommandArguments } from './cliArguments';
import { CliUsageError, EXIT_OK } from './cliCommand';
import type { CliCommand, CliIo } from './cliCommand';
import { searchResultText, searchRowJson } from './searchResultOutput';

const HELP = `Usage: spanlens search --backend TYPE --url URL [options]
       spanlens search --store DIR [options]

Searches a Jaeger, Zipkin or Tempo server, or a trace store directory, and prints the traces it finds,
newest first, one per line: trace ID, start time, duration, spans, error spans and root span
("service: name").

Options:
  --service NAME           Only traces with spans of this service (Jaeger needs one)
  --operation NAME         Only traces with a span of this name
  --attribute KEY=VALUE    Only traces with a span carrying this attribute (tag); may repeat
  --min-duration DURATION  Only traces with a span at least this long, e.g. 100ms, 1.5s
  --max-duration DURATION  Only traces with a span at most this long
  --lookback DURATION      How far back from now to search (default 1h)
  --traceql QUERY          A TraceQL query instead of the filters above (Tempo)
  --limit N                Most traces to list (default ${DEFAULT_SEARCH_LIMIT})
  --json                   Print a JSON array of {traceId, rootName, durationMs, spans, errors,
                           startTime}; null where the backend does not report a value
  -h, --help               Show this help

${BACKEND_OPTIONS_HELP}`;

export const searchCommand: CliCommand = {
  name: 'search',
  summary: 'Search Jaeger, Zipkin or Tempo, or a trace store, by service, span, attribute, duration or TraceQL',
  help: HELP,
  run: runSearch,
};

interface SearchFlags {
  readonly service?: string;
  readonly operation?: string;
  readonly attribute?: readonly string[];
  readonly 'min-duration'?: string;
  readonly 'max-duration'?: string;
  readonly lookback?: string;
  readonly traceql?: string;
  readonly limit?: string;
}

async function runSearch(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArguments('search', args, {
    ...BACKEND_OPTIONS,
    service: { type: 'string' },
    operation: { type: 'string' },
    attribute: { type: 'string', multiple: true },
    'min-duration': { type: 'string' },
    'max-duration': { type: 'string' },
    lookback: { type: 'string' },
    traceql: { type: 'string' },
    limit: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(HELP);
    return EXIT_OK;
  }
  if (positionals.length > 0) throw new CliUsageError(`unexpected argument "${positionals[0]}"`, 'search');
  const query = searchQuery(values);

  const backend = await openBackend('search', values, process.env, (warning) => io.stderr(`spanlens: warning: ${warning}\n`));
  const result = await runBackendRequest('search', backend, (signal) => {
    checkCapabilities(backend, query);
    return backend.searchTraces(query, { signal });
  });

  for (const warning of result.warnings) io.stderr(`spanlens: warning: ${warning}\n`);
  if (values.json) {
    io.stdout(`${JSON.stringify(result.summaries.map(searchRowJson))}\n`);
  } else if (result.summaries.length === 0) {
    io.stderr('spanlens: no traces found\n');
  } else {
    io.stdout(searchResultText(result.summaries));
  }
  return EXIT_OK;
}

function searchQuery(flags: SearchFlags): TraceQuery {
  const traceQL = flags.traceql?.trim();
  if (traceQL === '') throw new CliUsageError('--traceql needs a query', 'search');
  const attributes = attributeFlags(flags.attribute ?? []);
  const query: TraceQuery = {
    service: nonEmpty('--service', flags.service),
    operation: nonEmpty('--operation', flags.operation),
    attributes: Object.keys(attributes).length === 0 ? undefined : attributes,
    minDurationNano: durationFlag('--min-duration', flags['min-duration']),
    maxDurationNano: durationFlag('--max-duration', flags['max-duration']),
    lookbackMillis: lookbackFlag(flags.lookback),
    traceQL,
    limit: limitFlag(flags.limit),
  };
  if (query.minDurationNano !== undefined && query.maxDurationNano !== undefined && query.maxDurationNano < query.minDurationNano) {
    throw new CliUsageError('--max-duration is shorter than --min-duration', 'search');
  }
  if (traceQL !== undefined) {
    const filters = [
      query.service === undefined ? '' : '--service',
      query.operation === undefined ? '' : '--operation',
      query.attributes === undefined ? '' : '--attribute',
      query.minDurationNano === undefined ? '' : '--min-duration',
      query.maxDurationNano === undefined ? '' : '--max-duration',
    ].filter((flag) => flag !== '');
    if (filters.length > 0) {
      throw new CliUsageError(`--traceql replaces the other filters; put ${filters.join(', ')} into the query instead`, 'search');
    }
  }
  return query;
}

/** What the flags ask for against what this backend can do, before anything is sent. */
function checkCapabilities(backend: TraceBackend, query: TraceQuery): void {
  const label = BACKEND_LABELS[backend.type];
  const { capabilities } = backend;
  if (query.traceQL !== undefined && !capabilities.traceQL) {
    throw new CliUsageError(`--traceql needs a backend that runs TraceQL (tempo); ${label} does not`, 'search');
  }
  if (query.attributes !== undefined && !capabilities.attributeSearch) {
    throw new CliUsageError(`${label} cannot search by attribute; remove --attribute`, 'search');
  }
  if (capabilities.searchNeedsService && query.service === undefined && query.traceQL === undefined) {
    throw new CliUsageError(`${label} searches need --service NAME`, 'search');
  }
}

/** `--attribute key=value` flags; the first `=` separates, so values may hold more. */
function attributeFlags(flags: readonly string[]): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const flag of flags) {
    const equals = flag.indexOf('=');
    const key = equals === -1 ? '' : flag.slice(0, equals).trim();
    if (key === '') throw new CliUsageError(`--attribute "${flag}" is not of the form KEY=VALUE`, 'search');
    if (Object.hasOwn(attributes, key) && attributes[key] !== flag.slice(equals + 1)) {
      throw new CliUsageError(`--attribute ${key} is given twice with different values`, 'search');
    }
    attributes[key] = flag.slice(equals + 1);
  }
  return attributes;
}

function nonEmpty(flag: string, text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (trimmed === '') throw new CliUsageError(`${flag} needs a value`, 'search');
  return trimmed;
}

function durationFlag(flag: string, text: string | undefined): bigint | undefined {
  if (text === undefined) return undefined;
  const result = parseDurationInput(text);
  if (!result.ok) throw new CliUsageError(`${flag}: ${result.message}`, 'search');
  return result.nanos;
}

function lookbackFlag(text: string | undefined): number | undefined {
  const nanos = durationFlag('--lookback', text);
  if (nanos === undefined) return undefined;
  if (nanos < NANOS_PER_MILLI) throw new CliUsageError('--lookback must be at least 1ms', 'search');
  return Number(nanos / NANOS_PER_MILLI);
}

function limitFlag(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const limit = /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(limit) || limit <= 0) throw new CliUsageError(`--limit needs a positive whole number, not "${text}"`, 'search');
  return limit;
}
