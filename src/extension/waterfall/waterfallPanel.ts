import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import type { Span, Trace } from '../../core/model/trace';
import type { SpanTree } from '../../core/model/spanTree';
import { encodeColumnarTrace } from '../../core/layout/columnarTrace';
import { buildSpanDetail } from '../../core/layout/spanDetail';
import { searchAttributes } from '../../core/layout/attributeSearch';
import { renderWaterfallHtml } from '../../shared/waterfallHtml';
import type { HostToWebviewMessage, TraceSource, WebviewToHostMessage } from '../../shared/webviewProtocol';
import { codeLocationOfSpan } from '../../core/codeMapping/spanCodeLocation';
import type { SpanCodeLocation } from '../../core/codeMapping/spanCodeLocation';
import { describeError, log } from '../output';

export const WATERFALL_VIEW_TYPE = 'spanlens.waterfall';

/** A trace ready to show: its spans, display tree, and where it came from. */
export interface LoadedTrace {
  readonly trace: Trace;
  readonly tree: SpanTree;
  readonly source: TraceSource;
  readonly title: string;
  readonly warnings: readonly string[];
}

/** What the panel asks of the rest of the extension: going to code, and opening linked traces. */
export interface WaterfallHost {
  /** Opens a span's code in `column`; failures become messages. */
  revealCode(location: SpanCodeLocation, column: vscode.ViewColumn): Promise<void>;
  /** Briefly highlights the function of the selected span, in `column` if its file is not shown. */
  highlightCode(location: SpanCodeLocation, column: vscode.ViewColumn): Promise<void>;
  /** Opens the trace a link points to, from the same source as `from`, selecting the linked span. */
  openLinkedTrace(from: TraceSource, traceId: string, spanId: string): Promise<void>;
}

function sourceKey(source: TraceSource): string {
  return source.kind === 'file' ? `file:${source.uri}#${source.traceId}` : `backend:${source.backend}#${source.traceId}`;
}

/** One waterfall webview panel. It owns its listeners and re-sends the whole trace on every ready. */
export class WaterfallPanel implements vscode.Disposable {
  private static readonly open = new Map<string, WaterfallPanel>();
  private static host: WaterfallHost | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private loaded: LoadedTrace | undefined;
  private errorMessage: string | undefined;
  private ready = false;
  /** A span to select once the webview is ready, by ID. */
  private pendingSpanId: string | undefined;

  /** Connects every panel, present and future, to the code navigation of the extension. */
  static connect(host: WaterfallHost): vscode.Disposable {
    WaterfallPanel.host = host;
    return new vscode.Disposable(() => {
      if (WaterfallPanel.host === host) WaterfallPanel.host = undefined;
    });
  }

  /** The open panel showing the trace from `source`, if any. */
  static find(source: TraceSource): WaterfallPanel | undefined {
    return WaterfallPanel.open.get(sourceKey(source));
  }

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

  /** Selects and reveals a span by ID, now or as soon as the webview is ready; false if the trace lacks it. */
  selectSpan(spanId: string): boolean {
    const position = this.positionOf(spanId);
    if (position === undefined) return false;
    if (this.ready) this.selectPosition(position);
    else this.pendingSpanId = spanId;
    return true;
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
        if (this.pendingSpanId !== undefined) {
          const position = this.positionOf(this.pendingSpanId);
          this.pendingSpanId = undefined;
          if (position !== undefined) this.selectPosition(position);
        }
        break;
      case 'requestSpanDetail': {
        const span = this.spanAt(message.position);
        const detail = span === undefined ? undefined : buildSpanDetail(span, message.position);
        void this.post({ type: 'spanDetail', requestId: message.requestId, detail });
        // The webview asks for a span's detail when the user selects it.
        if (span !== undefined && detail?.codeLocation !== undefined) this.withHost((host) => host.highlightCode(codeLocationOfSpan(span), this.besideColumn()));
        break;
      }
      case 'revealCode': {
        const span = this.spanAt(message.position);
        if (span !== undefined) this.withHost((host) => host.revealCode(codeLocationOfSpan(span), this.besideColumn()));
        break;
      }
      case 'openLinkedTrace': {
        const source = this.loaded?.source;
        if (source !== undefined) this.withHost((host) => host.openLinkedTrace(source, message.traceId, message.spanId));
        break;
      }
      case 'searchAttributes': {
        // Webview.postMessage takes no transfer list; VS Code still moves ArrayBuffers without JSON.
        const positions = this.loaded === undefined ? new Int32Array(0) : searchAttributes(this.loaded.trace, this.loaded.tree, String(message.query));
        void this.post({ type: 'attributeMatches', requestId: message.requestId, positions: positions.buffer });
        break;
      }
    }
  }

  private spanAt(position: number): Span | undefined {
    const loaded = this.loaded;
    if (loaded === undefined || !Number.isInteger(position) || position < 0 || position >= loaded.tree.order.length) return undefined;
    return loaded.trace.spans[loaded.tree.order[position]];
  }

  private positionOf(spanId: string): number | undefined {
    const loaded = this.loaded;
    if (loaded === undefined) return undefined;
    const index = loaded.trace.spans.findIndex((span) => span.spanId === spanId);
    if (index < 0) return undefined;
    const position = loaded.tree.order.indexOf(index);
    return position < 0 ? undefined : position;
  }

  /** The editor group beside the panel: code opens there, never over the waterfall. */
  private besideColumn(): vscode.ViewColumn {
    const column = this.panel.viewColumn;
    if (column === undefined || column < 1) return vscode.ViewColumn.Beside;
    return column > 1 ? column - 1 : column + 1;
  }

  private withHost(run: (host: WaterfallHost) => Promise<void>): void {
    const host = WaterfallPanel.host;
    if (host === undefined) return;
    run(host).catch((error: unknown) => log().warn(`Waterfall: ${describeError(error)}`));
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
