import * as vscode from 'vscode';
import type { ActiveBackend, BackendManager } from './backendManager';
import { describeError } from '../output';

/** The active backend, or undefined after telling the user how to configure one. */
export async function requireActiveBackend(manager: BackendManager): Promise<ActiveBackend | undefined> {
  const settings = manager.settings();
  const config = manager.activeConfig(settings);
  if (config === undefined) {
    const reason =
      settings.backends.length === 0
        ? settings.ignoredWorkspaceValues
          ? 'This workspace is not trusted, so the backends in its settings are not used.'
          : 'No tracing backend is configured.'
        : settings.activeName !== undefined
          ? `The active backend "${settings.activeName}" is not in spanlens.backends.`
          : 'Several backends are configured; pick one.';
    const choice = await vscode.window.showWarningMessage(`SpanLens: ${reason}`, 'Select Backend');
    if (choice === 'Select Backend') await vscode.commands.executeCommand('spanlens.selectBackend');
    return undefined;
  }
  try {
    return await manager.active();
  } catch (error) {
    void vscode.window.showErrorMessage(`SpanLens: backend "${config.name}": ${describeError(error)}`);
    return undefined;
  }
}
