// One command's work with a backend: Ctrl+C aborts the request, backend failures become CLI errors, and the
// backend is always disposed so no pooled connection keeps the process alive.

import { BackendError } from '../core/backends/backendError';
import type { TraceBackend } from '../core/backends/traceBackend';
import { CliFailure, CliInterrupted, CliUsageError } from './cliCommand';

const CREDENTIAL_HINT = '(the CLI sends SPANLENS_TOKEN, or SPANLENS_USER and SPANLENS_PASSWORD, from the environment)';

/** Runs `work` with a signal that SIGINT aborts, then disposes `backend` whatever happened. */
export async function runBackendRequest<T>(
  command: string,
  backend: TraceBackend,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const interrupt = (): void => controller.abort();
  // `once`: a second Ctrl+C finds no listener and ends the process the default way.
  process.once('SIGINT', interrupt);
  try {
    return await work(controller.signal);
  } catch (error) {
    if (controller.signal.aborted) throw new CliInterrupted();
    throw cliError(command, error);
  } finally {
    process.off('SIGINT', interrupt);
    await backend.dispose();
  }
}

function cliError(command: string, error: unknown): unknown {
  if (!(error instanceof BackendError)) return error;
  switch (error.kind) {
    // Rejected before anything was sent: the flags asked for something that cannot be sent.
    case 'invalidInput':
      return new CliUsageError(error.message, command);
    case 'unauthorized':
      return new CliFailure(`${error.message} ${CREDENTIAL_HINT}`);
    default:
      return new CliFailure(error.message);
  }
}
