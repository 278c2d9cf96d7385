// Which local file and line a span's code location means. Tries, in order: the file and line the span names
// (code.* or Datadog's code origin), the function name through the editor's symbols, then the first frame of
// its stack trace that lies in the workspace. Answers are cached until the workspace's files or the path
// mappings change.

import { CodeLocationMap } from './codeLocationMap';
import type { SpanCodeLocation } from './spanCodeLocation';
import type { PathMapping } from './pathMappings';
import { baseName, isAbsolutePath, joinPath, mapRemotePath, normalizePath } from './pathMappings';
import type { SuffixMatch, WorkspaceFileIndex } from './workspaceFileIndex';
import { parseStackFrames } from './stackFrames';

export type ResolutionRule = 'file' | 'datadog' | 'function' | 'stacktrace';
export type ResolutionConfidence = 'high' | 'medium' | 'low';

export interface SourceLocation {
  /** Absolute local path. */
  readonly filePath: string;
  /** 1-based. */
  readonly lineNumber: number;
  /** 1-based. */
  readonly columnNumber?: number;
}

export type SourceResolution =
  | { kind: 'resolved'; location: SourceLocation; rule: ResolutionRule; confidence: ResolutionConfidence; detail: string }
  | { kind: 'unresolved'; reason: string };

/** Finds where a function is declared; in the editor, through its document and workspace symbol providers. */
export interface FunctionSymbolLookup {
  /** `hint.filePath` is a workspace file the function is likely declared in. */
  findFunction(qualifiedName: string, hint: { readonly filePath?: string }): Promise<SourceLocation | undefined>;
}

export interface SourceResolverOptions {
  readonly fileIndex: WorkspaceFileIndex;
  readonly pathMappings?: readonly PathMapping[];
  readonly symbols?: FunctionSymbolLookup;
  /**
   * How long an answer that missed in the symbol lookup is kept before it is looked up again, as a language
   * server may still be starting; 10 s unless given.
   */
  readonly symbolRetryMillis?: number;
  /** Most answers kept; the oldest go first. 10,000 unless given. */
  readonly maxEntries?: number;
  readonly now?: () => number;
}

interface CacheEntry {
  readonly resolution: SourceResolution;
  readonly expiresAtMillis: number;
}

interface Computed {
  readonly resolution: SourceResolution;
  /** Whether a symbol lookup missed, so that asking again later may give a better answer. */
  readonly symbolMissed: boolean;
}

interface FoundFile {
  readonly kind: 'found';
  readonly path: string;
  readonly confidence: ResolutionConfidence;
  readonly detail: string;
}
type FileLookup = FoundFile | { readonly kind: 'missing'; readonly reason: string };

const DEFAULT_SYMBOL_RETRY_MILLIS = 10_000;
const DEFAULT_MAX_ENTRIES = 10_000;
/** Stack frames in dependencies are never the code a span is about. */
const DEPENDENCY_FOLDER = /(?:^|\/)(?:node_modules|site-packages|dist-packages)\//;

export class SourceResolver {
  private readonly fileIndex: WorkspaceFileIndex;
  private readonly symbols: FunctionSymbolLookup | undefined;
  private readonly symbolRetryMillis: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  private mappings: readonly PathMapping[];
  private readonly entries = new CodeLocationMap<CacheEntry>();
  private readonly pending = new CodeLocationMap<Promise<SourceResolution>>();
  private indexVersion: number;
  private changes = 0;

  constructor(options: SourceResolverOptions) {
    this.fileIndex = options.fileIndex;
    this.mappings = [...(options.pathMappings ?? [])];
    this.symbols = options.symbols;
    this.symbolRetryMillis = options.symbolRetryMillis ?? DEFAULT_SYMBOL_RETRY_MILLIS;
    this.maxEntries = Math.max(1, options.maxEntries ?? DEFAULT_MAX_ENTRIES);
    this.now = options.now ?? Date.now;
    this.indexVersion = this.fileIndex.version;
  }

  /** Bumps whenever cached answers may change: the file index or the mappings changed, or invalidate(). */
  get version(): number {
    this.syncWithIndex();
    return this.changes;
  }

