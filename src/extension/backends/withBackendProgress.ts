import * as vscode from 'vscode';
import { isBackendError, isCancellation } from '../../core/backends/backendError';
import type { BackendErrorKind } from '../../core/backends/backendError';
import { abortSignalFor } from '../common/abortSignal';
import { describeError, log } from '../output';

/** Failures that say the backend itself is unwell, as opposed to a bad query or an unknown trace. */
const UNHEALTHY: ReadonlySet<BackendErrorKind> = new Set(['unreachable', 'tls', 'timeout', 'unauthorized', 'server', 'proxy', 'endpointNotFound', 'malformed']);

/** Where a request's outcome is recorded, so the status bar shows the backend's health. */
export type HealthReport = (health: { ok: boolean; detail: string }) => void;

/**
 * Runs a backend request under a cancellable notification; cancelling aborts the HTTP request. Failures
 * are shown to the user and logged; the result is undefined then, or when cancelled.
 */
export async function withBackendProgress<T>(
  title: string,
  task: (signal: AbortSignal) => Promise<T>,
  reportHealth?: HealthReport,
): Promise<T | undefined> {
  try {
    const result = await vscode.window.withProgress(
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
    reportHealth?.({ ok: true, detail: 'answered the last request' });
    return result;
  } catch (error) {
    if (isCancellation(error)) return undefined;
    if (isBackendError(error) && UNHEALTHY.has(error.kind)) reportHealth?.({ ok: false, detail: error.message });
    log().error(`${title}: ${describeError(error)}`);
    void vscode.window.showErrorMessage(`SpanLens: ${describeError(error)}`);
    return undefined;
  }
}
