import * as vscode from 'vscode';
import type { BackendManager } from '../backendManager';
import type { BackendHealth } from '../backendStatusBar';
import { requireActiveBackend } from '../requireActiveBackend';
import { withBackendProgress } from '../withBackendProgress';

/** "SpanLens: Test Connection": lists services, which needs a reachable, authorised, working backend. */
export async function testConnectionCommand(manager: BackendManager, report: (health: BackendHealth) => void): Promise<void> {
  const active = await requireActiveBackend(manager);
  if (!active) return;
  let failure: string | undefined;
  const services = await withBackendProgress(`SpanLens: testing ${active.config.name}`, async (signal) => {
    try {
      return await active.backend.listServices({ signal });
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
      throw error;
    }
  });
  if (services === undefined) {
    if (failure !== undefined) report({ name: active.config.name, ok: false, detail: failure });
    return;
  }
  report({ name: active.config.name, ok: true, detail: `${services.length} services` });
  void vscode.window.showInformationMessage(
    `SpanLens: connected to ${active.backend.displayName}; it lists ${services.length} service${services.length === 1 ? '' : 's'}.`,
  );
}