  resolve(location: SpanCodeLocation): Promise<SourceResolution> {
    const known = this.cached(location);
    if (known !== undefined) return Promise.resolve(known);
    // A copy, as the caller's object is not ours to keep.
    const key = copyOf(location);
    const inFlight = this.pending.get(key);
    if (inFlight !== undefined) return inFlight;
    const version = this.changes;
    const settle = (): void => {
      if (this.pending.get(key) === promise) this.pending.delete(key);
    };
    const promise = this.compute(location).then(
      ({ resolution, symbolMissed }) => {
        settle();
        if (this.version === version) this.store(key, resolution, symbolMissed);
        return resolution;
      },
      (error: unknown) => {
        settle();
        throw error;
      },
    );
    this.pending.set(key, promise);
    return promise;
  }

  /** The answer resolve() would give, if it is known now. */
  cached(location: SpanCodeLocation): SourceResolution | undefined {
    this.syncWithIndex();
    const entry = this.entries.get(location);
    if (entry === undefined) return undefined;
    // Most answers never expire; now() is asked only for those that do.
    if (entry.expiresAtMillis !== Number.POSITIVE_INFINITY && entry.expiresAtMillis <= this.now()) return undefined;
    return entry.resolution;
  }

  setPathMappings(mappings: readonly PathMapping[]): void {
    const same =
      mappings.length === this.mappings.length &&
      mappings.every((mapping, i) => mapping.remoteRoot === this.mappings[i].remoteRoot && mapping.localRoot === this.mappings[i].localRoot);
    if (same) return;
    this.mappings = [...mappings];
    this.dropAll();
  }

  /** Forgets every answer, e.g. when documents changed and functions may have moved. */
  invalidate(): void {
    this.dropAll();
  }

  private syncWithIndex(): void {
    if (this.fileIndex.version === this.indexVersion) return;
    this.indexVersion = this.fileIndex.version;
    this.dropAll();
  }

  private dropAll(): void {
    this.entries.clear();
    this.pending.clear();
    this.changes++;
  }

  private store(key: SpanCodeLocation, resolution: SourceResolution, symbolMissed: boolean): void {
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.entries.deleteOldest();
    this.entries.set(key, { resolution, expiresAtMillis: symbolMissed ? this.now() + this.symbolRetryMillis : Number.POSITIVE_INFINITY });
  }

  private async compute(location: SpanCodeLocation): Promise<Computed> {
    const reasons: string[] = [];
    const { filePath, functionName } = location;
    const fileRule: ResolutionRule = location.fileOrigin === 'datadog' ? 'datadog' : 'file';
    let fileWithoutLine: FoundFile | undefined;
    if (filePath !== undefined) {
      const file = this.findFile(filePath, functionName, false);
      if (file.kind === 'missing') reasons.push(file.reason);
      else if (location.lineNumber === undefined) fileWithoutLine = file;
      else {
        const at = { filePath: file.path, lineNumber: location.lineNumber, ...columnOf(location.columnNumber) };
        return { resolution: resolved(at, fileRule, file.confidence, file.detail), symbolMissed: false };
      }
    }

    let symbolMissed = false;
    const hint = fileWithoutLine?.path;
    if (functionName !== undefined) {
      const found = await this.findFunction(functionName, hint);
      if (found.kind === 'resolved') return { resolution: found, symbolMissed: false };
      reasons.push(found.reason);
      symbolMissed = this.symbols !== undefined;
    }

    if (fileWithoutLine !== undefined) {
      const detail = `${fileWithoutLine.detail}; the span names no line, so this is the top of the file`;
      return { resolution: resolved({ filePath: fileWithoutLine.path, lineNumber: 1 }, fileRule, 'low', detail), symbolMissed };
    }

    if (location.stackTrace !== undefined) {
      const frame = this.firstWorkspaceFrame(location.stackTrace);
      if (frame.kind === 'resolved') return { resolution: frame, symbolMissed: false };
      reasons.push(frame.reason);
    }
    if (reasons.length === 0) reasons.push('the span names no function, file or stack trace');
    return { resolution: { kind: 'unresolved', reason: capitalize(reasons.join('; ')) }, symbolMissed };
  }

