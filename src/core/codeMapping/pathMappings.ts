// Source paths as spans report them (container and CI paths, Windows paths, file:// and webpack:// URLs) put
// in one comparable form, and user path mappings from remote roots onto local ones, in the spirit of the
// remoteRoot/localRoot pairs of VS Code debug configurations.

export interface PathMapping {
  /** Where the code ran, e.g. `/app`. */
  readonly remoteRoot: string;
  /** Where the same files are here; a relative root is taken against each workspace folder. */
  readonly localRoot: string;
}

const MAX_PATH_LENGTH = 4096;
const DRIVE = /^[A-Za-z]:(?:\/|$)/;
const WEBPACK = /^webpack(?:-internal)?:\/\/[^/]*\//i;
/** Something in an absolute POSIX path that normalizing would change. */
const NOT_NORMAL = /\\|\/\/|\/\.{1,2}(?:\/|$)|\/$|\s$/;

/**
 * `path` with forward slashes, `.` and `..` applied, no empty or trailing segments, and a lower-case drive
 * letter: `/a/b`, `c:/a/b`, or relative `a/b` (leading `..` kept). File URLs become paths; webpack URLs become
 * paths relative to the bundle's project. Case is kept elsewhere, as most file systems here are case-sensitive.
 * Paths longer than 4096 characters, and the empty path, give ''.
 */
export function normalizePath(path: string): string {
  // Most paths, such as every workspace file on POSIX, are already normal.
  if (path.charCodeAt(0) === 47 /* / */ && path.length <= MAX_PATH_LENGTH && !NOT_NORMAL.test(path)) return path;
  let text = path.trim();
  if (text.length === 0 || text.length > MAX_PATH_LENGTH) return '';
  if (/^file:\/\//i.test(text)) text = fileUrlPath(text);
  else if (WEBPACK.test(text)) text = text.replace(WEBPACK, '').replace(/\?[^/]*$/, '');
  text = text.replace(/\\/g, '/');

  let prefix = '';
  if (DRIVE.test(text)) {
    prefix = `${text[0].toLowerCase()}:/`;
    text = text.slice(2);
  } else if (text.startsWith('/')) {
    prefix = '/';
  }
  const segments: string[] = [];
  for (const segment of text.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (segments.length > 0 && segments[segments.length - 1] !== '..') segments.pop();
      else if (prefix === '') segments.push(segment);
      continue;
    }
    segments.push(segment);
  }
  return prefix + segments.join('/');
}

/** Whether a normalized path is absolute: `/…` or `c:/…`. */
export function isAbsolutePath(normalized: string): boolean {
  return normalized.startsWith('/') || DRIVE.test(normalized);
}

/** Whether the normalized `path` is `folder` or lies under it, on a segment boundary. */
export function isPathUnder(path: string, folder: string): boolean {
  if (folder === '') return false;
  if (path === folder) return true;
  const prefix = folder.endsWith('/') ? folder : `${folder}/`;
  return path.startsWith(prefix);
}

/** The normalized path of `relative` taken from the normalized absolute `folder`. */
export function joinPath(folder: string, relative: string): string {
  return normalizePath(folder.endsWith('/') ? folder + relative : `${folder}/${relative}`);
}

/** The last segment of a normalized path. */
export function baseName(normalized: string): string {
  return normalized.slice(normalized.lastIndexOf('/') + 1);
}

/**
 * `path` moved from the longest matching `remoteRoot` (on a segment boundary) onto its `localRoot`, normalized;
 * undefined when no mapping applies. A relative `localRoot` gives a relative result.
 */
export function mapRemotePath(path: string, mappings: readonly PathMapping[]): string | undefined {
  const normalized = normalizePath(path);
  if (normalized === '') return undefined;
  let best: PathMapping | undefined;
  let bestRoot = '';
  for (const mapping of mappings) {
    const remoteRoot = normalizePath(mapping.remoteRoot);
    if (remoteRoot.length > bestRoot.length && isPathUnder(normalized, remoteRoot)) {
      best = mapping;
      bestRoot = remoteRoot;
    }
  }
  if (best === undefined) return undefined;
  const rest = normalized.slice(bestRoot.length).replace(/^\//, '');
  const localRoot = normalizePath(best.localRoot);
  if (rest === '') return localRoot;
  return localRoot === '' ? normalizePath(rest) : joinPath(localRoot, rest);
}

/** The path of a file URL: `file:///c:/x` → `c:/x`, `file://host/share/x` → `//host/share/x`, percent-decoded. */
function fileUrlPath(url: string): string {
  let rest = url.slice('file://'.length).replace(/[?#].*$/, '');
  if (rest.startsWith('/')) {
    if (/^\/[A-Za-z](?::|%3A)/i.test(rest)) rest = rest.slice(1);
  } else {
    rest = `//${rest}`;
  }
  try {
    return decodeURIComponent(rest);
  } catch {
    return rest;
  }
}
