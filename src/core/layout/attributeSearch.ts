// Finds spans by attribute key or value. Attributes stay on the host (the webview has only columns),
// so the webview asks and the host answers with display positions. Resources and scopes are shared by
// many spans, so each is tested once; the pass over spans is O(N) with a cap on the result.
import type { AnyValue, Attribute, InstrumentationScope, Resource, Trace } from '../model/trace';
import type { SpanTree } from '../model/spanTree';

/** More matches than this are left out; the webview shows them as one more search filter, not a list. */
export const DEFAULT_ATTRIBUTE_MATCH_LIMIT = 100_000;
/** Arrays and maps nested deeper than this inside a value are not searched. */
const MAX_VALUE_DEPTH = 8;

/**
 * Display positions (ascending) of spans with a span, resource or scope attribute whose key or value
 * contains `query`, or an event named so; case-insensitive. Empty query: no positions.
 */
export function searchAttributes(trace: Trace, tree: SpanTree, query: string, limit = DEFAULT_ATTRIBUTE_MATCH_LIMIT): Int32Array<ArrayBuffer> {
  const needle = query.trim().toLowerCase();
  const spanCount = Math.min(tree.order.length, trace.spans.length);
  if (needle === '' || limit <= 0) return new Int32Array(0);
  const resourceMatches = new Map<Resource, boolean>();
  const scopeMatches = new Map<InstrumentationScope, boolean>();
  const found = new Int32Array(Math.min(spanCount, limit));
  let count = 0;
  for (let position = 0; position < spanCount && count < found.length; position++) {
    const span = trace.spans[tree.order[position]];
    if (span === undefined) continue;
    let resource = resourceMatches.get(span.resource);
    if (resource === undefined) {
      resource = attributesContain(span.resource.attributes, needle);
      resourceMatches.set(span.resource, resource);
    }
    let scope = scopeMatches.get(span.scope);
    if (scope === undefined) {
      scope = attributesContain(span.scope.attributes, needle);
      scopeMatches.set(span.scope, scope);
    }
    if (resource || scope || attributesContain(span.attributes, needle) || span.events.some((event) => event.name.toLowerCase().includes(needle))) {
      found[count++] = position;
    }
  }
  return found.slice(0, count);
}

function attributesContain(attributes: readonly Attribute[], needle: string, depth = 0): boolean {
  for (const attribute of attributes) {
    if (attribute.key.toLowerCase().includes(needle) || valueContains(attribute.value, needle, depth)) return true;
  }
  return false;
}

function valueContains(value: AnyValue, needle: string, depth: number): boolean {
  switch (value.type) {
    case 'string':
    case 'int':
    case 'bytes':
      return value.value.toLowerCase().includes(needle);
    case 'bool':
    case 'double':
      return String(value.value).toLowerCase().includes(needle);
    case 'empty':
      return false;
    case 'array':
      return depth < MAX_VALUE_DEPTH && value.value.some((item) => valueContains(item, needle, depth + 1));
    case 'map':
      return depth < MAX_VALUE_DEPTH && attributesContain(value.value, needle, depth + 1);
  }
}