  private async findFunction(functionName: string, hint: string | undefined): Promise<SourceResolution> {
    if (this.symbols === undefined) return { kind: 'unresolved', reason: `functions such as ${quote(functionName)} cannot be looked up by name here` };
    let found: SourceLocation | undefined;
    try {
      found = await this.symbols.findFunction(functionName, hint === undefined ? {} : { filePath: hint });
    } catch (error) {
      return { kind: 'unresolved', reason: `looking up the function ${quote(functionName)} failed: ${error instanceof Error ? error.message : String(error)}` };
    }
    if (found === undefined) {
      const where = hint === undefined ? "the workspace's symbols" : `"${hint}" or the workspace's symbols`;
      return { kind: 'unresolved', reason: `no function ${quote(functionName)} was found in ${where}` };
    }
    const inHint = hint !== undefined && normalizePath(found.filePath) === normalizePath(hint);
    const detail = `the function ${quote(functionName)} was found by name in "${found.filePath}"`;
    return resolved(found, 'function', inHint ? 'high' : 'medium', detail);
  }

  private firstWorkspaceFrame(stackTrace: string): SourceResolution {
    const frames = parseStackFrames(stackTrace);
    if (frames.length === 0) return { kind: 'unresolved', reason: 'its stack trace has no frame with a file and line' };
    const noFiles = this.whyNoFiles('its stack trace');
    if (noFiles !== undefined) return { kind: 'unresolved', reason: noFiles };
    for (const [index, frame] of frames.entries()) {
      if (DEPENDENCY_FOLDER.test(normalizePath(frame.filePath))) continue;
      const file = this.findFile(frame.filePath, frame.functionName, true);
      if (file.kind === 'missing') continue;
      const at = { filePath: file.path, lineNumber: frame.lineNumber, ...columnOf(frame.columnNumber) };
      const detail = `frame ${index + 1} of the stack trace, at line ${frame.lineNumber} of ${quote(frame.filePath)}: ${file.detail}`;
      return resolved(at, 'stacktrace', file.confidence === 'high' ? 'medium' : file.confidence, detail);
    }
    const count = frames.length === 1 ? 'its stack trace has 1 frame' : `its stack trace has ${frames.length} frames`;
    return { kind: 'unresolved', reason: `${count}, none in a workspace file` };
  }

  /**
   * The workspace file `remotePath` means: through the path mappings, as is, or by the longest matching path
   * suffix. `strict` accepts a suffix match only if it is telling, as a stack frame in some library could
   * otherwise land on any workspace file of the same name.
   */
  private findFile(remotePath: string, functionName: string | undefined, strict: boolean): FileLookup {
    const normalized = normalizePath(remotePath);
    if (normalized === '') return { kind: 'missing', reason: `the file path ${quote(remotePath)} is empty or too long` };
    const noFiles = this.whyNoFiles(quote(remotePath));
    if (noFiles !== undefined) return { kind: 'missing', reason: noFiles };

    const mapped = mapRemotePath(remotePath, this.mappings);
    if (mapped !== undefined) {
      const local = this.localFile(mapped);
      if (local !== undefined) {
        return { kind: 'found', path: local.path, confidence: local.confidence, detail: `${quote(remotePath)} maps to "${local.path}" through the path mappings${local.note}` };
      }
    }
    const local = this.localFile(normalized);
    if (local !== undefined) {
      const how = isAbsolutePath(normalized) ? `${quote(remotePath)} is a workspace file` : `${quote(remotePath)} is relative to a workspace folder`;
      return { kind: 'found', path: local.path, confidence: local.confidence, detail: how + local.note };
    }

    const query = javaPackagePath(normalized, functionName) ?? normalized;
    const match = this.fileIndex.findBySuffix(query);
    const telling = match !== undefined && this.isTelling(match, query);
    if (match !== undefined && (telling || !strict)) {
      const ending = query.split('/').slice(-match.matchedSegments).join('/');
      let detail = `${quote(remotePath)} is not in the workspace; "${match.path}" ends with the same "${ending}"`;
      let confidence: ResolutionConfidence = telling ? 'medium' : 'low';
      if (match.candidates > 1) {
        confidence = 'low';
        const others = match.alternatives.map((path) => `"${path}"`).join(', ');
        const more = match.candidates - 1 > match.alternatives.length ? ', …' : '';
        const count = match.candidates === 2 ? 'does 1 other workspace file' : `do ${match.candidates - 1} other workspace files`;
        detail += `, but so ${count} (${others}${more}), so this is a guess`;
      }
      return { kind: 'found', path: match.path, confidence, detail };
    }

    const start = mapped === undefined ? `${quote(remotePath)} is not in the workspace` : `${quote(remotePath)} maps to "${mapped}", which is not a workspace file,`;
    const tail = match === undefined ? `no workspace file ends with "${baseName(normalized)}"` : `only the file name "${baseName(normalized)}" matches a workspace file`;
    return { kind: 'missing', reason: `${start} and ${tail}` };
  }

