// `spanlens convert FILE --to otlp-json [--out FILE]`: rewrite a trace file in another format.

import { OtlpWriteError, writeOtlpJson } from '../core/formats/otlpJsonWriter';
import type { Trace } from '../core/model/trace';
import { parseCommandArguments, singleFile } from './cliArguments';
import { CliFileError, CliUsageError, EXIT_OK } from './cliCommand';
import type { CliCommand, CliIo } from './cliCommand';
import { checkOutPath, writeCommandOutput } from './commandOutput';
import { displayName, readTraceInput } from './readTraceInput';

/** Output formats by their --to name. */
const WRITERS: Readonly<Record<string, (traces: readonly Trace[]) => string>> = {
  'otlp-json': writeOtlpJson,
};

const TARGETS = Object.keys(WRITERS).join(', ');

const HELP = `Usage: spanlens convert FILE --to FORMAT [--out FILE]

Reads a trace file in any supported format and writes it as FORMAT.
FILE may be - for standard input.

Options:
  --to FORMAT     Output format: ${TARGETS}
  -o, --out FILE  Write to FILE instead of standard output
  -h, --help      Show this help
`;

export const convertCommand: CliCommand = {
  name: 'convert',
  summary: `Convert a trace file to another format (${TARGETS})`,
  help: HELP,
  run: runConvert,
};

async function runConvert(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArguments('convert', args, {
    to: { type: 'string' },
    out: { type: 'string', short: 'o' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(HELP);
    return EXIT_OK;
  }
  const file = singleFile('convert', positionals);
  if (values.to === undefined) throw new CliUsageError(`missing --to FORMAT (supported: ${TARGETS})`, 'convert');
  const writer = Object.hasOwn(WRITERS, values.to) ? WRITERS[values.to] : undefined;
  if (writer === undefined) throw new CliUsageError(`unsupported --to format "${values.to}" (supported: ${TARGETS})`, 'convert');
  checkOutPath('convert', values.out);

  const parsed = await readTraceInput(file, io);
  let output: string;
  try {
    output = `${writer(parsed.traces)}\n`;
  } catch (error) {
    if (!(error instanceof OtlpWriteError)) throw error;
    throw new CliFileError(displayName(file), `cannot be written as ${values.to}: ${error.message}`);
  }
  await writeCommandOutput(values.out, output, io);
  for (const warning of parsed.warnings) io.stderr(`spanlens: warning: ${warning}\n`);
  return EXIT_OK;
}
