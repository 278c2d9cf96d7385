import * as vscode from 'vscode';
import { WorkspaceFileIndex } from '../../core/codeMapping/workspaceFileIndex';
import { describeError, log } from '../output';

/** Most files indexed across all folders; beyond it, suffix inference sees only part of the workspace. */
export const MAX_INDEXED_FILES = 200_000;
const ALWAYS_EXCLUDED = ['**/node_modules/**', '**/.git/**'];
const SETTLE_MILLIS = 500;

/**
 * Keeps a WorkspaceFileIndex of the workspace's local files: a scan after activation, then file creations and
 * deletions from a watcher, and a rescan when folders or `files.exclude` change. Fires onDidChange, coalesced,
 * whenever the index changed, so cached resolutions can be dropped.
 */
export class FileIndexWatcher implements vscode.Disposable {
  readonly index = new WorkspaceFileIndex(localRoots());
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private scanning: Promise<void> | undefined;
  private rescanWanted = false;
  private settleTimer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;
  readonly onDidChange = this.changed.event;

  /** Starts the first scan; call after activation, as it walks the whole workspace. */
  start(): Promise<void> {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*', false, true, false);
    this.disposables.push(
      watcher,
      watcher.onDidCreate((uri) => this.onCreated(uri)),
      watcher.onDidDelete((uri) => this.onDeleted(uri)),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.rescan()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('files.exclude')) this.rescan();
      }),
    );
    return this.rescan();
  }

  dispose(): void {
    this.disposed = true;
    if (this.settleTimer !== undefined) clearTimeout(this.settleTimer);
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }

  private rescan(): Promise<void> {
    if (this.scanning !== undefined) {
      this.rescanWanted = true;
      return this.scanning;
    }
    this.scanning = this.scan().finally(() => {
      this.scanning = undefined;
      if (this.rescanWanted && !this.disposed) {
        this.rescanWanted = false;
        void this.rescan();
      }
    });
    return this.scanning;
  }

  private async scan(): Promise<void> {
    const started = performance.now();
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file');
    const exclude = excludeGlob();
    const paths: string[] = [];
    try {
      for (const folder of folders) {
        const left = MAX_INDEXED_FILES - paths.length;
        if (left <= 0) break;
        const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/*'), exclude, left);
        for (const uri of uris) paths.push(uri.fsPath);
      }
    } catch (error) {
      log().warn(`Code insights: listing the workspace's files failed: ${describeError(error)}`);
      return;
    }
    if (this.disposed) return;
    this.index.setRoots(localRoots());
    this.index.clear();
    this.index.add(paths);
    const capped = paths.length >= MAX_INDEXED_FILES ? ` (the limit; paths of further files are not inferred)` : '';
    log().info(`Code insights: indexed ${paths.length} workspace files${capped} in ${(performance.now() - started).toFixed(0)} ms`);
    this.changed.fire();
  }

  private onCreated(uri: vscode.Uri): void {
    if (uri.scheme !== 'file' || isAlwaysExcluded(uri.path)) return;
    this.index.add([uri.fsPath]);
    this.settle();
  }

  private onDeleted(uri: vscode.Uri): void {
    if (uri.scheme !== 'file' || isAlwaysExcluded(uri.path)) return;
    if (this.index.has(uri.fsPath)) {
      this.index.remove([uri.fsPath]);
      this.settle();
    } else {
      // A folder went away: its files are not listed one by one.
      void this.rescan();
    }
  }

  private settle(): void {
    if (this.settleTimer !== undefined) clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => {
      this.settleTimer = undefined;
      if (!this.disposed) this.changed.fire();
    }, SETTLE_MILLIS);
  }
}

function localRoots(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file').map((folder) => folder.uri.fsPath);
}

/** files.exclude plus dependency and VCS folders; passing any exclude replaces the default one, so it is rebuilt here. */
function excludeGlob(): string {
  const patterns = new Set(ALWAYS_EXCLUDED);
  const excluded = vscode.workspace.getConfiguration('files').get<Record<string, unknown>>('exclude', {});
  for (const [pattern, value] of Object.entries(excluded)) {
    // `{ "when": … }` conditions depend on sibling files and cannot be a glob; braces cannot nest in one.
    if (value === true && !pattern.includes('{') && !pattern.includes(',')) patterns.add(pattern);
  }
  return `{${[...patterns].join(',')}}`;
}

function isAlwaysExcluded(path: string): boolean {
  return path.includes('/node_modules/') || path.includes('/.git/');
}