  /** Why no path can be looked up now, if so; `subject` names what was to be looked up. */
  private whyNoFiles(subject: string): string | undefined {
    if (this.fileIndex.roots.length === 0) return `${subject} cannot be looked up, as no workspace folder is open`;
    if (this.fileIndex.size === 0) return `${subject} cannot be looked up yet, as no workspace files are indexed`;
    return undefined;
  }

  /**
   * Whether a suffix match says more than that a file of that name exists: it shares a folder too, it is all
   * the path there was (a Java file name), or what is left of the workspace file is a workspace folder, as when
   * a container copies the project to `/app`.
   */
  private isTelling(match: SuffixMatch, query: string): boolean {
    if (match.matchedSegments >= 2) return true;
    if (match.matchedSegments === query.split('/').filter((segment) => segment !== '..').length) return true;
    const local = normalizePath(match.path);
    const folder = local.slice(0, Math.max(0, local.lastIndexOf('/')));
    return this.fileIndex.roots.some((root) => root === folder || root === `${folder}/`);
  }

  /** The indexed file a normalized path names: absolute as is, relative under each workspace folder. */
  private localFile(normalized: string): { path: string; confidence: ResolutionConfidence; note: string } | undefined {
    if (isAbsolutePath(normalized)) {
      const path = this.fileIndex.get(normalized);
      return path === undefined ? undefined : { path, confidence: 'high', note: '' };
    }
    const hits: string[] = [];
    for (const root of this.fileIndex.roots) {
      const path = this.fileIndex.get(joinPath(root, normalized));
      if (path !== undefined) hits.push(path);
    }
    if (hits.length === 0) return undefined;
    if (hits.length === 1) return { path: hits[0], confidence: 'high', note: '' };
    return { path: hits[0], confidence: 'medium', note: ` (${hits.length} workspace folders hold "${normalized}"; using the first)` };
  }
}

/**
 * For a Java-style frame that names only `Y.java`, the path its package implies (`com/x/Y.java` for
 * `com.x.Y.m`), which narrows the suffix match; undefined when the function name gives no package.
 */
function javaPackagePath(normalized: string, functionName: string | undefined): string | undefined {
  if (functionName === undefined || normalized.includes('/')) return undefined;
  const dot = normalized.lastIndexOf('.');
  const stem = dot > 0 ? normalized.slice(0, dot) : normalized;
  const parts = functionName.split('.');
  const classAt = parts.findIndex((part) => part === stem || part.startsWith(`${stem}$`));
  return classAt > 0 ? `${parts.slice(0, classAt).join('/')}/${normalized}` : undefined;
}

function resolved(location: SourceLocation, rule: ResolutionRule, confidence: ResolutionConfidence, detail: string): SourceResolution {
  return { kind: 'resolved', location, rule, confidence, detail: capitalize(detail) };
}

function columnOf(columnNumber: number | undefined): { columnNumber?: number } {
  return columnNumber === undefined ? {} : { columnNumber };
}

/** `text` in double quotes, its middle cut when long, as paths and names come from other systems. */
function quote(text: string): string {
  return text.length > 160 ? `"${text.slice(0, 80)}…${text.slice(-79)}"` : `"${text}"`;
}

function capitalize(text: string): string {
  return text.length === 0 ? text : text[0].toUpperCase() + text.slice(1);
}

function copyOf(location: SpanCodeLocation): SpanCodeLocation {
  const { functionName, filePath, lineNumber, columnNumber, stackTrace, fileOrigin } = location;
  return { functionName, filePath, lineNumber, columnNumber, stackTrace, fileOrigin };
}
