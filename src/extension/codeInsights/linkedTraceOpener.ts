import * as vscode from 'vscode';
import type { TraceSource } from '../../shared/webviewProtocol';
import type { BackendManager } from '../backends/backendManager';
import { describeError } from '../output';
import { loadedTraceFromFile } from '../traceFiles/loadedTraceFromFile';
import { displayName, readTraceFile } from '../traceFiles/readTraceFile';
import { WaterfallPanel } from '../waterfall/waterfallPanel';
import { openSpan } from './spanOpener';

const OPEN_BY_ID = 'Open Trace by ID…';

/**
 * Opens the trace a span link points to from where the current trace came from: the same backend, or the
 * same file (which may hold several traces). Never throws; a trace that is not there gets a message.
 */
export async function openLinkedTrace(extensionUri: vscode.Uri, backends: BackendManager, from: TraceSource, traceId: string, spanId: string): Promise<void> {
  if (from.kind === 'backend') {
    await openSpan(extensionUri, backends, { backend: from.backend, traceId, spanId });
    return;
  }
  const uri = vscode.Uri.parse(from.uri);
  try {
    const parsed = await readTraceFile(uri);
    const trace = parsed.traces.find((candidate) => candidate.traceId === traceId);
    if (trace !== undefined) {
      const panel = WaterfallPanel.show(extensionUri, loadedTraceFromFile(uri, parsed, trace));
      if (!panel.selectSpan(spanId)) void vscode.window.showInformationMessage(`SpanLens: trace ${traceId} holds no span ${spanId}; showing the whole trace.`);
      return;
    }
  } catch (error) {
    void vscode.window.showErrorMessage(`SpanLens: could not read ${displayName(uri)} again: ${describeError(error)}`);
    return;
  }
  const choice = await vscode.window.showInformationMessage(
    `SpanLens: the linked trace ${traceId} is not in ${displayName(uri)}. It may be in a tracing backend.`,
    OPEN_BY_ID,
  );
  if (choice === OPEN_BY_ID) await vscode.commands.executeCommand('spanlens.openTraceById', traceId);
}
