// Editor-side helpers shared by the integration tests.
import * as vscode from 'vscode';
import manifest from '../../../package.json';

export const OPEN_TRACE_COMMAND = 'spanlens.openTraceFile';
export const EXTENSION_ID = `${manifest.publisher}.${manifest.name}`;

/** Whether the manifest asks to activate SpanLens on startup rather than when first used. */
export function activatesAtStartup(): boolean {
  const events: readonly string[] = manifest.activationEvents;
  return events.some((event) => event === '*' || event === 'onStartupFinished' || event.startsWith('workspaceContains:'));
}

/** A file of the test workspace (a temporary copy of test/integration/workspace). */
export function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('The integration tests need a workspace folder; the runner opens one.');
  return vscode.Uri.joinPath(folder.uri, name);
}

export async function readWorkspaceJson(name: string): Promise<unknown> {
  const bytes = await vscode.workspace.fs.readFile(workspaceFile(name));
  return JSON.parse(new TextDecoder().decode(bytes));
}

/** Every webview tab in every editor group. */
export function webviewTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.input instanceof vscode.TabInputWebview);
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** Runs the open command on a workspace file; fails if it has not settled within `timeoutMs`. */
export async function openTraceFile(name: string, timeoutMs = 20_000): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${OPEN_TRACE_COMMAND} on ${name} did not settle within ${timeoutMs / 1000} s (is it awaiting a notification?)`)),
      timeoutMs,
    );
  });
  try {
    await Promise.race([vscode.commands.executeCommand(OPEN_TRACE_COMMAND, workspaceFile(name)), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs a command whose result list is a quick pick and accepts its first item as soon as it shows, until a
 * webview opens; resolves when the command has finished.
 */
export async function runAndAcceptFirstPick(command: string, ...args: unknown[]): Promise<void> {
  const done = vscode.commands.executeCommand(command, ...args);
  const openBefore = webviewTabs().length;
  for (let tries = 0; tries < 100 && webviewTabs().length === openBefore; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  }
  await done;
}
