import * as vscode from 'vscode';
import { openTraceFileCommand } from './traceFiles/openTraceFileCommand';
import { WATERFALL_VIEW_TYPE } from './waterfall/waterfallPanel';
import { WaterfallSerializer } from './waterfall/waterfallSerializer';
import { BackendManager } from './backends/backendManager';
import { BackendStatusBar } from './backends/backendStatusBar';
import { CredentialStore } from './backends/credentialStore';
import { openTraceByIdCommand } from './backends/commands/openTraceByIdCommand';
import { searchTracesCommand } from './backends/commands/searchTracesCommand';
import { selectBackendCommand } from './backends/commands/selectBackendCommand';
import { testConnectionCommand } from './backends/commands/testConnectionCommand';
import { setCredentialCommand } from './backends/commands/setCredentialCommand';
import { log } from './output';

/** Registers commands, views and the panel serializer; nothing here touches the network or parses traces. */
export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  const extensionUri = context.extensionUri;
  const credentials = new CredentialStore(context.secrets);
  const backends = new BackendManager(credentials);
  const statusBar = new BackendStatusBar(backends);
  const command = (id: string, run: (...args: unknown[]) => unknown): vscode.Disposable => vscode.commands.registerCommand(id, run);
  context.subscriptions.push(
    log(),
    backends,
    statusBar,
    command('spanlens.openTraceFile', (target) => openTraceFileCommand(extensionUri, target)),
    command('spanlens.openTraceById', (traceId) => openTraceByIdCommand(extensionUri, backends, traceId)),
    command('spanlens.searchTraces', (query) => searchTracesCommand(extensionUri, backends, context.workspaceState, query)),
    command('spanlens.selectBackend', () => selectBackendCommand(backends)),
    command('spanlens.testConnection', () => testConnectionCommand(backends)),
    command('spanlens.setBackendCredential', () => setCredentialCommand(backends, credentials)),
    vscode.window.registerWebviewPanelSerializer(WATERFALL_VIEW_TYPE, new WaterfallSerializer(extensionUri, backends)),
  );
  log().info(`SpanLens activated in ${(performance.now() - started).toFixed(1)} ms`);
}

export function deactivate(): void {
  // Every registration is owned by context.subscriptions.
}
