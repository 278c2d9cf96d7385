import * as vscode from 'vscode';
import { isCancellation } from '../../core/backends/backendError';
import { abortSignalFor } from '../common/abortSignal';
import { describeError, log } from '../output';

/**
 * Runs a backend request under a cancellable notification; cancelling aborts the HTTP request. Failures
 * are shown to the user and logged; the result is undefined then, or when cancelled.
 */
export async function withBackendProgress<T>(title: string, task: (signal: AbortSignal) => Promise<T>): Promise<T | undefined> {
  try {
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      async (_progress, token) => {
        const abort = abortSignalFor(token);
        try {
          return await task(abort.signal);
        } finally {
          abort.dispose();
        }
      },
    );
  } catch (error) {
    if (isCancellation(error)) return undefined;
    log().error(`${title}: ${describeError(error)}`);
    void vscode.window.showErrorMessage(`SpanLens: ${describeError(error)}`);
    return undefined;
  }
}
