// `spanlens inspect FILE [--json]`: what a trace file holds, in numbers.

import { summarizeTraces } from '../core/model/traceSummary';
import { parseCommandArguments, singleFile } from './cliArguments';
import { EXIT_OK } from './cliCommand';
import type { CliCommand, CliIo } from './cliCommand';
import { displayName, readTraceInput } from './readTraceInput';
import { traceSummaryJson, traceSummaryText } from './traceSummaryOutput';

const HELP = `Usage: spanlens inspect FILE [--json]

Prints the format of a trace file and counts what it holds: traces, spans, distinct services,
root spans, the maximum depth of the span tree, spans with error status, and any warnings
from parsing. FILE may be - for standard input.

Options:
  --json      Print one JSON object with the keys format, traces, spans, services, roots,
              maxDepth, errors and warnings
  -h, --help  Show this help
`;

export const inspectCommand: CliCommand = {
  name: 'inspect',
  summary: 'Summarize a trace file: format, traces, spans, services, depth, errors',
  help: HELP,
  run: runInspect,
};

async function runInspect(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArguments('inspect', args, {
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(HELP);
    return EXIT_OK;
  }
  const file = singleFile('inspect', positionals);
  const summary = summarizeTraces(await readTraceInput(file, io));
  io.stdout(values.json ? `${JSON.stringify(traceSummaryJson(summary))}\n` : traceSummaryText(displayName(file), summary));
  return EXIT_OK;
}
