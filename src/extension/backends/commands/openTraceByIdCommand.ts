import * as vscode from 'vscode';
import { parseTraceIdInput } from '../../../core/backends/traceIdInput';
import type { BackendManager } from '../backendManager';
import { requireActiveBackend } from '../requireActiveBackend';
import { openBackendTrace } from '../openBackendTrace';

/**
 * "SpanLens: Open Trace by ID". The input is pre-filled from the selection or the clipboard when either
 * holds a trace ID or a W3C traceparent. A caller may pass the ID and skip the input box.
 */
export async function openTraceByIdCommand(extensionUri: vscode.Uri, manager: BackendManager, traceIdArgument?: unknown): Promise<void> {
  const active = await requireActiveBackend(manager);
  if (!active) return;
  let traceId: string | undefined;
  if (typeof traceIdArgument === 'string') {
    const parsed = parseTraceIdInput(traceIdArgument);
    if (!parsed.ok) {
      void vscode.window.showErrorMessage(`SpanLens: ${parsed.message}`);
      return;
    }
    traceId = parsed.traceId;
  } else {
    const entered = await vscode.window.showInputBox({
      title: `Open Trace by ID from ${active.config.name}`,
      prompt: 'A trace ID (16 or 32 hex digits) or a W3C traceparent header',
      placeHolder: '4bf92f3577b34da6a3ce929d0e0e4736',
      value: await prefill(),
      ignoreFocusOut: true,
      validateInput: (text) => {
        const parsed = parseTraceIdInput(text);
        return parsed.ok ? undefined : parsed.message;
      },
    });
    if (entered === undefined) return;
    const parsed = parseTraceIdInput(entered);
    if (!parsed.ok) return;
    traceId = parsed.traceId;
  }
  await openBackendTrace(extensionUri, active, traceId);
}

async function prefill(): Promise<string | undefined> {
  const editor = vscode.window.activeTextEditor;
  const selected = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : undefined;
  for (const candidate of [selected, await vscode.env.clipboard.readText()]) {
    if (candidate === undefined || candidate.length > 512) continue;
    const parsed = parseTraceIdInput(candidate);
    if (parsed.ok) return parsed.traceId;
  }
  return undefined;
}
