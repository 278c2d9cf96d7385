// OTLP/JSON attribute values (common.proto AnyValue and KeyValue) to the model's typed values.
// Proto3 JSON sends int64 as decimal strings, but numbers must be accepted too.

import type { AnyValue, Attribute } from '../model/trace';
import { addParseWarning } from './parseWarnings';

/** Arrays and maps nested deeper than this are cut off, so hostile input cannot exhaust the stack. */
export const MAX_ANY_VALUE_DEPTH = 32;

export const EMPTY_ATTRIBUTES: readonly Attribute[] = Object.freeze([]);

const EMPTY_VALUE: AnyValue = Object.freeze({ type: 'empty', value: null });
const TRUE_VALUE: AnyValue = Object.freeze({ type: 'bool', value: true });
const FALSE_VALUE: AnyValue = Object.freeze({ type: 'bool', value: false });

type JsonObject = Record<string, unknown>;

/**
 * Where a value sits, for warnings: a string, or an object whose toString builds one. Parsers pass a reused
 * object so that the common case (no warning) builds no path string per span.
 */
export type ValuePath = string | { toString(): string };

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An OTLP `attributes` list (`[{key, value: AnyValue}]`). Absent means none; bad entries are skipped. */
export function decodeOtlpKeyValues(list: unknown, path: ValuePath, warnings: string[]): readonly Attribute[] {
  return decodeKeyValueList(list, path, warnings, 0);
}

/** One OTLP AnyValue (`{stringValue}`, `{intValue}`, …). `{}` is the empty value. */
export function decodeOtlpAnyValue(value: unknown, path: ValuePath, warnings: string[]): AnyValue {
  return decodeValue(value, path, warnings, 0);
}

function decodeKeyValueList(list: unknown, path: ValuePath, warnings: string[], depth: number): readonly Attribute[] {
  if (list === undefined || list === null) return EMPTY_ATTRIBUTES;
  if (!Array.isArray(list)) {
    addParseWarning(warnings, `${String(path)} is not a list; ignored`);
    return EMPTY_ATTRIBUTES;
  }
  if (list.length === 0) return EMPTY_ATTRIBUTES;
  const attributes = new Array<Attribute>(list.length);
  let count = 0;
  for (let i = 0; i < list.length; i++) {
    const entry: unknown = list[i];
    if (!isObject(entry) || typeof entry.key !== 'string') {
      addParseWarning(warnings, `${entryPath(path, i)} has no "key"; ignored`);
      continue;
    }
    attributes[count++] = { key: entry.key, value: decodeValue(entry.value, path, warnings, depth, i) };
  }
  if (count < attributes.length) attributes.length = count;
  return attributes;
}

// `index` is only used to name the entry in a warning; paths are built lazily because this runs per attribute.
function decodeValue(value: unknown, path: ValuePath, warnings: string[], depth: number, index = -1): AnyValue {
  if (!isObject(value)) return decodeBareValue(value, path, warnings, index);
  const stringValue = value.stringValue;
  if (typeof stringValue === 'string') return { type: 'string', value: stringValue };
  if (stringValue === undefined) {
    const intValue = value.intValue;
    if (intValue !== undefined) return decodeInt(intValue, path, warnings, index);
    const boolValue = value.boolValue;
    if (boolValue === true || boolValue === 'true') return TRUE_VALUE;
    if (boolValue === false || boolValue === 'false') return FALSE_VALUE;
    const doubleValue = value.doubleValue;
    if (doubleValue !== undefined) return decodeDouble(doubleValue, path, warnings, index);
    const bytesValue = value.bytesValue;
    if (typeof bytesValue === 'string') return { type: 'bytes', value: bytesValue };
    const arrayValue = value.arrayValue;
    if (arrayValue !== undefined) return decodeArray(arrayValue, path, warnings, depth, index);
    const kvlistValue = value.kvlistValue;
    if (kvlistValue !== undefined) return decodeMap(kvlistValue, path, warnings, depth, index);
    if (boolValue === undefined && bytesValue === undefined) {
      for (const key in value) {
        addParseWarning(warnings, `${entryPath(path, index)} has an unknown value field "${key}"; shown as empty`);
        break;
      }
      return EMPTY_VALUE;
    }
  }
  addParseWarning(warnings, `${entryPath(path, index)} has a value of the wrong JSON type; shown as empty`);
  return EMPTY_VALUE;
}

