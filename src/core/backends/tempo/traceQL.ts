// Writing TraceQL safely: string literals and attribute names escaped, and a spanset filter built from the
// structured search fields, so user input can never change the shape of the query.

import { formatGoDuration } from '../durations';
import type { TagName } from '../traceBackend';

/** Scopes Tempo's tag endpoints accept (`tempo:pkg/api/search_tags.go`). */
export const TEMPO_TAG_SCOPES: readonly string[] = ['resource', 'span', 'intrinsic', 'event', 'link', 'instrumentation'];

const ATTRIBUTE_SCOPES: readonly string[] = ['resource', 'span', 'event', 'link', 'instrumentation'];

/** A TraceQL double-quoted string literal (Go escape rules). */
export function traceQLString(value: string): string {
  let out = '"';
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '"') out += '\\"';
    else if (char === '\\') out += '\\\\';
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += char;
  }
  return `${out}"`;
}

/** An attribute name, quoted when it holds characters the TraceQL lexer would stop at. */
export function traceQLAttributeName(name: string): string {
  return /^[A-Za-z0-9_][A-Za-z0-9_.\-/]*$/.test(name) && !name.endsWith('.') ? name : traceQLString(name);
}

/**
 * A reference to an attribute: `.name` matches span or resource attributes, `span.name` / `resource.name`
 * one scope. A name that starts with a scope (`resource.service.name`) is taken as already scoped.
 */
export function traceQLAttribute(name: string, scope?: string): string {
  if (scope !== undefined) return `${scope}.${traceQLAttributeName(name)}`;
  for (const known of ATTRIBUTE_SCOPES) {
    if (name.startsWith(`${known}.`) && name.length > known.length + 1) {
      return `${known}.${traceQLAttributeName(name.slice(known.length + 1))}`;
    }
  }
  return `.${traceQLAttributeName(name)}`;
}

/** The TraceQL identifier of a tag from the tag-name API, as the v2 tag-values endpoint takes it. */
export function traceQLTagIdentifier(tag: TagName): string {
  if (tag.scope === 'intrinsic') return tag.name;
  if (tag.scope === undefined || tag.scope === '') return `.${traceQLAttributeName(tag.name)}`;
  return `${tag.scope}.${traceQLAttributeName(tag.name)}`;
}

/**
 * `attr = "v"`; a value that reads as a number or boolean also matches the typed attribute, because TraceQL
 * compares types and a user typing `200` cannot know how the SDK stored the status code.
 */
export function traceQLEquals(reference: string, value: string): string {
  const literal = traceQLString(value);
  if (/^-?\d+(\.\d+)?$/.test(value) || value === 'true' || value === 'false') {
    return `(${reference} = ${value} || ${reference} = ${literal})`;
  }
  return `${reference} = ${literal}`;
}

export interface TraceQLFilterFields {
  readonly service?: string;
  readonly operation?: string;
  readonly minDurationNano?: bigint;
  readonly maxDurationNano?: bigint;
  readonly attributes?: readonly (readonly [string, string])[];
}

/** One spanset filter: a single span must match every condition, as in Jaeger and Zipkin searches. */
export function buildTraceQLFilter(fields: TraceQLFilterFields): string {
  const conditions: string[] = [];
  if (fields.service !== undefined && fields.service !== '') conditions.push(`resource.service.name = ${traceQLString(fields.service)}`);
  if (fields.operation !== undefined && fields.operation !== '') conditions.push(`name = ${traceQLString(fields.operation)}`);
  for (const [key, value] of fields.attributes ?? []) conditions.push(traceQLEquals(traceQLAttribute(key), value));
  if (fields.minDurationNano !== undefined) conditions.push(`duration >= ${formatGoDuration(fields.minDurationNano)}`);
  if (fields.maxDurationNano !== undefined) conditions.push(`duration <= ${formatGoDuration(fields.maxDurationNano)}`);
  return conditions.length === 0 ? '{}' : `{ ${conditions.join(' && ')} }`;
}
