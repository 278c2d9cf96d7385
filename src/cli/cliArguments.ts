// Thin wrapper over Node's util.parseArgs that turns its errors into usage errors.

import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { CliUsageError } from './cliCommand';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseCommandArguments<T extends Options>(
  command: string,
  args: readonly string[],
  options: T,
): ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>> {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      // Node's messages go on with advice about "--"; the first sentence is what matters.
      throw new CliUsageError(error.message.split('. ')[0], command);
    }
    throw error;
  }
}

/** The one FILE operand a command takes. */
export function singleFile(command: string, positionals: readonly string[]): string {
  if (positionals.length === 0) throw new CliUsageError('missing FILE (use - for standard input)', command);
  if (positionals.length > 1) throw new CliUsageError(`expected one FILE, got ${positionals.length}`, command);
  return positionals[0];
}
