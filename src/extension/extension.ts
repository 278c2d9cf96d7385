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
import { LocalTracing } from './local/localTracing';
import { ReceiverStatusBar } from './local/receiverStatusBar';
import { DebugEnvironmentProvider } from './local/debugEnvironmentProvider';
import { clearLocalTracesCommand, copyOtlpEnvironmentCommand, openTraceStoreCommand } from './local/localCommands';
import { readReceiverSettings } from './local/receiverSettings';
import { registerCodeInsights } from './codeInsights/registerCodeInsights';
import { log } from './output';

/**
 * What activate() returns. Not an API for other extensions: the lens benchmark
 * (test/integration/suite/lensBench.bench.ts) times the provider VS Code calls, without VS Code's round trip.
 */
export interface SpanLensTestHooks {
  readonly codeLensProvider: vscode.CodeLensProvider;
}

/**
 * Registers commands, views and the panel serializer. Nothing here touches the network or parses traces;
 * the receiver starts (and the local store replays) after activation returns.
 */
export function activate(context: vscode.ExtensionContext): SpanLensTestHooks {
  const started = performance.now();
  const extensionUri = context.extensionUri;
  const local = new LocalTracing(vscode.Uri.joinPath(context.globalStorageUri, 'traces'));
  const credentials = new CredentialStore(context.secrets);
  const backends = new BackendManager(credentials, { store: () => local.store(), url: 'embedded OTLP receiver' });
  const command = (id: string, run: (...args: unknown[]) => unknown): vscode.Disposable => vscode.commands.registerCommand(id, run);
  context.subscriptions.push(
    log(),
    local,
    backends,
    new BackendStatusBar(backends),
    new ReceiverStatusBar(local),
    command('spanlens.openTraceFile', (target) => openTraceFileCommand(extensionUri, target)),
    command('spanlens.openTraceById', (traceId) => openTraceByIdCommand(extensionUri, backends, traceId)),
    command('spanlens.searchTraces', (query) => searchTracesCommand(extensionUri, backends, context.workspaceState, query)),
    command('spanlens.selectBackend', () => selectBackendCommand(backends)),
    command('spanlens.testConnection', () => testConnectionCommand(backends)),
    command('spanlens.setBackendCredential', () => setCredentialCommand(backends, credentials)),
    command('spanlens.startReceiver', () => local.start()),
    command('spanlens.stopReceiver', () => local.stop()),
    command('spanlens.clearLocalTraces', () => clearLocalTracesCommand(local)),
    command('spanlens.copyOtlpEnvironment', () => copyOtlpEnvironmentCommand(local)),
    command('spanlens.openTraceStore', (target) => openTraceStoreCommand(local, backends, target)),
    vscode.debug.registerDebugConfigurationProvider(
      '*',
      new DebugEnvironmentProvider(() => (readReceiverSettings().injectDebugEnvironment ? local.environment() : undefined)),
    ),
    vscode.window.registerWebviewPanelSerializer(WATERFALL_VIEW_TYPE, new WaterfallSerializer(extensionUri, backends)),
  );
  const { insights, codeLensProvider } = registerCodeInsights(context, backends);
  if (readReceiverSettings().enabled) setTimeout(() => void local.start(), 0);
  // Scanning the workspace and reading statistics wait until activation has returned.
  setTimeout(() => insights.start(), 0);
  log().info(`SpanLens activated in ${(performance.now() - started).toFixed(1)} ms`);
  return { codeLensProvider };
}

export function deactivate(): void {
  // Every registration is owned by context.subscriptions.
}
