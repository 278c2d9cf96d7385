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
        ? // VS Code itself hides restricted workspace settings when untrusted, so say why they may be missing.
          settings.ignoredWorkspaceValues || !vscode.workspace.isTrusted
          ? 'No tracing backend is configured in your user settings; this workspace is not trusted, so backends in its settings are not used.'
          : 'No tracing backend is configured.'
        : settings.activeName !== undefined
          ? `The active backend "${settings.activeName}" is not in spanlens.backends.`
          : 'Several backends are configured; pick one.';
    // Not awaited: the message settles only when dismissed, and the command must not wait for that.
    void vscode.window.showWarningMessage(`SpanLens: ${reason}`, 'Select Backend').then((choice) => {
      if (choice === 'Select Backend') void vscode.commands.executeCommand('spanlens.selectBackend');
    });
    return undefined;
  }
  try {
    return await manager.active();
  } catch (error) {
    void vscode.window.showErrorMessage(`SpanLens: backend "${config.name}": ${describeError(error)}`);
    return undefined;
  }
}
