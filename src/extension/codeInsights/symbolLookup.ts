import * as vscode from 'vscode';
import type { FunctionSymbolLookup, SourceLocation } from '../../core/codeMapping/sourceResolver';
import { documentSymbols, type ProvidedSymbol } from './documentSymbols';
import { isNamedFunctionSymbol } from './functionRanges';

/** What a language server calls a symbol, reduced to what ranking needs. */
interface Candidate {
  readonly name: string;
  readonly containerName: string;
  readonly kind: vscode.SymbolKind;
  readonly uri: vscode.Uri;
  readonly line: number;
  readonly character: number;
}

/**
 * Finds a function by the name a span gives it (`module.function`, `com.x.Class.method`,
 * `Namespace::Class::method`) through the editor's symbol providers, so any language with a language server
 * works: the hinted file's document symbols first, then workspace symbols.
 */
export class EditorSymbolLookup implements FunctionSymbolLookup {
  async findFunction(qualifiedName: string, hint: { readonly filePath?: string }): Promise<SourceLocation | undefined> {
    const segments = nameSegments(qualifiedName);
    const last = segments.at(-1);
    if (last === undefined) return undefined;
    if (hint.filePath !== undefined) {
      const inFile = best(await documentCandidates(vscode.Uri.file(hint.filePath)), segments, hint.filePath);
      if (inFile !== undefined) return inFile;
    }
    return best(await workspaceCandidates(last), segments, hint.filePath);
  }
}

/** `a.b.C.method`, `a::b::method`, `a/b.method`, `Class#method` → segments; a trailing `(…)` is dropped. */
export function nameSegments(qualifiedName: string): string[] {
  const withoutParameters = qualifiedName.replace(/\(.*\)\s*$/, '').trim();
  return withoutParameters.split(/::|[.#/\\:$]/).filter((segment) => segment !== '');
}

/** A symbol's bare name: language servers may add parameters or generic arguments (`method(int)`, `f<T>`). */
function bareName(name: string): string {
  return name.replace(/[(<].*$/, '').trim();
}

function best(candidates: readonly Candidate[], segments: readonly string[], hintPath: string | undefined): SourceLocation | undefined {
  const last = segments[segments.length - 1];
  let top: Candidate | undefined;
  let topScore = -1;
  for (const candidate of candidates) {
    if (bareName(candidate.name) !== last) continue;
    const score = scoreOf(candidate, segments, hintPath);
    if (score > topScore) {
      top = candidate;
      topScore = score;
    }
  }
  if (top === undefined || top.uri.scheme !== 'file') return undefined;
  return { filePath: top.uri.fsPath, lineNumber: top.line + 1, columnNumber: top.character + 1 };
}

/** Function kinds, then the qualifier matching the container or file name, then the hinted file. */
function scoreOf(candidate: Candidate, segments: readonly string[], hintPath: string | undefined): number {
  let score = isNamedFunctionSymbol(candidate.name, candidate.kind) ? 8 : 0;
  const qualifiers = segments.slice(0, -1);
  const nearest = qualifiers.at(-1);
  if (nearest !== undefined) {
    const container = nameSegments(candidate.containerName);
    if (container.at(-1) === nearest) score += 4;
    const file = candidate.uri.path.slice(candidate.uri.path.lastIndexOf('/') + 1).replace(/\.[^.]*$/, '');
    if (qualifiers.includes(file)) score += 2;
    // Package and module qualifiers also show up as folders: com/x/Class.java, pkg/module.py.
    if (qualifiers.slice(0, -1).some((segment) => candidate.uri.path.includes(`/${segment}/`))) score += 1;
  }
  if (hintPath !== undefined && candidate.uri.scheme === 'file' && candidate.uri.fsPath === hintPath) score += 16;
  return score;
}

async function workspaceCandidates(name: string): Promise<Candidate[]> {
  let symbols: vscode.SymbolInformation[] | undefined;
  try {
    symbols = await vscode.commands.executeCommand<vscode.SymbolInformation[] | undefined>('vscode.executeWorkspaceSymbolProvider', name);
  } catch {
    return [];
  }
  return (symbols ?? []).map((symbol) => ({
    name: symbol.name,
    containerName: symbol.containerName,
    kind: symbol.kind,
    uri: symbol.location.uri,
    line: symbol.location.range.start.line,
    character: symbol.location.range.start.character,
  }));
}

async function documentCandidates(uri: vscode.Uri): Promise<Candidate[]> {
  const symbols = await documentSymbols(uri);
  const candidates: Candidate[] = [];
  const stack: { symbol: ProvidedSymbol; container: string }[] = symbols.map((symbol) => ({ symbol, container: '' }));
  while (stack.length > 0) {
    const { symbol, container } = stack.pop() as (typeof stack)[number];
    if ('children' in symbol) {
      const start = symbol.selectionRange.start;
      candidates.push({ name: symbol.name, containerName: container, kind: symbol.kind, uri, line: start.line, character: start.character });
      for (const child of symbol.children) stack.push({ symbol: child, container: symbol.name });
    } else {
      const start = symbol.location.range.start;
      candidates.push({ name: symbol.name, containerName: symbol.containerName, kind: symbol.kind, uri, line: start.line, character: start.character });
    }
  }
  return candidates;
}
