// `spanlens inspect FILE [--json]`: what a trace file holds, in numbers.

import { TRACE_FORMAT_LABELS } from '../core/formats/detectFormat';
import { summarizeTraces } from '../core/model/traceSummary';
import type { TraceSummary } from '../core/model/traceSummary';
import { parseCommandArguments, singleFile } from './cliArguments';
import { EXIT_OK } from './cliCommand';
import type { CliCommand, CliIo } from './cliCommand';
import { displayName, readTraceInput } from './readTraceInput';

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
  io.stdout(values.json ? `${JSON.stringify(summaryJson(summary))}\n` : summaryText(displayName(file), summary));
  return EXIT_OK;
}

/** Exactly the documented keys, in the documented order, whatever else a summary may grow. */
function summaryJson(summary: TraceSummary): Record<string, unknown> {
  return {
    format: summary.format,
    traces: summary.traces,
    spans: summary.spans,
    services: summary.services,
    roots: summary.roots,
    maxDepth: summary.maxDepth,
    errors: summary.errors,
    warnings: [...summary.warnings],
  };
}

function summaryText(file: string, summary: TraceSummary): string {
  const rows: [string, string][] = [
    ['format', `${TRACE_FORMAT_LABELS[summary.format]} (${summary.format})`],
    ['traces', String(summary.traces)],
    ['spans', String(summary.spans)],
    ['services', String(summary.services)],
    ['root spans', String(summary.roots)],
    ['max depth', String(summary.maxDepth)],
    ['error spans', String(summary.errors)],
    ['warnings', summary.warnings.length === 0 ? 'none' : String(summary.warnings.length)],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = [file, ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`)];
  for (const warning of summary.warnings) lines.push(`    - ${warning}`);
  return `${lines.join('\n')}\n`;
}
