import * as vscode from 'vscode';
import * as path from 'node:path';
import type { BackendManager } from '../backends/backendManager';
import { describeError } from '../output';
import type { LocalTracing } from './localTracing';

/** "SpanLens: Copy OTLP Environment": the variables that point an OpenTelemetry SDK at the receiver. */
export async function copyOtlpEnvironmentCommand(local: LocalTracing): Promise<void> {
  const environment = local.environment();
  if (environment === undefined) {
    const choice = await vscode.window.showWarningMessage('SpanLens: the OTLP receiver is not running.', 'Start Receiver');
    if (choice === 'Start Receiver' && (await local.start())) await copyOtlpEnvironmentCommand(local);
    return;
  }
  const text = Object.entries(environment)
    .map(([name, value]) => `${name}=${value}`)
    .join('\n');
  await vscode.env.clipboard.writeText(`${text}\n`);
  void vscode.window.showInformationMessage(`SpanLens: copied ${Object.keys(environment).join(', ')}.`);
}

/** "SpanLens: Clear Local Traces", after a confirmation. */
export async function clearLocalTracesCommand(local: LocalTracing): Promise<void> {
  const choice = await vscode.window.showWarningMessage('Delete every trace in the SpanLens local store?', { modal: true }, 'Clear');
  if (choice !== 'Clear') return;
  await local.clear();
  void vscode.window.showInformationMessage('SpanLens: the local trace store is empty.');
}

/** "SpanLens: Open Trace Store…": a directory written by `spanlens serve`, as a backend for this session. */
export async function openTraceStoreCommand(local: LocalTracing, manager: BackendManager, target?: unknown): Promise<void> {
  const folder =
    target instanceof vscode.Uri
      ? target
      : (await vscode.window.showOpenDialog({ canSelectFiles: false, canSelectFolders: true, openLabel: 'Open Trace Store', title: 'A store directory written by spanlens serve' }))?.[0];
  if (!folder) return;
  try {
    const store = await local.openDirectory(folder.fsPath);
    const name = `Store: ${path.basename(folder.fsPath)}`;
    manager.useOpenedStore(name, store);
    const stats = store.stats();
    void vscode.window.showInformationMessage(`SpanLens: "${name}" is the active backend (${stats.traces} traces, ${stats.spans} spans).`);
  } catch (error) {
    void vscode.window.showErrorMessage(`SpanLens: could not open the trace store ${folder.fsPath}: ${describeError(error)}`);
  }
}
