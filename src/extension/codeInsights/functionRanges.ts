import * as vscode from 'vscode';
import { documentSymbols, type ProvidedSymbol } from './documentSymbols';

/** A function-like symbol of a document: where its lens goes, and the range it covers. */
export interface FunctionRange {
  readonly name: string;
  /** 0-based line of the symbol's name: the declaration line, where the lens and hover go. */
  readonly nameLine: number;
  readonly range: vscode.Range;
}

const FUNCTION_KINDS: ReadonlySet<vscode.SymbolKind> = new Set([vscode.SymbolKind.Function, vscode.SymbolKind.Method, vscode.SymbolKind.Constructor]);
const MAX_CACHED_DOCUMENTS = 200;

/** Anonymous functions (`<function>`, TypeScript's `inSpan() callback`) are not what a span names. */
export function isNamedFunctionSymbol(name: string, kind: vscode.SymbolKind): boolean {
  return FUNCTION_KINDS.has(kind) && !name.startsWith('<') && !name.endsWith(' callback');
}

/**
 * The function symbols of documents, from their language's document symbol provider, cached per document
 * version so that a lens refresh does not ask the language server again.
 */
export class FunctionRanges {
  private readonly cache = new Map<string, { version: number; ranges: Promise<readonly FunctionRange[]> }>();

  /** Function symbols of `document`, outermost first; empty when no provider answers. */
  of(document: vscode.TextDocument): Promise<readonly FunctionRange[]> {
    const key = document.uri.toString();
    const cached = this.cache.get(key);
    if (cached !== undefined && cached.version === document.version) return cached.ranges;
    const ranges = documentFunctions(document.uri);
    const entry = { version: document.version, ranges };
    this.cache.delete(key);
    this.cache.set(key, entry);
    // No symbols may mean the language server has not started yet: ask again next time.
    void ranges.then((found) => {
      if (found.length === 0 && this.cache.get(key) === entry) this.cache.delete(key);
    });
    if (this.cache.size > MAX_CACHED_DOCUMENTS) this.cache.delete(this.cache.keys().next().value as string);
    return ranges;
  }

  forget(uri: vscode.Uri): void {
    this.cache.delete(uri.toString());
  }
}

/** The innermost named function whose range holds `line` (0-based), if any. */
export function enclosingFunction(ranges: readonly FunctionRange[], line: number): FunctionRange | undefined {
  let best: FunctionRange | undefined;
  for (const candidate of ranges) {
    if (candidate.range.start.line > line || candidate.range.end.line < line) continue;
    if (best === undefined || candidate.range.start.isAfterOrEqual(best.range.start)) best = candidate;
  }
  return best;
}

async function documentFunctions(uri: vscode.Uri): Promise<readonly FunctionRange[]> {
  const symbols = await documentSymbols(uri);
  const ranges: FunctionRange[] = [];
  // An explicit stack: symbol trees of generated files can be deep.
  const stack = [...symbols].reverse();
  while (stack.length > 0) {
    const symbol = stack.pop() as ProvidedSymbol;
    if ('children' in symbol) {
      if (isNamedFunctionSymbol(symbol.name, symbol.kind)) {
        ranges.push({ name: symbol.name, nameLine: symbol.selectionRange.start.line, range: symbol.range });
      }
      for (let i = symbol.children.length - 1; i >= 0; i--) stack.push(symbol.children[i]);
    } else if (isNamedFunctionSymbol(symbol.name, symbol.kind)) {
      ranges.push({ name: symbol.name, nameLine: symbol.location.range.start.line, range: symbol.location.range });
    }
  }
  return ranges;
}
