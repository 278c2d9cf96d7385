// What every subcommand of the `spanlens` CLI is made of, and how it reports failure. Commands throw;
// `runCli` turns the error into one stderr line and an exit code.

/** Where a command writes, and what it reads for the file name `-`. Tests pass their own. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly stdin?: AsyncIterable<string | Uint8Array>;
}

export interface CliCommand {
  readonly name: string;
  /** One line for the command list in `spanlens --help`. */
  readonly summary: string;
  /** The full text of `spanlens <name> --help`. */
  readonly help: string;
  /** Runs with the arguments after the command name; resolves to the exit code. */
  readonly run: (args: readonly string[], io: CliIo) => Promise<number>;
}

export const EXIT_OK = 0;
/** The input could not be read or parsed, or the output could not be written. */
export const EXIT_BAD_INPUT = 1;
/** The command line itself is wrong. */
export const EXIT_USAGE = 2;

/** The command line is wrong; printed with a pointer to the help. */
export class CliUsageError extends Error {
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
    this.name = 'CliUsageError';
  }
}

/** A named file could not be read, parsed or written; printed as `spanlens: <file>: <reason>`. */
export class CliFileError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'CliFileError';
  }
}
