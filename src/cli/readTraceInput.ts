// Reads and parses the trace file a command was given, or standard input for `-`.

import { readFile, stat } from 'node:fs/promises';
import { MAX_TRACE_TEXT_BYTES, parseTraceText } from '../core/formats/parseTraceText';
import type { ParsedTraces } from '../core/model/trace';
import { CliFileError } from './cliCommand';
import type { CliIo } from './cliCommand';

/** Refused clearly up front instead of failing inside readFile. */
export const MAX_TRACE_INPUT_BYTES = MAX_TRACE_TEXT_BYTES;

export const STDIN_NAME = '-';

export async function readTraceInput(file: string, io: CliIo): Promise<ParsedTraces> {
  const text = file === STDIN_NAME ? await readStdin(io) : await readTextFile(file);
  try {
    return parseTraceText(text);
  } catch (error) {
    throw new CliFileError(displayName(file), error instanceof Error ? error.message : String(error));
  }
}

export function displayName(file: string): string {
  return file === STDIN_NAME ? '<stdin>' : file;
}

async function readTextFile(file: string): Promise<string> {
  try {
    const info = await stat(file);
    if (info.isDirectory()) throw new CliFileError(file, 'is a directory, not a trace file');
    if (info.size > MAX_TRACE_INPUT_BYTES) throw new CliFileError(file, tooLarge(info.size));
    return await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof CliFileError) throw error;
    throw new CliFileError(file, describeFsError(error, 'cannot be read'));
  }
}

async function readStdin(io: CliIo): Promise<string> {
  if (io.stdin === undefined) throw new CliFileError('<stdin>', 'standard input is not available');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of io.stdin) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk);
    size += bytes.length;
    if (size > MAX_TRACE_INPUT_BYTES) throw new CliFileError('<stdin>', tooLarge(size, 'more than '));
    chunks.push(bytes);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

function tooLarge(bytes: number, prefix = ''): string {
  return `is ${prefix}${Math.round(bytes / 1048576)} MiB; the limit is ${MAX_TRACE_INPUT_BYTES / 1048576} MiB`;
}

/** Node's file errors in words, without the syscall noise. */
export function describeFsError(error: unknown, fallback: string): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'a parent of this path is not a directory';
    default:
      return `${fallback} (${error instanceof Error ? error.message : String(error)})`;
  }
}
