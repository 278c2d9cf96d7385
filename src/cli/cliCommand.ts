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
/** The input could not be read or parsed, the output could not be written, or a backend request failed. */
export const EXIT_BAD_INPUT = 1;
/** The command line itself is wrong. */
export const EXIT_USAGE = 2;
/** Stopped with Ctrl+C: 128 + SIGINT, as shells report a process the signal ended. */
export const EXIT_INTERRUPTED = 130;

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

/** Something outside the command line failed, such as a backend request; printed as `spanlens: <message>`. */
export class CliFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliFailure';
  }
}

/** The user pressed Ctrl+C while the command waited on a request. */
export class CliInterrupted extends Error {
  constructor() {
    super('interrupted');
    this.name = 'CliInterrupted';
  }
}
