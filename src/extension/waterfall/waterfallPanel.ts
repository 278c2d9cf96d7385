import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import type { Trace } from '../../core/model/trace';
import type { SpanTree } from '../../core/model/spanTree';
import { encodeColumnarTrace } from '../../core/layout/columnarTrace';
import { buildSpanDetail } from '../../core/layout/spanDetail';
import { renderWaterfallHtml } from '../../shared/waterfallHtml';
import type { HostToWebviewMessage, TraceSource, WebviewToHostMessage } from '../../shared/webviewProtocol';
import { log } from '../output';

export const WATERFALL_VIEW_TYPE = 'spanlens.waterfall';

/** A trace ready to show: its spans, display tree, and where it came from. */
export interface LoadedTrace {
  readonly trace: Trace;
  readonly tree: SpanTree;
  readonly source: TraceSource;
  readonly title: string;
  readonly warnings: readonly string[];
}

function sourceKey(source: TraceSource): string {
  return source.kind === 'file' ? `file:${source.uri}#${source.traceId}` : `backend:${source.backend}#${source.traceId}`;
}

/** One waterfall webview panel. It owns its listeners and re-sends the whole trace on every ready. */
export class WaterfallPanel implements vscode.Disposable {
  private static readonly open = new Map<string, WaterfallPanel>();
  private readonly disposables: vscode.Disposable[] = [];
  private loaded: LoadedTrace | undefined;
  private errorMessage: string | undefined;
  private ready = false;

  /** Shows `loaded` beside the active editor, reusing the panel already showing the same trace. */
  static show(extensionUri: vscode.Uri, loaded: LoadedTrace): WaterfallPanel {
    const existing = WaterfallPanel.open.get(sourceKey(loaded.source));
    if (existing) {
      existing.panel.reveal(undefined, false);
      existing.setTrace(loaded);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      WATERFALL_VIEW_TYPE,
      loaded.title,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false },
      webviewOptions(extensionUri),
    );
    const view = new WaterfallPanel(panel, extensionUri);
    view.setTrace(loaded);
    return view;
  }

  /** Adopts a panel VS Code restored after a reload; the trace arrives later through setTrace or showError. */
  static adopt(panel: vscode.WebviewPanel, extensionUri: vscode.Uri): WaterfallPanel {
    panel.webview.options = webviewOptions(extensionUri);
    return new WaterfallPanel(panel, extensionUri);
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
  ) {
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'waterfall.svg');
    this.disposables.push(
      panel.webview.onDidReceiveMessage((message: WebviewToHostMessage) => this.onMessage(message)),
      panel.onDidDispose(() => this.dispose()),
    );
    panel.webview.html = this.html();
  }

  setTrace(loaded: LoadedTrace): void {
    if (this.loaded) WaterfallPanel.open.delete(sourceKey(this.loaded.source));
    this.loaded = loaded;
    this.errorMessage = undefined;
    WaterfallPanel.open.set(sourceKey(loaded.source), this);
    this.panel.title = loaded.title;
    if (this.ready) this.postTrace();
  }

  showError(message: string): void {
    this.errorMessage = message;
    if (this.ready) void this.post({ type: 'showError', message });
  }

  /** Selects and reveals the span at a display position. */
  selectPosition(position: number): void {
    if (this.ready) void this.post({ type: 'selectSpan', position });
  }

  dispose(): void {
    if (this.loaded && WaterfallPanel.open.get(sourceKey(this.loaded.source)) === this) {
      WaterfallPanel.open.delete(sourceKey(this.loaded.source));
    }
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
    this.panel.dispose();
  }

  private onMessage(message: WebviewToHostMessage): void {
    switch (message.type) {
      case 'ready':
        // A hidden webview is torn down and reloaded; each ready gets the whole snapshot again.
        this.ready = true;
        if (this.loaded) this.postTrace();
        else if (this.errorMessage !== undefined) void this.post({ type: 'showError', message: this.errorMessage });
        break;
      case 'requestSpanDetail': {
        const loaded = this.loaded;
        const inRange = loaded !== undefined && message.position >= 0 && message.position < loaded.tree.order.length;
        const detail = inRange ? buildSpanDetail(loaded.trace.spans[loaded.tree.order[message.position]], message.position) : undefined;
        void this.post({ type: 'spanDetail', requestId: message.requestId, detail });
        break;
      }
    }
  }

  private postTrace(): void {
    const loaded = this.loaded;
    if (!loaded) return;
    const { message } = encodeColumnarTrace(loaded.trace, loaded.tree);
    void this.post({ type: 'loadTrace', trace: message, source: loaded.source, title: loaded.title, warnings: loaded.warnings });
  }

  private async post(message: HostToWebviewMessage): Promise<void> {
    try {
      await this.panel.webview.postMessage(message);
    } catch (error) {
      log().warn(`Could not post ${message.type} to the waterfall: ${String(error)}`);
    }
  }

  private html(): string {
    const webview = this.panel.webview;
    const asUri = (...segments: string[]): string => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...segments)).toString();
    return renderWaterfallHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      scriptUri: asUri('dist', 'webview.js'),
      styleUris: [asUri('dist', 'codicons', 'codicon.css'), asUri('media', 'webview.css')],
      title: this.panel.title,
    });
  }
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableFindWidget: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}
