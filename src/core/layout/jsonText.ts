// JSON values as readable text for the detail pane: parsed from attribute strings or taken from structured
// attribute values, then pretty-printed. Nesting and output length are capped, so a hostile value can
// exhaust neither the stack nor the webview.
import type { AnyValue } from '../model/trace';

/** Containers nested deeper than this print as "…". */
export const MAX_JSON_DEPTH = 32;
/** Pretty-printed text stops after about this many characters (1 MiB), ending in "…". */
export const MAX_JSON_TEXT_CHARS = 1024 * 1024;
/** Longer strings are not parsed: they are shown as they are. */
export const MAX_JSON_PARSE_CHARS = 8 * 1024 * 1024;

/** An integer beyond 2^53, kept as its decimal digits so it prints exactly. */
export class ExactNumber {
  constructor(readonly digits: string) {}
}

/** The value `text` holds when it is a JSON object or array; undefined for anything else. */
export function parseJsonContainer(text: string): unknown {
  if (text.length > MAX_JSON_PARSE_CHARS) return undefined;
  const first = firstNonSpace(text);
  if (first !== '{' && first !== '[') return undefined;
  return parseJson(text);
}

/** The value `text` holds when it is any JSON value; undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  if (text.length > MAX_JSON_PARSE_CHARS) return undefined;
  try {
    if (PARSE_GIVES_SOURCE) {
      try {
        return JSON.parse(text, keepBigIntegers) as unknown;
      } catch (error) {
        // The reviver walks the value recursively; very deep values parse without it.
        if (!(error instanceof RangeError)) return undefined;
      }
    }
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Whether this runtime hands revivers the source text of each value (JSON.parse source text access). */
const PARSE_GIVES_SOURCE = ((): boolean => {
  let given = false;
  JSON.parse('1', (_key, value: unknown, context?: { source?: string }) => {
    given = typeof context?.source === 'string';
    return value;
  });
  return given;
})();

function keepBigIntegers(_key: string, value: unknown, context?: { source?: string }): unknown {
  if (typeof value !== 'number' || Number.isSafeInteger(value) || !Number.isInteger(value)) return value;
  return typeof context?.source === 'string' ? new ExactNumber(context.source) : value;
}

/** A model attribute value as a plain value: int64 beyond 2^53 as ExactNumber, nesting capped. */
export function plainOfAnyValue(value: AnyValue, depth = 0): unknown {
  switch (value.type) {
    case 'string':
    case 'bytes':
      return value.value;
    case 'int': {
      const number = Number(value.value);
      return Number.isSafeInteger(number) ? number : new ExactNumber(value.value);
    }
    case 'double':
      return Number.isFinite(value.value) ? value.value : String(value.value);
    case 'bool':
      return value.value;
    case 'empty':
      return null;
    case 'array':
      if (depth >= MAX_JSON_DEPTH) return '…';
      return value.value.map((item) => plainOfAnyValue(item, depth + 1));
    case 'map':
      if (depth >= MAX_JSON_DEPTH) return '…';
      // fromEntries defines own properties, so a "__proto__" key stays a key.
      return Object.fromEntries(value.value.map((entry) => [entry.key, plainOfAnyValue(entry.value, depth + 1)]));
  }
}

/** Strings as themselves; anything else pretty-printed as JSON. */
export function plainToText(value: unknown): string {
  return typeof value === 'string' ? value : jsonToText(value);
}

/**
 * A string holding a JSON object or array, pretty-printed; any other string as it is. Non-strings are
 * pretty-printed as JSON.
 */
export function prettyText(value: unknown): string {
  if (typeof value !== 'string') return jsonToText(value);
  const parsed = parseJsonContainer(value);
  return parsed === undefined ? value : jsonToText(parsed);
}

/** Pretty-printed JSON with two-space indents; nesting beyond MAX_JSON_DEPTH and text beyond MAX_JSON_TEXT_CHARS cut. */
export function jsonToText(value: unknown): string {
  const writer = new JsonWriter();
  writer.write(value, 0);
  return writer.text();
}

class JsonWriter {
  private readonly chunks: string[] = [];
  private length = 0;

  get full(): boolean {
    return this.length >= MAX_JSON_TEXT_CHARS;
  }

  text(): string {
    const text = this.chunks.join('');
    return this.full ? `${text.slice(0, MAX_JSON_TEXT_CHARS)}…` : text;
  }

  write(value: unknown, depth: number): void {
    if (this.full) return;
    if (value === null || value === undefined) return this.push('null');
    switch (typeof value) {
      case 'string':
        return this.push(JSON.stringify(value));
      case 'number':
        return this.push(Number.isFinite(value) ? String(value) : JSON.stringify(String(value)));
      case 'boolean':
        return this.push(value ? 'true' : 'false');
      case 'bigint':
        return this.push(value.toString());
      case 'object':
        break;
      default:
        return this.push(JSON.stringify(String(value)));
    }
    if (value instanceof ExactNumber) return this.push(value.digits);
    if (depth >= MAX_JSON_DEPTH) return this.push('"…"');
    const indent = '  '.repeat(depth + 1);
    if (Array.isArray(value)) {
      if (value.length === 0) return this.push('[]');
      this.push('[');
      for (let i = 0; i < value.length && !this.full; i++) {
        this.push(i === 0 ? `\n${indent}` : `,\n${indent}`);
        this.write(value[i], depth + 1);
      }
      return this.push(`\n${'  '.repeat(depth)}]`);
    }
    const keys = Object.keys(value);
    if (keys.length === 0) return this.push('{}');
    this.push('{');
    const record = value as Record<string, unknown>;
    for (let i = 0; i < keys.length && !this.full; i++) {
      this.push(`${i === 0 ? '\n' : ',\n'}${indent}${JSON.stringify(keys[i])}: `);
      this.write(record[keys[i]], depth + 1);
    }
    this.push(`\n${'  '.repeat(depth)}}`);
  }

  private push(text: string): void {
    this.chunks.push(text);
    this.length += text.length;
  }
}

function firstNonSpace(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char !== ' ' && char !== '\n' && char !== '\r' && char !== '\t') return char;
  }
  return '';
}
