// A trace store directory as a CLI backend: opened read-only, so `get` and `search` work while
// `spanlens serve` (or the editor) is writing it.

import { stat } from 'node:fs/promises';
import { LocalTraceStore } from '../core/store/localTraceStore';
import { StoreError } from '../core/store/storeError';
import { CliFailure, CliFileError, CliUsageError } from './cliCommand';
import { describeFsError } from './readTraceInput';

/** Opens `directory` for reading; a missing or unreadable one fails with a one-line reason. */
export async function openStoreDirectory(command: string, directory: string, warn: (message: string) => void): Promise<LocalTraceStore> {
  if (directory.trim() === '') throw new CliUsageError('--store needs a directory', command);
  await checkDirectory(directory);
  try {
    // Records are decoded on this thread: a one-shot command has no editor to keep responsive.
    return await LocalTraceStore.open({ directory, readOnly: true, onWarning: warn });
  } catch (error) {
    if (error instanceof StoreError) throw new CliFailure(error.message);
    throw error;
  }
}

async function checkDirectory(directory: string): Promise<void> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(directory)).isDirectory();
  } catch (error) {
    const reason = describeFsError(error, 'cannot be read');
    throw new CliFileError(directory, reason === 'no such file' ? 'no such directory' : reason);
  }
  if (!isDirectory) throw new CliFileError(directory, 'is not a directory (--store takes the directory `spanlens serve --store` wrote)');
}
