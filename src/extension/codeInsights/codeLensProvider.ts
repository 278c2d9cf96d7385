import type * as vscode from 'vscode';
import type { CodeInsights } from './codeInsights';

/** Latency lenses over functions with data: a lookup of what CodeInsights computed, never I/O. */
export class InsightCodeLensProvider implements vscode.CodeLensProvider {
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(private readonly insights: CodeInsights) {
    this.onDidChangeCodeLenses = insights.onDidChangeLenses;
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!this.insights.settings.codeLensEnabled) return [];
    return [...this.insights.lensesOf(document)];
  }
}
