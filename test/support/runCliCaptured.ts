import { Readable } from 'node:stream';
import type { CliIo } from '../../src/cli/cliCommand';
import { runCli } from '../../src/cli/main';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured output and, optionally, text on standard input. */
export async function runCliCaptured(args: string[], stdin?: string): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    stdin: stdin === undefined ? undefined : Readable.from([Buffer.from(stdin, 'utf8')]),
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}
