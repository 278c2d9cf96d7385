import * as vscode from 'vscode';
import { normalizePath } from '../../core/codeMapping/pathMappings';
import { SourceResolver } from '../../core/codeMapping/sourceResolver';
import type { CodeStatsSnapshot } from '../../core/stats/codeStats';
import type { ActiveBackend, BackendManager } from '../backends/backendManager';
import { describeError, log } from '../output';
import { CodeStatsSource } from './codeStatsSource';
import type { StatsOrigin } from './codeStatsSource';
import type { DocumentInsights, FunctionInsight, FunctionKey, ResolvedRow } from './documentInsights';
import { buildDocumentInsights } from './documentInsights';
import { FileIndexWatcher } from './fileIndexWatcher';
import { FunctionRanges } from './functionRanges';
import type { InsightSettings } from './insightSettings';
import { affectsInsightSettings, readInsightSettings } from './insightSettings';
import { EditorSymbolLookup } from './symbolLookup';

/** Data and resolution changes within this long make one lens refresh. */
const COALESCE_MILLIS = 300;
const EDIT_SETTLE_MILLIS = 500;
/** Remote statistics are fetched again at most this often, and only while someone looks at them. */
const REMOTE_REFRESH_MILLIS = 5 * 60_000;
const VISIBILITY_CHECK_MILLIS = 30_000;
/**
 * Function names may resolve once a language server has loaded. The resolver lets a symbol miss expire after
 * 10 s; unresolved rows are resolved again after that, with backoff, and soon after a document opens.
 */
const RETRY_FIRST_MILLIS = 11_000;
const RETRY_MAX_MILLIS = 5 * 60_000;
const RETRY_AFTER_OPEN_MILLIS = 2000;

/**
 * The code insights service: statistics from the active backend, resolved onto workspace files, grouped per
 * function of each open document. Lenses, hovers and the hot spots view read what it computed; nothing they
 * call does I/O.
 */
