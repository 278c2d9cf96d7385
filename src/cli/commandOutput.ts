// Where a command's result goes: the --out file, or standard output without one.

import { writeFile } from 'node:fs/promises';
import { CliFileError, CliUsageError } from './cliCommand';
import type { CliIo } from './cliCommand';
import { describeFsError } from './readTraceInput';

/** Rejects an empty --out before any work is done. */
export function checkOutPath(command: string, out: string | undefined): void {
  if (out === '') throw new CliUsageError('--out needs a file name', command);
}

/** Writes `text` to `out`, or to standard output when `out` is undefined. */
export async function writeCommandOutput(out: string | undefined, text: string, io: CliIo): Promise<void> {
  if (out === undefined) {
    io.stdout(text);
    return;
  }
  try {
    await writeFile(out, text, 'utf8');
  } catch (error) {
    throw new CliFileError(out, describeFsError(error, 'cannot be written'));
  }
}
