import * as vscode from 'vscode';
import type { SourceResolution, SourceResolver } from '../../core/codeMapping/sourceResolver';
import type { SpanCodeLocation } from '../../core/codeMapping/spanCodeLocation';
import { describeError, log } from '../output';
import type { FunctionRanges } from './functionRanges';
import { enclosingFunction } from './functionRanges';

/** Opens the code a span names; resolution failures are shown as messages, never thrown. */
export interface CodeNavigator {
  reveal(location: SpanCodeLocation, column: vscode.ViewColumn): Promise<void>;
  /** Briefly highlights the span's function where its file is shown, else opens it in `column` without focus. */
  highlight(location: SpanCodeLocation, column?: vscode.ViewColumn): Promise<void>;
}

const HIGHLIGHT_MILLIS = 1500;
const CONFIGURE_MAPPINGS = 'Configure Path Mappings';

export class EditorCodeNavigator implements CodeNavigator, vscode.Disposable {
  private readonly decoration = vscode.window.createTextEditorDecorationType({
    backgroundColor: new vscode.ThemeColor('editor.rangeHighlightBackground'),
    isWholeLine: true,
  });
  private clearTimer: ReturnType<typeof setTimeout> | undefined;
  private highlightRequest = 0;

  constructor(
    private readonly resolver: SourceResolver,
    private readonly functionRanges: FunctionRanges,
  ) {}

  async reveal(location: SpanCodeLocation, column: vscode.ViewColumn): Promise<void> {
    const resolution = await this.resolve(location);
    if (resolution.kind !== 'resolved') {
      void this.explain(resolution.reason);
      return;
    }
    try {
      const uri = vscode.Uri.file(resolution.location.filePath);
      const document = await vscode.workspace.openTextDocument(uri);
      const position = positionIn(document, resolution.location.lineNumber, resolution.location.columnNumber);
      const editor = await vscode.window.showTextDocument(document, {
        viewColumn: column,
        preserveFocus: false,
        selection: new vscode.Range(position, document.lineAt(position.line).range.end),
      });
      editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    } catch (error) {
      void vscode.window.showErrorMessage(`SpanLens: could not open ${resolution.location.filePath}: ${describeError(error)}`);
    }
  }

  async highlight(location: SpanCodeLocation, column?: vscode.ViewColumn): Promise<void> {
    const request = ++this.highlightRequest;
    const resolution = await this.resolve(location);
    // Selecting spans quickly should not open one file after another: only the last selection counts.
    if (resolution.kind !== 'resolved' || request !== this.highlightRequest) return;
    try {
      const uri = vscode.Uri.file(resolution.location.filePath);
      let editor = vscode.window.visibleTextEditors.find((candidate) => candidate.document.uri.toString() === uri.toString());
      if (editor === undefined) {
        if (column === undefined) return;
        const document = await vscode.workspace.openTextDocument(uri);
        if (request !== this.highlightRequest) return;
        editor = await vscode.window.showTextDocument(document, { viewColumn: column, preserveFocus: true, preview: true });
      }
      const line = Math.min(editor.document.lineCount - 1, Math.max(0, resolution.location.lineNumber - 1));
      const ranges = await this.functionRanges.of(editor.document);
      if (request !== this.highlightRequest) return;
      const range = enclosingFunction(ranges, line)?.range ?? editor.document.lineAt(line).range;
      this.flash(editor, range);
    } catch (error) {
      log().warn(`Could not highlight ${resolution.location.filePath}: ${describeError(error)}`);
    }
  }

  dispose(): void {
    if (this.clearTimer !== undefined) clearTimeout(this.clearTimer);
    this.decoration.dispose();
  }

  private async resolve(location: SpanCodeLocation): Promise<SourceResolution> {
    if (location.functionName === undefined && location.filePath === undefined && location.stackTrace === undefined) {
      return { kind: 'unresolved', reason: 'the span names no code location' };
    }
    try {
      return this.resolver.cached(location) ?? (await this.resolver.resolve(location));
    } catch (error) {
      return { kind: 'unresolved', reason: describeError(error) };
    }
  }

  private flash(editor: vscode.TextEditor, range: vscode.Range): void {
    for (const visible of vscode.window.visibleTextEditors) visible.setDecorations(this.decoration, []);
    editor.setDecorations(this.decoration, [range]);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    if (this.clearTimer !== undefined) clearTimeout(this.clearTimer);
    this.clearTimer = setTimeout(() => {
      this.clearTimer = undefined;
      editor.setDecorations(this.decoration, []);
    }, HIGHLIGHT_MILLIS);
  }

  private async explain(reason: string): Promise<void> {
    const choice = await vscode.window.showWarningMessage(`SpanLens: cannot find this span's code: ${reason}`, CONFIGURE_MAPPINGS);
    if (choice === CONFIGURE_MAPPINGS) await vscode.commands.executeCommand('workbench.action.openSettings', 'spanlens.pathMappings');
  }
}

function positionIn(document: vscode.TextDocument, lineNumber: number, columnNumber: number | undefined): vscode.Position {
  const line = Math.min(document.lineCount - 1, Math.max(0, lineNumber - 1));
  const character = Math.min(document.lineAt(line).text.length, Math.max(0, (columnNumber ?? 1) - 1));
  if (columnNumber !== undefined) return new vscode.Position(line, character);
  return new vscode.Position(line, document.lineAt(line).firstNonWhitespaceCharacterIndex);
}
