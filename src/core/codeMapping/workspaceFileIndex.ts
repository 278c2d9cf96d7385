// The workspace's files, for finding which local file a path from elsewhere means: by exact path, or by the
// longest run of trailing path segments it shares with a workspace file.

import { baseName, isPathUnder, normalizePath } from './pathMappings';

export interface SuffixMatch {
  /** The chosen workspace file, as it was added. */
  readonly path: string;
  /** How many trailing segments it shares with the path looked up; at least 1, the file name. */
  readonly matchedSegments: number;
  /** How many workspace files share that many segments, the chosen one included; more than 1 is ambiguous. */
  readonly candidates: number;
  /** Up to three of the other equally good files, as added. */
  readonly alternatives: readonly string[];
}

const MAX_ALTERNATIVES = 3;

/**
 * Absolute local paths of files under the workspace roots, with `/` or platform separators. Files are indexed by
 * name, so a suffix lookup only looks at files with the same name: O(those files × segments) whatever the size.
 */
export class WorkspaceFileIndex {
  private normalizedRoots: string[] = [];
  /** Each root with a trailing `/`, for cheap prefix tests. */
  private rootPrefixes: string[] = [];
  /** Normalized path → the path as added. */
  private readonly files = new Map<string, string>();
  /** File name → its normalized path, or paths when several files share it (most names are unique). */
  private readonly byName = new Map<string, string | string[]>();
  private changes = 0;

  constructor(roots: readonly string[]) {
    this.useRoots(normalizeRoots(roots));
  }

  /** Bumps on every change that can change an answer. */
  get version(): number {
    return this.changes;
  }

  get size(): number {
    return this.files.size;
  }

  /** The workspace folders, normalized (`/a/b`, `c:/a/b`). */
  get roots(): readonly string[] {
    return this.normalizedRoots;
  }

  /** Replaces the roots, dropping files that no longer lie under any of them. */
  setRoots(roots: readonly string[]): void {
    const next = normalizeRoots(roots);
    if (next.length === this.normalizedRoots.length && next.every((root, i) => root === this.normalizedRoots[i])) return;
    this.useRoots(next);
    for (const key of [...this.files.keys()]) {
      if (!this.isInWorkspace(key)) this.delete(key);
    }
    this.changes++;
  }

  /** Adds files; paths that are not absolute or lie outside every root are ignored. */
  add(paths: Iterable<string>): void {
    let changed = false;
    for (const path of paths) {
      const key = normalizePath(path);
      if (this.files.has(key) || !this.isInWorkspace(key)) continue;
      this.files.set(key, path);
      const name = baseName(key);
      const named = this.byName.get(name);
      if (named === undefined) this.byName.set(name, key);
      else if (typeof named === 'string') this.byName.set(name, [named, key]);
      else named.push(key);
      changed = true;
    }
    if (changed) this.changes++;
  }

  remove(paths: Iterable<string>): void {
    let changed = false;
    for (const path of paths) changed = this.delete(normalizePath(path)) || changed;
    if (changed) this.changes++;
  }

  /** Removes every file under `folder`, which a deleted or renamed folder's watcher event names alone. */
  removeFolder(folder: string): void {
    const normalized = normalizePath(folder);
    let changed = false;
    for (const key of [...this.files.keys()]) {
      if (isPathUnder(key, normalized)) changed = this.delete(key) || changed;
    }
    if (changed) this.changes++;
  }

  clear(): void {
    if (this.files.size === 0) return;
    this.files.clear();
    this.byName.clear();
    this.changes++;
  }

  has(path: string): boolean {
    return this.files.has(normalizePath(path));
  }

  /** The indexed file that `path` names once normalized, as it was added. */
  get(path: string): string | undefined {
    return this.files.get(normalizePath(path));
  }

  /**
   * The workspace file sharing the most trailing segments with `path`, compared case-sensitively; ties go to
   * the file with the fewest segments, then to the first in code-unit order. Undefined when no file has its name.
   */
  findBySuffix(path: string): SuffixMatch | undefined {
    const segments = normalizePath(path).split('/');
    const found = this.byName.get(segments[segments.length - 1]);
    if (found === undefined) return undefined;
    const named = typeof found === 'string' ? [found] : found;
    let bestSegments = 0;
    // The equally good files seen so far, best first, at most MAX_ALTERNATIVES + 1.
    let leaders: Leader[] = [];
    let candidates = 0;
    for (const key of named) {
      const matched = trailingSegmentsInCommon(segments, key);
      if (matched < bestSegments) continue;
      if (matched > bestSegments) {
        bestSegments = matched;
        leaders = [];
        candidates = 0;
      }
      candidates++;
      insertLeader(leaders, { key, depth: -1 });
    }
    if (leaders.length === 0) return undefined;
    const original = (leader: Leader): string => this.files.get(leader.key) ?? leader.key;
    return {
      path: original(leaders[0]),
      matchedSegments: bestSegments,
      candidates,
      alternatives: leaders.slice(1).map(original),
    };
  }

  private useRoots(roots: string[]): void {
    this.normalizedRoots = roots;
    this.rootPrefixes = roots.map((root) => (root.endsWith('/') ? root : `${root}/`));
  }

  private isInWorkspace(key: string): boolean {
    for (const prefix of this.rootPrefixes) if (key.startsWith(prefix)) return true;
    return false;
  }

  private delete(key: string): boolean {
    if (!this.files.delete(key)) return false;
    const name = baseName(key);
    const named = this.byName.get(name);
    if (typeof named === 'string') this.byName.delete(name);
    else if (named !== undefined) {
      const at = named.indexOf(key);
      named[at] = named[named.length - 1];
      named.pop();
      if (named.length === 1) this.byName.set(name, named[0]);
    }
    return true;
  }
}

function normalizeRoots(roots: readonly string[]): string[] {
  const normalized = roots.map(normalizePath).filter((root) => root.startsWith('/') || /^[a-z]:\//.test(root));
  return [...new Set(normalized)];
}

/** How many trailing segments of `segments` end the normalized `path` too; stops at `..`, which names nothing. */
function trailingSegmentsInCommon(segments: readonly string[], path: string): number {
  let end = path.length;
  let count = 0;
  for (let i = segments.length - 1; i >= 0 && end > 0; i--) {
    const segment = segments[i];
    if (segment === '..' || segment === '') break;
    const start = path.lastIndexOf('/', end - 1) + 1;
    if (end - start !== segment.length || !path.startsWith(segment, start)) break;
    count++;
    end = start - 1;
  }
  return count;
}

interface Leader {
  readonly key: string;
  /** Segment count, computed when first compared. */
  depth: number;
}

function insertLeader(leaders: Leader[], leader: Leader): void {
  let at = leaders.length;
  while (at > 0 && precedes(leader, leaders[at - 1])) at--;
  if (at > MAX_ALTERNATIVES) return;
  leaders.splice(at, 0, leader);
  if (leaders.length > MAX_ALTERNATIVES + 1) leaders.pop();
}

/** Fewer segments first (a file near a root over one deep in a copy), then code-unit order. */
function precedes(a: Leader, b: Leader): boolean {
  if (a.depth < 0) a.depth = segmentCount(a.key);
  if (b.depth < 0) b.depth = segmentCount(b.key);
  if (a.depth !== b.depth) return a.depth < b.depth;
  return a.key < b.key;
}

function segmentCount(path: string): number {
  let count = 0;
  for (let i = 0; i < path.length; i++) if (path.charCodeAt(i) === 47 /* / */) count++;
  return count;
}
