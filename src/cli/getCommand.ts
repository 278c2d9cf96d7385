// `spanlens get TRACE_ID --backend TYPE --url URL` (or `--store DIR`): one trace from a backend, as OTLP JSON
// or its summary.

import { parseTraceIdInput } from '../core/backends/traceIdInput';
import { OtlpWriteError, writeOtlpJson } from '../core/formats/otlpJsonWriter';
import type { Trace } from '../core/model/trace';
import { summarizeTraces } from '../core/model/traceSummary';
import { BACKEND_OPTIONS, BACKEND_OPTIONS_HELP, openBackend } from './backendOptions';
import { runBackendRequest } from './backendRequest';
import { parseCommandArguments } from './cliArguments';
import { CliFailure, CliUsageError, EXIT_OK } from './cliCommand';
import type { CliCommand, CliIo } from './cliCommand';
import { checkOutPath, writeCommandOutput } from './commandOutput';
import { traceSummaryJson } from './traceSummaryOutput';

const HELP = `Usage: spanlens get TRACE_ID --backend TYPE --url URL [options]
       spanlens get TRACE_ID --store DIR [options]

Fetches one trace from a Jaeger, Zipkin or Tempo server, or from a trace store directory, and writes it
as OTLP JSON.
TRACE_ID is 16 or 32 hex digits, or a W3C traceparent header value.

Options:
  -o, --out FILE           Write the trace to FILE instead of standard output
  --json                   Print the summary of 'spanlens inspect --json' instead of the trace
                           (with --out, the trace still goes to FILE)
  -h, --help               Show this help

${BACKEND_OPTIONS_HELP}`;

export const getCommand: CliCommand = {
  name: 'get',
  summary: 'Fetch a trace by ID from Jaeger, Zipkin, Tempo or a trace store as OTLP JSON',
  help: HELP,
  run: runGet,
};

async function runGet(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArguments('get', args, {
    ...BACKEND_OPTIONS,
    out: { type: 'string', short: 'o' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(HELP);
    return EXIT_OK;
  }
  if (positionals.length === 0) throw new CliUsageError('missing TRACE_ID', 'get');
  if (positionals.length > 1) throw new CliUsageError(`expected one TRACE_ID, got ${positionals.length}`, 'get');
  const input = parseTraceIdInput(positionals[0]);
  if (!input.ok) throw new CliUsageError(input.message, 'get');
  checkOutPath('get', values.out);

  const backend = await openBackend('get', values, process.env, (warning) => io.stderr(`spanlens: warning: ${warning}\n`));
  const fetched = await runBackendRequest('get', backend, (signal) => backend.getTrace(input.traceId, { signal }));

  const wantsTrace = !values.json || values.out !== undefined;
  if (wantsTrace) await writeCommandOutput(values.out, otlpJsonText(fetched.trace), io);
  if (values.json) {
    const summary = summarizeTraces({ format: fetched.format, traces: [fetched.trace], warnings: fetched.warnings });
    io.stdout(`${JSON.stringify(traceSummaryJson(summary))}\n`);
  } else {
    // With --json the warnings are part of the summary.
    for (const warning of fetched.warnings) io.stderr(`spanlens: warning: ${warning}\n`);
  }
  return EXIT_OK;
}

function otlpJsonText(trace: Trace): string {
  try {
    return `${writeOtlpJson([trace])}\n`;
  } catch (error) {
    if (!(error instanceof OtlpWriteError)) throw error;
    throw new CliFailure(`trace ${trace.traceId} cannot be written as OTLP JSON: ${error.message}`);
  }
}
