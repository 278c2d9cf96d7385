// Where in the source a span was produced, from the OpenTelemetry code attributes: the stable names
// (code.function.name, code.file.path, code.line.number, code.column.number) and the deprecated ones older
// SDKs still send (code.function with code.namespace, code.filepath, code.lineno, code.column); Datadog's
// code origin frames (_dd.code_origin.frames.N.*); and, when no file is named, a stack trace to search.

import { smallCountOf } from '../model/smallCount';
import type { Attribute, Span } from '../model/trace';

export interface SpanCodeLocation {
  /** Fully qualified where the producer says so, e.g. `com.example.Handler.serve`. */
  readonly functionName: string | undefined;
  readonly filePath: string | undefined;
  readonly lineNumber: number | undefined;
  readonly columnNumber: number | undefined;
  /** code.stacktrace or exception.stacktrace, kept only when the span names no file. */
  readonly stackTrace: string | undefined;
  /** Which attribute family gave filePath and lineNumber: code.* or Datadog's code origin frames. */
  readonly fileOrigin: 'code' | 'datadog' | undefined;
}

export const NO_CODE_LOCATION: SpanCodeLocation = Object.freeze({
  functionName: undefined,
  filePath: undefined,
  lineNumber: undefined,
  columnNumber: undefined,
  stackTrace: undefined,
  fileOrigin: undefined,
});

/** Longer stack traces are cut at a line break before this many characters (16 KiB). */
export const MAX_STACK_TRACE_CHARS = 16 * 1024;

const DATADOG_FRAME_PREFIX = '_dd.code_origin.frames.';
const EXCEPTION_STACK_TRACE = 'exception.stacktrace';

/**
 * Collects the code attributes of one span, offered one at a time, so that model attributes and decoded
 * protobuf attributes go through the same rules. Reusable: `result()` starts over.
 */
export class CodeLocationReader {
  private functionName: string | undefined;
  private legacyFunction: string | undefined;
  private namespace: string | undefined;
  private filePath: string | undefined;
  private legacyFilePath: string | undefined;
  private lineNumber: number | undefined;
  private legacyLineNumber: number | undefined;
  private columnNumber: number | undefined;
  private legacyColumnNumber: number | undefined;
  /** Index of the Datadog frame read so far; the lowest wins, as frame 0 is the span's entry point. */
  private datadogFrame = -1;
  private datadogFile: string | undefined;
  private datadogLine: number | undefined;
  private datadogMethod: string | undefined;
  private datadogType: string | undefined;
  private codeStackTrace: string | undefined;
  private exceptionStackTrace: string | undefined;
  private eventStackTrace: string | undefined;
  private offered = false;

  /** Whether `key` may be a code attribute; cheap, as it runs for every attribute of every span received. */
  static wants(key: string): boolean {
    const first = key.charCodeAt(0);
    if (first === 99 /* c */) return key.length >= 11 && key.charCodeAt(4) === 46 /* . */ && key.startsWith('code');
    if (first === 95 /* _ */) return key.length > DATADOG_FRAME_PREFIX.length && key.startsWith(DATADOG_FRAME_PREFIX);
    return first === 101 /* e */ && key === EXCEPTION_STACK_TRACE;
  }

  /** `text` is the value of a string attribute, `integer` that of an int one (decimal). */
  offer(key: string, text: string | undefined, integer: string | undefined): void {
    // Callers ask wants() first; other keys fall through to the default branch and are ignored there.
    switch (key) {
      case 'code.function.name':
        this.functionName = nonEmpty(text);
        break;
      case 'code.function':
        this.legacyFunction = nonEmpty(text);
        break;
      case 'code.namespace':
        this.namespace = nonEmpty(text);
        break;
      case 'code.file.path':
        this.filePath = nonEmpty(text);
        break;
      case 'code.filepath':
        this.legacyFilePath = nonEmpty(text);
        break;
      case 'code.line.number':
        this.lineNumber = positiveOf(integer ?? text);
        break;
      case 'code.lineno':
        this.legacyLineNumber = positiveOf(integer ?? text);
        break;
      case 'code.column.number':
        this.columnNumber = positiveOf(integer ?? text);
        break;
      case 'code.column':
        this.legacyColumnNumber = positiveOf(integer ?? text);
        break;
      case 'code.stacktrace':
        this.codeStackTrace = nonBlank(text);
        break;
      case EXCEPTION_STACK_TRACE:
        this.exceptionStackTrace = nonBlank(text);
        break;
      default:
        if (!this.offerDatadogFrame(key, text, integer)) return;
    }
    this.offered = true;
  }

  /** The exception.stacktrace of an `exception` event; the last one offered wins, as it ended the span. */
  offerExceptionEvent(stackTrace: string | undefined): void {
    const text = nonBlank(stackTrace);
    if (text === undefined) return;
    this.eventStackTrace = text;
    this.offered = true;
  }

  result(): SpanCodeLocation {
    if (!this.offered) return NO_CODE_LOCATION;
    const location = this.location();
    this.functionName = this.legacyFunction = this.namespace = undefined;
    this.filePath = this.legacyFilePath = undefined;
    this.lineNumber = this.legacyLineNumber = this.columnNumber = this.legacyColumnNumber = undefined;
    this.datadogFrame = -1;
    this.datadogFile = this.datadogMethod = this.datadogType = undefined;
    this.datadogLine = undefined;
    this.codeStackTrace = this.exceptionStackTrace = this.eventStackTrace = undefined;
    this.offered = false;
    return location;
  }

