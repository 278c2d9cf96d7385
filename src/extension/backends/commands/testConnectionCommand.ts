import * as vscode from 'vscode';
import type { BackendManager } from '../backendManager';
import { requireActiveBackend } from '../requireActiveBackend';
import { withBackendProgress } from '../withBackendProgress';

/** "SpanLens: Test Connection": lists services, which needs a reachable, authorised, working backend. */
export async function testConnectionCommand(manager: BackendManager): Promise<void> {
  const active = await requireActiveBackend(manager);
  if (!active) return;
  const services = await withBackendProgress(`SpanLens: testing ${active.config.name}`, (signal) => active.backend.listServices({ signal }), active.reportHealth);
  if (services === undefined) return;
  active.reportHealth({ ok: true, detail: `${services.length} services` });
  void vscode.window.showInformationMessage(
    `SpanLens: connected to ${active.backend.displayName}; it lists ${services.length} service${services.length === 1 ? '' : 's'}.`,
  );
}
