import * as vscode from 'vscode';
import type { TraceSource, WaterfallViewState } from '../../shared/webviewProtocol';
import { isTraceSource } from '../../shared/webviewProtocol';
import { readTraceFile } from '../traceFiles/readTraceFile';
import { loadedTraceFromFile } from '../traceFiles/loadedTraceFromFile';
import type { BackendManager } from '../backends/backendManager';
import { describeError } from '../output';
import { buildLoadedTrace } from './loadedTrace';
import type { LoadedTrace } from './waterfallPanel';
import { WaterfallPanel } from './waterfallPanel';

/** Restores waterfall panels after a window reload by reading their trace again from its source. */
export class WaterfallSerializer implements vscode.WebviewPanelSerializer<WaterfallViewState> {
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly backends: BackendManager,
  ) {}

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: WaterfallViewState | undefined): Promise<void> {
    const view = WaterfallPanel.adopt(panel, this.extensionUri);
    const source = state?.source;
    if (!isTraceSource(source)) {
      view.showError('This waterfall cannot be restored: it does not say where its trace came from. Open the trace again.');
      return;
    }
    try {
      view.setTrace(await this.load(source));
    } catch (error) {
      view.showError(`Could not restore this trace: ${describeError(error)}`);
    }
  }

  private async load(source: TraceSource): Promise<LoadedTrace> {
    if (source.kind === 'file') {
      const uri = vscode.Uri.parse(source.uri);
      const parsed = await readTraceFile(uri);
      const trace = parsed.traces.find((candidate) => candidate.traceId === source.traceId);
      if (!trace) throw new Error(`${uri.fsPath} no longer holds trace ${source.traceId}`);
      return loadedTraceFromFile(uri, parsed, trace);
    }
    const active = await this.backends.byName(source.backend);
    if (!active) throw new Error(`the backend "${source.backend}" is no longer configured`);
    const fetched = await active.backend.getTrace(source.traceId);
    return buildLoadedTrace(fetched.trace, source, active.config.name, fetched.warnings);
  }
}