function entryPath(path: ValuePath, index: number): string {
  return index < 0 ? String(path) : `${String(path)}[${index}]`;
}

// Some producers write the plain value instead of an AnyValue object; keep it rather than lose it.
function decodeBareValue(value: unknown, path: ValuePath, warnings: string[], index: number): AnyValue {
  if (value === undefined || value === null) return EMPTY_VALUE;
  addParseWarning(warnings, `${entryPath(path, index)} has a bare value instead of an OTLP AnyValue object`);
  switch (typeof value) {
    case 'string':
      return { type: 'string', value };
    case 'boolean':
      return value ? TRUE_VALUE : FALSE_VALUE;
    case 'number':
      return Number.isSafeInteger(value) ? { type: 'int', value: String(value) } : { type: 'double', value };
    default:
      return { type: 'string', value: JSON.stringify(value) ?? '' };
  }
}

function decodeInt(raw: unknown, path: ValuePath, warnings: string[], index: number): AnyValue {
  if (typeof raw === 'string' && isDecimalInteger(raw)) return { type: 'int', value: raw };
  if (typeof raw === 'number' && Number.isInteger(raw)) {
    return { type: 'int', value: Number.isSafeInteger(raw) ? String(raw) : BigInt(raw).toString() };
  }
  addParseWarning(warnings, `${entryPath(path, index)} has an "intValue" that is not an integer; kept as text`);
  return { type: 'string', value: typeof raw === 'string' ? raw : String(JSON.stringify(raw)) };
}

function isDecimalInteger(text: string): boolean {
  const start = text.charCodeAt(0) === 45 /* - */ ? 1 : 0;
  if (text.length === start || text.length > start + 19) return false;
  for (let i = start; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

function decodeDouble(raw: unknown, path: ValuePath, warnings: string[], index: number): AnyValue {
  if (typeof raw === 'number') return { type: 'double', value: raw };
  // Proto3 JSON spells the non-finite doubles as strings, and allows numeric strings.
  if (typeof raw === 'string') {
    if (raw === 'NaN') return { type: 'double', value: Number.NaN };
    if (raw === 'Infinity') return { type: 'double', value: Number.POSITIVE_INFINITY };
    if (raw === '-Infinity') return { type: 'double', value: Number.NEGATIVE_INFINITY };
    const parsed = raw.trim() === '' ? Number.NaN : Number(raw);
    if (!Number.isNaN(parsed)) return { type: 'double', value: parsed };
  }
  addParseWarning(warnings, `${entryPath(path, index)} has a "doubleValue" that is not a number; kept as text`);
  return { type: 'string', value: typeof raw === 'string' ? raw : String(JSON.stringify(raw)) };
}

function decodeArray(raw: unknown, path: ValuePath, warnings: string[], depth: number, index: number): AnyValue {
  const here = entryPath(path, index);
  if (depth >= MAX_ANY_VALUE_DEPTH) return tooDeep(here, warnings);
  const values = isObject(raw) ? raw.values : undefined;
  if (values === undefined || values === null) return { type: 'array', value: [] };
  if (!Array.isArray(values)) {
    addParseWarning(warnings, `${here}.arrayValue.values is not a list; shown as empty`);
    return EMPTY_VALUE;
  }
  const itemsPath = `${here}.arrayValue.values`;
  const items: AnyValue[] = new Array<AnyValue>(values.length);
  for (let i = 0; i < values.length; i++) items[i] = decodeValue(values[i], itemsPath, warnings, depth + 1, i);
  return { type: 'array', value: items };
}

function decodeMap(raw: unknown, path: ValuePath, warnings: string[], depth: number, index: number): AnyValue {
  const here = entryPath(path, index);
  if (depth >= MAX_ANY_VALUE_DEPTH) return tooDeep(here, warnings);
  const values = isObject(raw) ? raw.values : undefined;
  return { type: 'map', value: decodeKeyValueList(values, `${here}.kvlistValue.values`, warnings, depth + 1) };
}

function tooDeep(path: string, warnings: string[]): AnyValue {
  addParseWarning(warnings, `${path} is nested deeper than ${MAX_ANY_VALUE_DEPTH} levels; the rest is left out`);
  return EMPTY_VALUE;
}
