// Where in the source a span was produced, from the OpenTelemetry code attributes: the stable names
// (code.function.name, code.file.path, code.line.number) and the deprecated ones older SDKs still send
// (code.function with code.namespace, code.filepath, code.lineno).

import type { Attribute } from '../model/trace';

export interface SpanCodeLocation {
  /** Fully qualified where the producer says so, e.g. `com.example.Handler.serve`. */
  readonly functionName: string | undefined;
  readonly filePath: string | undefined;
  readonly lineNumber: number | undefined;
  readonly columnNumber: number | undefined;
  /** code.stacktrace or exception.stacktrace, kept only when the span names no file. */
  readonly stackTrace: string | undefined;
}

export const NO_CODE_LOCATION: SpanCodeLocation = Object.freeze({
  functionName: undefined,
  filePath: undefined,
  lineNumber: undefined,
  columnNumber: undefined,
  stackTrace: undefined,
});

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
  private offered = false;

  /** Whether `key` may be a code attribute; cheap, as it runs for every attribute of every span received. */
  static wants(key: string): boolean {
    return key.length >= 11 && key.charCodeAt(4) === 46 /* . */ && key.startsWith('code');
  }

  /** `text` is the value of a string attribute, `integer` that of an int one (decimal). */
  offer(key: string, text: string | undefined, integer: string | undefined): void {
    if (!CodeLocationReader.wants(key)) return;
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
        this.lineNumber = lineOf(integer ?? text);
        break;
      case 'code.lineno':
        this.legacyLineNumber = lineOf(integer ?? text);
        break;
      default:
        return;
    }
    this.offered = true;
  }

  result(): SpanCodeLocation {
    if (!this.offered) return NO_CODE_LOCATION;
    // The stable code.function.name includes the namespace that code.function left to code.namespace.
    let functionName = this.functionName;
    if (functionName === undefined && this.legacyFunction !== undefined) {
      functionName = this.namespace === undefined ? this.legacyFunction : `${this.namespace}.${this.legacyFunction}`;
    }
    const location: SpanCodeLocation = {
      functionName,
      filePath: this.filePath ?? this.legacyFilePath,
      lineNumber: this.lineNumber ?? this.legacyLineNumber,
      columnNumber: undefined,
      stackTrace: undefined,
    };
    this.functionName = this.legacyFunction = this.namespace = this.filePath = this.legacyFilePath = undefined;
    this.lineNumber = this.legacyLineNumber = undefined;
    this.offered = false;
    return location.functionName === undefined && location.filePath === undefined && location.lineNumber === undefined ? NO_CODE_LOCATION : location;
  }
}

const reader = new CodeLocationReader();

export function spanCodeLocation(attributes: readonly Attribute[]): SpanCodeLocation {
  for (const { key, value } of attributes) {
    if (value.type === 'string') reader.offer(key, value.value, undefined);
    else if (value.type === 'int') reader.offer(key, undefined, value.value);
  }
  return reader.result();
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** A positive line number of at most nine digits, else undefined. */
function lineOf(text: string | undefined): number | undefined {
  if (text === undefined || text.length === 0 || text.length > 9) return undefined;
  let line = 0;
  for (let i = 0; i < text.length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return undefined;
    line = line * 10 + digit;
  }
  return line > 0 ? line : undefined;
}
