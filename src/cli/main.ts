// The `spanlens` command line: a table of subcommands and one place that turns failures into exit codes.
// Bundled to dist/cli.js; also runnable directly with `node --import tsx src/cli/main.ts`.

import { version } from '../../package.json';
import { SUPPORTED_FORMATS_TEXT } from '../core/formats/detectFormat';
import { CliFailure, CliFileError, CliInterrupted, CliUsageError, EXIT_BAD_INPUT, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE } from './cliCommand';
import type { CliCommand, CliIo } from './cliCommand';
import { convertCommand } from './convertCommand';
import { getCommand } from './getCommand';
import { inspectCommand } from './inspectCommand';
import { searchCommand } from './searchCommand';
import { serveCommand } from './serveCommand';

/** Every subcommand; add new ones here. */
export const CLI_COMMANDS: readonly CliCommand[] = [inspectCommand, convertCommand, getCommand, searchCommand, serveCommand];

export const CLI_VERSION: string = version;

function mainHelp(): string {
  const width = Math.max(...CLI_COMMANDS.map((command) => command.name.length));
  const commands = CLI_COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`).join('\n');
  return `spanlens ${CLI_VERSION}: distributed traces from Jaeger, Zipkin, Tempo and OTLP files

Usage: spanlens <command> [options]

Commands:
${commands}

Options:
  -h, --help     Show this help; spanlens <command> --help shows a command's help
  -v, --version  Print the version

Reads ${SUPPORTED_FORMATS_TEXT}.
`;
}

/** Runs the CLI with the arguments after the program name; resolves to the process exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr(mainHelp());
    return EXIT_USAGE;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    const topic = first === 'help' ? rest[0] : undefined;
    const command = topic === undefined ? undefined : CLI_COMMANDS.find((candidate) => candidate.name === topic);
    io.stdout(command?.help ?? mainHelp());
    return EXIT_OK;
  }
  if (first === '--version' || first === '-v') {
    io.stdout(`${CLI_VERSION}\n`);
    return EXIT_OK;
  }
  const command = CLI_COMMANDS.find((candidate) => candidate.name === first);
  if (command === undefined) {
    const what = first.startsWith('-') ? `unknown option ${first}` : `unknown command "${first}"`;
    io.stderr(`spanlens: ${what}\nRun 'spanlens --help' for the list of commands.\n`);
    return EXIT_USAGE;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    return reportFailure(error, io);
  }
}

function reportFailure(error: unknown, io: CliIo): number {
  if (error instanceof CliUsageError) {
    const help = error.command === undefined ? 'spanlens --help' : `spanlens ${error.command} --help`;
    io.stderr(`spanlens: ${oneLine(error.message)}\nRun '${help}' for usage.\n`);
    return EXIT_USAGE;
  }
  if (error instanceof CliFileError) {
    io.stderr(`spanlens: ${oneLine(error.file)}: ${oneLine(error.reason)}\n`);
    return EXIT_BAD_INPUT;
  }
  if (error instanceof CliFailure) {
    io.stderr(`spanlens: ${oneLine(error.message)}\n`);
    return EXIT_BAD_INPUT;
  }
  if (error instanceof CliInterrupted) {
    io.stderr('spanlens: interrupted\n');
    return EXIT_INTERRUPTED;
  }
  // A bug, not bad input; still one line and a non-zero exit rather than a stack trace.
  io.stderr(`spanlens: internal error: ${oneLine(error instanceof Error ? error.message : String(error))}\n`);
  return EXIT_BAD_INPUT;
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ');
}

// Run when this file is the program (the bundle, or tsx), not when a test imports it.
if (typeof require !== 'undefined' && require.main === module) {
  const io: CliIo = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stdin: process.stdin,
  };
  void runCli(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}