export class CodeInsights implements vscode.Disposable {
  private settingsValue: InsightSettings = readInsightSettings();
  readonly files = new FileIndexWatcher();
  readonly functionRanges = new FunctionRanges();
  readonly resolver: SourceResolver;
  private readonly source: CodeStatsSource;
  private resolved: readonly ResolvedRow[] = [];
  private byFile = new Map<string, ResolvedRow[]>();
  private readonly documents = new Map<string, DocumentInsights>();
  /** Documents to recompute on the next pass; `all` after data or resolution changed. */
  private pending: { all: boolean; uris: Set<string> } = { all: false, uris: new Set() };
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private retryDelayMillis = RETRY_FIRST_MILLIS;
  private visibilityTimer: ReturnType<typeof setInterval> | undefined;
  private started = false;
  private disposed = false;
  private readonly lensesChanged = new vscode.EventEmitter<void>();
  private readonly insightsChanged = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.lensesChanged, this.insightsChanged];
  /** Fires when the lenses of an open document changed. */
  readonly onDidChangeLenses = this.lensesChanged.event;
  /** Fires after each recomputation: rows, resolutions or settings changed. */
  readonly onDidChangeInsights = this.insightsChanged.event;
  private hotSpotsVisible = false;

  constructor(private readonly backends: BackendManager) {
    this.resolver = new SourceResolver({ fileIndex: this.files.index, pathMappings: this.settingsValue.pathMappings, symbols: new EditorSymbolLookup() });
    this.source = new CodeStatsSource(backends, this.settingsValue.windowMillis, () => this.isWatched());
    this.disposables.push(this.files, this.source);
  }

  /** Scans the workspace and connects to the backend; after activation, never inside it. */
  start(): void {
    if (this.started || this.disposed) return;
    this.started = true;
    for (const problem of this.settingsValue.problems) log().warn(problem);
    this.disposables.push(
      this.files.onDidChange(() => this.invalidateResolutions()),
      this.source.onDidChange(() => this.schedule()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affectsInsightSettings(event)) this.onSettingsChanged();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.onSettingsChanged()),
      vscode.workspace.onDidOpenTextDocument((document) => this.onOpened(document)),
      vscode.window.onDidChangeVisibleTextEditors(() => this.source.wake()),
      vscode.workspace.onDidCloseTextDocument((document) => {
        this.documents.delete(document.uri.toString());
        this.functionRanges.forget(document.uri);
      }),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length > 0 && this.byFile.has(fileKey(event.document.uri))) this.schedule(event.document.uri, EDIT_SETTLE_MILLIS);
      }),
    );
    this.visibilityTimer = setInterval(() => this.refreshIfWatched(), VISIBILITY_CHECK_MILLIS);
    void this.files.start().then(() => this.source.start());
  }

  /** The hot spots view shows statistics too: remote ones are fetched and refreshed while it is visible. */
  setHotSpotsVisible(visible: boolean): void {
    this.hotSpotsVisible = visible;
    if (visible) this.source.wake();
  }

  get settings(): InsightSettings {
    return this.settingsValue;
  }

  snapshot(): CodeStatsSnapshot | undefined {
    return this.source.snapshot();
  }

  origin(): StatsOrigin | undefined {
    return this.source.origin();
  }

  /**
   * A live client of the backend the statistics came from: clients are rebuilt when settings change, so the
   * one that fetched the statistics may be closed by now.
   */
  async statsBackend(): Promise<ActiveBackend | undefined> {
    const origin = this.source.origin();
    return origin === undefined ? undefined : this.backends.byName(origin.active.config.name);
  }

  /** Every row of the current statistics with its resolution, as of the last recomputation. */
  rows(): readonly ResolvedRow[] {
    return this.resolved;
  }

  /** The precomputed lenses of a document; asks for them to be computed when they are not there yet. */
  lensesOf(document: vscode.TextDocument): readonly vscode.CodeLens[] {
    const insights = this.documents.get(document.uri.toString());
    if (insights === undefined || insights.version !== document.version) this.scheduleIfMapped(document);
    return insights?.lenses ?? [];
  }

  functionAt(document: vscode.TextDocument, line: number): FunctionInsight | undefined {
    return this.documents.get(document.uri.toString())?.functions.get(line);
  }

  functionOf(key: FunctionKey): FunctionInsight | undefined {
    return this.documents.get(key.uri)?.functions.get(key.line);
  }

  /** Fetches remote statistics again (or recomputes local ones) and re-resolves every location. */
  async refresh(): Promise<void> {
    this.resolver.invalidate();
    await this.source.refresh();
    this.schedule();
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    if (this.visibilityTimer !== undefined) clearInterval(this.visibilityTimer);
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }

  private onSettingsChanged(): void {
    const previous = this.settingsValue;
    this.settingsValue = readInsightSettings();
    for (const problem of this.settingsValue.problems) log().warn(problem);
    if (JSON.stringify(previous.pathMappings) !== JSON.stringify(this.settingsValue.pathMappings)) {
      this.resolver.setPathMappings(this.settingsValue.pathMappings);
    }
    // The source re-fetches on its own when the window changed.
    this.source.setWindow(this.settingsValue.windowMillis);
    this.source.wake();
    this.schedule();
  }

  private invalidateResolutions(): void {
    this.resolver.invalidate();
    this.retryDelayMillis = RETRY_FIRST_MILLIS;
    this.schedule();
  }

  private onOpened(document: vscode.TextDocument): void {
    if (document.uri.scheme !== 'file') return;
    // A newly opened file can start its language server, which may resolve function names that failed before.
    if (this.resolved.some(isUnresolvedFunction)) {
      if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
      this.retryDelayMillis = RETRY_FIRST_MILLIS;
      this.scheduleRetry(RETRY_AFTER_OPEN_MILLIS, true);
    }
    this.scheduleIfMapped(document);
  }

  private scheduleIfMapped(document: vscode.TextDocument): void {
    if (this.byFile.has(fileKey(document.uri))) this.schedule(document.uri);
  }

  /** Coalesces recomputation: everything, or only `uri`'s document. */
  private schedule(uri?: vscode.Uri, delayMillis = COALESCE_MILLIS): void {
    if (this.disposed) return;
    if (uri === undefined) this.pending.all = true;
    else this.pending.uris.add(uri.toString());
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, delayMillis);
  }

  private async run(): Promise<void> {
    if (this.running !== undefined) {
      // One pass at a time; the pending work stays queued for the next.
      await this.running;
      if (this.timer === undefined && (this.pending.all || this.pending.uris.size > 0)) this.schedule();
      return;
    }
    const work = this.pending;
    this.pending = { all: false, uris: new Set() };
    this.running = this.recompute(work)
      .catch((error: unknown) => log().error(`Code insights: ${describeError(error)}`))
      .finally(() => (this.running = undefined));
    await this.running;
  }

  private async recompute(work: { all: boolean; uris: Set<string> }): Promise<void> {
    if (work.all) {
      await this.resolveRows();
      if (this.disposed) return;
    }
    const openDocuments = vscode.workspace.textDocuments.filter((document) => document.uri.scheme === 'file');
    let lensesChanged = false;
    if (work.all) {
      for (const key of [...this.documents.keys()]) {
        if (!openDocuments.some((document) => document.uri.toString() === key)) this.documents.delete(key);
      }
    }
    for (const document of openDocuments) {
      const key = document.uri.toString();
      if (!work.all && !work.uris.has(key)) continue;
      lensesChanged = (await this.computeDocument(document)) || lensesChanged;
    }
    if (lensesChanged) this.lensesChanged.fire();
    if (work.all) this.insightsChanged.fire();
  }

  private async resolveRows(): Promise<void> {
    const rows = this.source.snapshot()?.rows ?? [];
    const resolved: ResolvedRow[] = [];
    for (const row of rows) {
      const resolution = this.resolver.cached(row.location) ?? (await this.resolver.resolve(row.location));
      resolved.push({ row, resolution });
    }
    const byFile = new Map<string, ResolvedRow[]>();
    for (const entry of resolved) {
      if (entry.resolution.kind !== 'resolved') continue;
      const key = normalizePath(entry.resolution.location.filePath);
      const list = byFile.get(key);
      if (list === undefined) byFile.set(key, [entry]);
      else list.push(entry);
    }
    this.resolved = resolved;
    this.byFile = byFile;
    if (resolved.some(isUnresolvedFunction)) this.scheduleRetry(this.retryDelayMillis);
  }

  /** Recomputes one document's insights; true when its lenses changed. */
  private async computeDocument(document: vscode.TextDocument): Promise<boolean> {
    const key = document.uri.toString();
    const rows = this.byFile.get(fileKey(document.uri));
    const previous = this.documents.get(key);
    if (rows === undefined) {
      this.documents.delete(key);
      return previous !== undefined && previous.lenses.length > 0;
    }
    const ranges = await this.functionRanges.of(document);
    if (document.isClosed || this.disposed) return false;
    const snapshot = this.source.snapshot();
    if (snapshot === undefined) return false;
    const insights = buildDocumentInsights(document, rows, ranges, {
      provenance: snapshot.provenance,
      slowThresholdNano: this.settingsValue.slowThresholdNano,
      lensesEnabled: this.settingsValue.codeLensEnabled,
    });
    this.documents.set(key, insights);
    return previous?.signature !== insights.signature;
  }

  /** Resolves again later; `invalidate` also drops symbol misses that have not expired yet. */
  private scheduleRetry(delayMillis: number, invalidate = false): void {
    if (this.retryTimer !== undefined || this.disposed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.retryDelayMillis = Math.min(RETRY_MAX_MILLIS, this.retryDelayMillis * 2);
      if (invalidate) this.resolver.invalidate();
      this.schedule();
    }, delayMillis);
  }

  private refreshIfWatched(): void {
    if (!this.source.isRemote() || this.source.ageMillis() < REMOTE_REFRESH_MILLIS) return;
    const watched =
      this.hotSpotsVisible ||
      (this.settingsValue.codeLensEnabled &&
        vscode.window.visibleTextEditors.some((editor) => (this.documents.get(editor.document.uri.toString())?.lenses.length ?? 0) > 0));
    if (watched) void this.source.refresh();
  }

  /** Whether anything could show statistics now: the hot spots view, or a code editor that may get lenses. */
  private isWatched(): boolean {
    if (this.hotSpotsVisible) return true;
    return this.settingsValue.codeLensEnabled && vscode.window.visibleTextEditors.some((editor) => editor.document.uri.scheme === 'file');
  }
}

function fileKey(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? normalizePath(uri.fsPath) : '';
}

function isUnresolvedFunction(entry: ResolvedRow): boolean {
  return entry.resolution.kind === 'unresolved' && entry.row.location.functionName !== undefined;
}
