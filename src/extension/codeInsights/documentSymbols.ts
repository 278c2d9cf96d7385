import * as vscode from 'vscode';

/** What a document symbol provider returns: a tree of DocumentSymbol, or flat SymbolInformation from older providers. */
export type ProvidedSymbol = vscode.DocumentSymbol | vscode.SymbolInformation;

/** The document's symbols from its language's provider; none when there is no provider or it fails. */
export async function documentSymbols(uri: vscode.Uri): Promise<readonly ProvidedSymbol[]> {
  try {
    return (await vscode.commands.executeCommand<ProvidedSymbol[] | undefined>('vscode.executeDocumentSymbolProvider', uri)) ?? [];
  } catch {
    return [];
  }
}