  private location(): SpanCodeLocation {
    // The stable code.function.name includes the namespace that code.function left to code.namespace.
    let functionName = this.functionName;
    if (functionName === undefined && this.legacyFunction !== undefined) {
      functionName = this.namespace === undefined ? this.legacyFunction : `${this.namespace}.${this.legacyFunction}`;
    }
    if (functionName === undefined && this.datadogMethod !== undefined) {
      functionName = this.datadogType === undefined ? this.datadogMethod : `${this.datadogType}.${this.datadogMethod}`;
    }
    let filePath = this.filePath ?? this.legacyFilePath;
    let lineNumber = this.lineNumber ?? this.legacyLineNumber;
    let columnNumber = this.columnNumber ?? this.legacyColumnNumber;
    let fileOrigin: SpanCodeLocation['fileOrigin'] = filePath !== undefined || lineNumber !== undefined ? 'code' : undefined;
    if (filePath === undefined && this.datadogFile !== undefined) {
      // A line without a file says nothing next to a frame that names both.
      filePath = this.datadogFile;
      lineNumber = this.datadogLine;
      columnNumber = undefined;
      fileOrigin = 'datadog';
    }
    const stackTrace =
      filePath === undefined ? capStackTrace(this.codeStackTrace ?? this.exceptionStackTrace ?? this.eventStackTrace) : undefined;
    if (functionName === undefined && filePath === undefined && lineNumber === undefined && stackTrace === undefined) {
      return NO_CODE_LOCATION;
    }
    return { functionName, filePath, lineNumber, columnNumber, stackTrace, fileOrigin };
  }

  /** `_dd.code_origin.frames.N.{file,line,method,type}`; false for any other key. */
  private offerDatadogFrame(key: string, text: string | undefined, integer: string | undefined): boolean {
    if (!key.startsWith(DATADOG_FRAME_PREFIX)) return false;
    let at = DATADOG_FRAME_PREFIX.length;
    let frame = 0;
    const digitsFrom = at;
    for (; at < key.length && at - digitsFrom < 6; at++) {
      const digit = key.charCodeAt(at) - 48;
      if (digit < 0 || digit > 9) break;
      frame = frame * 10 + digit;
    }
    if (at === digitsFrom || key.charCodeAt(at) !== 46 /* . */) return false;
    const field = key.slice(at + 1);
    if (field !== 'file' && field !== 'line' && field !== 'method' && field !== 'type') return false;
    if (this.datadogFrame >= 0 && frame > this.datadogFrame) return true;
    if (frame !== this.datadogFrame) {
      this.datadogFrame = frame;
      this.datadogFile = this.datadogMethod = this.datadogType = undefined;
      this.datadogLine = undefined;
    }
    if (field === 'file') this.datadogFile = nonEmpty(text);
    else if (field === 'line') this.datadogLine = positiveOf(integer ?? text);
    else if (field === 'method') this.datadogMethod = nonEmpty(text);
    else this.datadogType = nonEmpty(text);
    return true;
  }
}

const reader = new CodeLocationReader();

/** The code location a span's attributes give; stack traces in its events are not seen (codeLocationOfSpan). */
export function spanCodeLocation(attributes: readonly Attribute[]): SpanCodeLocation {
  offerAttributes(attributes);
  return reader.result();
}

/** The code location of a model span: its attributes and the stack traces of its `exception` events. */
export function codeLocationOfSpan(span: Span): SpanCodeLocation {
  offerAttributes(span.attributes);
  for (const event of span.events) {
    if (event.name !== 'exception') continue;
    // The first exception.stacktrace string of the event, as the protobuf path reads it.
    const stackTrace = event.attributes.find(({ key, value }) => key === EXCEPTION_STACK_TRACE && value.type === 'string');
    if (stackTrace !== undefined && stackTrace.value.type === 'string') reader.offerExceptionEvent(stackTrace.value.value);
  }
  return reader.result();
}

function offerAttributes(attributes: readonly Attribute[]): void {
  for (const { key, value } of attributes) {
    if (!CodeLocationReader.wants(key)) continue;
    if (value.type === 'string') reader.offer(key, value.value, undefined);
    else if (value.type === 'int') reader.offer(key, undefined, value.value);
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function nonBlank(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

/** At most MAX_STACK_TRACE_CHARS, cut after the last whole line that fits when there is one. */
function capStackTrace(text: string | undefined): string | undefined {
  if (text === undefined || text.length <= MAX_STACK_TRACE_CHARS) return text;
  const lastBreak = text.lastIndexOf('\n', MAX_STACK_TRACE_CHARS - 1);
  return text.slice(0, lastBreak > 0 ? lastBreak : MAX_STACK_TRACE_CHARS);
}

/** A positive number of at most nine digits, else undefined. */
function positiveOf(text: string | undefined): number | undefined {
  const value = smallCountOf(text);
  return value !== undefined && value > 0 ? value : undefined;
}
