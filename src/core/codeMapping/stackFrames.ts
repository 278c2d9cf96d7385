// Frames of a stack trace as runtimes print them: V8/Node (and Firefox/Safari `fn@file:line:col`), Python,
// Java/Kotlin, Go, .NET, Ruby and PHP. Stack traces come from other people's systems, so input is capped and
// anything unrecognized is skipped.

export interface StackFrame {
  /** As printed: absolute, relative, a file URL, or for Java only a file name. */
  readonly filePath: string;
  /** 1-based. */
  readonly lineNumber: number;
  /** 1-based. */
  readonly columnNumber?: number;
  readonly functionName?: string;
}

const MAX_TEXT_LENGTH = 64 * 1024;
const MAX_LINE_LENGTH = 2048;
const DEFAULT_MAX_FRAMES = 64;

const PYTHON = /^\s*File "([^"]+)", line (\d+)(?:, in (\S.*))?$/;
const DOTNET = /^\s*at ([^(]+)\(.*\) in (.+):line (\d+)$/;
const JAVA = /^\s*at ([^\s()]+)\(([^()]*)\)$/;
const RUBY = /^\s*(?:from\s+)?(\S.*?):(\d+):in [`'](.*)'$/;
const PHP = /^#\d+ (.+?)\((\d+)\): (.+)$/;
const GO_FILE = /^\s+(\S.*\.(?:go|s)):(\d+)(?: \+0x[0-9a-fA-F]+)?$/;
const GO_FUNCTION = /^(?:created by )?(\S+?)(?:\([^()]*\))?(?: in goroutine \d+)?$/;
const GECKO = /^\s*([^@\s]*)@(.+)$/;

/**
 * The frames of `text`, innermost first (Python prints innermost last, so its frames are reversed). Frames
 * without a file and line (native code, eval) are skipped. At most `maxFrames` frames, from at most the first
 * 64 KiB of text; never throws.
 */
export function parseStackFrames(text: string, maxFrames: number = DEFAULT_MAX_FRAMES): StackFrame[] {
  const frames: StackFrame[] = [];
  const pythonFrames: StackFrame[] = [];
  const lines = text.slice(0, MAX_TEXT_LENGTH).split(/\r?\n/);
  let previous = '';
  for (const line of lines) {
    if (line.length > MAX_LINE_LENGTH) {
      previous = '';
      continue;
    }
    const python = pythonFrame(line);
    if (python !== undefined) pythonFrames.push(python);
    else {
      const frame = otherFrame(line, previous);
      if (frame !== undefined) frames.push(frame);
    }
    previous = line;
    if (pythonFrames.length === 0 && frames.length >= maxFrames) break;
  }
  return [...frames, ...pythonFrames.reverse()].slice(0, Math.max(0, maxFrames));
}

function pythonFrame(line: string): StackFrame | undefined {
  const match = PYTHON.exec(line);
  if (match === null) return undefined;
  return frame(match[1], match[2], undefined, match[3]);
}

function otherFrame(line: string, previous: string): StackFrame | undefined {
  const trimmed = line.trim();
  if (trimmed.startsWith('at ')) return dotNetFrame(line) ?? javaFrame(line) ?? v8Frame(trimmed.slice(3));
  const ruby = RUBY.exec(line);
  if (ruby !== null) return frame(ruby[1], ruby[2], undefined, ruby[3]);
  const php = PHP.exec(line);
  if (php !== null) return php[1].startsWith('[') ? undefined : frame(php[1], php[2], undefined, beforeParenthesis(php[3]));
  const go = GO_FILE.exec(line);
  if (go !== null) return frame(go[1], go[2], undefined, GO_FUNCTION.exec(previous.trim())?.[1]);
  const gecko = GECKO.exec(line);
  if (gecko !== null) return locatedFrame(gecko[2], gecko[1]);
  return undefined;
}

function dotNetFrame(line: string): StackFrame | undefined {
  const match = DOTNET.exec(line);
  return match === null ? undefined : frame(match[2], match[3], undefined, match[1].trim());
}

/** `at com.x.Y.m(Y.java:42)`, also with a module or class loader prefix (`java.base/…`, `app//…`). */
function javaFrame(line: string): StackFrame | undefined {
  const match = JAVA.exec(line);
  if (match === null) return undefined;
  const location = /^([^:]+):(\d+)$/.exec(match[2]);
  if (location === null) return undefined;
  return frame(location[1], location[2], undefined, match[1].slice(match[1].lastIndexOf('/') + 1));
}

/** After `at `: `fn (file:line:col)`, `async fn (…)`, `new C (…)`, `fn [as alias] (…)` or `file:line:col`. */
function v8Frame(rest: string): StackFrame | undefined {
  const open = rest.indexOf(' (');
  if (open < 0 || !rest.endsWith(')')) return locatedFrame(rest, undefined);
  const location = rest.slice(open + 2, -1);
  if (location.startsWith('eval at ')) return undefined;
  const name = rest
    .slice(0, open)
    .replace(/^(?:async|new) /, '')
    .replace(/ \[as [^\]]*\]$/, '');
  return locatedFrame(location, name);
}

/** `file:line:col` or `file:line`. */
function locatedFrame(location: string, functionName: string | undefined): StackFrame | undefined {
  // Greedy on the file, so that `C:\x.js:1:2` keeps its drive letter.
  const line = /^(.+):(\d+):(\d+)$/.exec(location) ?? /^(.+):(\d+)$/.exec(location);
  if (line === null) return undefined;
  return frame(line[1], line[2], line[3], functionName);
}

function frame(filePath: string, line: string, column: string | undefined, functionName: string | undefined): StackFrame | undefined {
  const lineNumber = positive(line);
  if (lineNumber === undefined || filePath === '' || filePath.startsWith('<') || filePath.startsWith('node:')) return undefined;
  const columnNumber = column === undefined ? undefined : positive(column);
  const name = functionName?.trim();
  return {
    filePath,
    lineNumber,
    ...(columnNumber === undefined ? {} : { columnNumber }),
    ...(name === undefined || name === '' || name.startsWith('<') ? {} : { functionName: name }),
  };
}

function beforeParenthesis(call: string): string {
  const open = call.indexOf('(');
  return open < 0 ? call : call.slice(0, open);
}

function positive(digits: string): number | undefined {
  if (digits.length > 9) return undefined;
  const value = Number(digits);
  return Number.isInteger(value) && value > 0 ? value : undefined;
}
