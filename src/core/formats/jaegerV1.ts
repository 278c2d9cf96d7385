// Jaeger's v1 "UI model" JSON (GET /api/traces/{id}, search results, /api/transform, UI file upload)
// to the normalized model. Times arrive in microseconds; the OpenTelemetry-to-Jaeger translator
// stores kind, status, scope and tracestate as tags, which are moved back into their model fields.

import { SpansByTrace } from './spansByTrace';
import { microsToNano } from '../model/time';
import { EMPTY_SCOPE } from '../model/trace';
import type {
  AnyValue,
  Attribute,
  InstrumentationScope,
  Resource,
  Span,
  SpanEvent,
  SpanKind,
  SpanLink,
  SpanStatus,
  Trace,
} from '../model/trace';
import { UNKNOWN_SERVICE } from './otlpJson';
import { addParseWarning, countPhrase } from './parseWarnings';
import { TraceParseError } from './traceParseError';
import { WireIdReader } from './wireIds';

type JsonObject = Record<string, unknown>;

const SHAPES =
  'Jaeger query API v1 JSON is {"data":[trace…]}, one trace {"traceID","spans","processes"}, or an array of spans';

const NO_ATTRIBUTES: readonly Attribute[] = Object.freeze([]);
const NO_EVENTS: readonly SpanEvent[] = Object.freeze([]);
const NO_LINKS: readonly SpanLink[] = Object.freeze([]);
const STATUS_UNSET: SpanStatus = Object.freeze({ code: 'unset' });
const STATUS_OK: SpanStatus = Object.freeze({ code: 'ok' });
const STATUS_ERROR: SpanStatus = Object.freeze({ code: 'error' });
const TRUE_VALUE: AnyValue = Object.freeze({ type: 'bool', value: true });
const FALSE_VALUE: AnyValue = Object.freeze({ type: 'bool', value: false });
const INTEGER = /^-?\d+$/;
const DIGITS = /^\d+$/;
const ZERO_SPAN_ID = '0000000000000000';

// A Map, so that a kind like "constructor" cannot reach Object.prototype.
const KINDS: ReadonlyMap<string, SpanKind> = new Map<string, SpanKind>([
  ['server', 'server'],
  ['client', 'client'],
  ['producer', 'producer'],
  ['consumer', 'consumer'],
  ['internal', 'internal'],
]);

/** Parses any Jaeger v1 JSON shape; spans are grouped into traces by trace ID, in order of appearance. */
export function parseJaegerV1Document(doc: unknown, warnings: string[]): Trace[] {
  const parser = new JaegerParser();
  if (Array.isArray(doc)) {
    const first: unknown = doc[0];
    if (isObject(first) && Array.isArray(first.spans)) {
      for (let i = 0; i < doc.length; i++) parser.traceObject(doc[i], `[${i}]`);
    } else {
      parser.spanList(doc, '', undefined, undefined);
    }
  } else if (isObject(doc) && 'data' in doc) {
    parser.envelope(doc);
  } else if (isObject(doc) && Array.isArray(doc.spans)) {
    parser.traceObject(doc, '');
  } else {
    throw new TraceParseError(`not a Jaeger v1 document; ${SHAPES}`);
  }
  return parser.finish(warnings);
}

/** Per-document state: traces by ID, shared scopes, and counts for the warnings reported at the end. */
class JaegerParser {
  private readonly spansByTrace = new SpansByTrace<Span>();
  private readonly ids = new WireIdReader();
  private readonly scopes = new Map<string, InstrumentationScope>();
  private readonly inlineResources = new Map<string, Resource>();
  private readonly notes: string[] = [];
  private missingDurations = 0;
  private missingProcesses = 0;
  private spansWithWarnings = 0;
  private spanWarningExample = '';

  envelope(doc: JsonObject): void {
    const errors = Array.isArray(doc.errors) ? doc.errors.map(describeError) : [];
    if (doc.data === null || doc.data === undefined) {
      const detail = errors.length > 0 ? errors.join('; ') : 'no "data"';
      throw new TraceParseError(`the Jaeger response holds no traces: ${detail}`);
    }
    if (!Array.isArray(doc.data)) throw new TraceParseError(`"data" is not a list of traces; ${SHAPES}`);
    for (const error of errors) this.notes.push(`Jaeger reported: ${error}`);
    for (let i = 0; i < doc.data.length; i++) this.traceObject(doc.data[i], `data[${i}]`);
  }

  traceObject(value: unknown, path: string): void {
    if (!isObject(value)) throw new TraceParseError(`${path || 'the document'} is not a Jaeger trace object; ${SHAPES}`);
    if (!Array.isArray(value.spans)) throw new TraceParseError(`${path || 'the trace'} has no "spans" list`);
    const traceId = typeof value.traceID === 'string' && value.traceID !== '' ? value.traceID : undefined;
    const processes = isObject(value.processes) ? new ProcessTable(value.processes, this) : undefined;
    if (Array.isArray(value.warnings)) {
      for (const warning of value.warnings) if (typeof warning === 'string') this.notes.push(`Jaeger: ${warning}`);
    }
    this.spanList(value.spans, path === '' ? 'spans' : `${path}.spans`, traceId, processes);
  }

  spanList(spans: unknown[], path: string, traceId: string | undefined, processes: ProcessTable | undefined): void {
    for (let i = 0; i < spans.length; i++) {
      const raw = spans[i];
      if (!isObject(raw)) throw new TraceParseError(`${path}[${i}] is not a span object`);
      this.spansByTrace.add(this.span(raw, path, i, traceId, processes));
      spans[i] = undefined; // see parseTraceDocument: read spans are released
    }
  }

  finish(warnings: string[]): Trace[] {
    for (const note of this.notes) addParseWarning(warnings, note);
    const idWarning = this.ids.warning('Jaeger');
    if (idWarning) addParseWarning(warnings, idWarning);
    if (this.missingDurations > 0) {
      addParseWarning(warnings, `${countPhrase(this.missingDurations, 'span has', 'spans have')} no valid "duration"; shown as 0`);
    }
    if (this.missingProcesses > 0) {
      addParseWarning(warnings, `${countPhrase(this.missingProcesses, 'span has', 'spans have')} no process; shown as "${UNKNOWN_SERVICE}"`);
    }
    if (this.spansWithWarnings > 0) {
      addParseWarning(
        warnings,
        `Jaeger attached warnings to ${countPhrase(this.spansWithWarnings, 'span', 'spans')}, e.g. "${this.spanWarningExample}"`,
      );
    }
    const traces: Trace[] = [];
    for (const [traceId, spans] of this.spansByTrace.entries()) traces.push({ traceId, spans });
    return traces;
  }

  resourceFromProcess(process: JsonObject): Resource {
    const serviceName = typeof process.serviceName === 'string' && process.serviceName !== '' ? process.serviceName : UNKNOWN_SERVICE;
    const attributes: Attribute[] = [{ key: 'service.name', value: { type: 'string', value: serviceName } }];
    if (Array.isArray(process.tags)) {
      for (const tag of process.tags) {
        if (isObject(tag) && typeof tag.key === 'string' && tag.key !== 'service.name') {
          attributes.push({ key: tag.key, value: tagValue(tag.type, tag.value) });
        }
      }
    }
    return { serviceName, attributes };
  }

  private span(raw: JsonObject, path: string, index: number, enclosingTraceId: string | undefined, processes: ProcessTable | undefined): Span {
    const rawTraceId = typeof raw.traceID === 'string' && raw.traceID !== '' ? raw.traceID : enclosingTraceId;
    if (rawTraceId === undefined) throw missing(path, index, 'traceID');
    if (typeof raw.spanID !== 'string' || raw.spanID === '') throw missing(path, index, 'spanID');
    const traceId = this.ids.traceId(rawTraceId);
    const spanId = this.ids.spanId(raw.spanID);
    const startTimeUnixNano = micros(raw.startTime);
    if (startTimeUnixNano === undefined) {
      if (raw.startTime === undefined) throw missing(path, index, 'startTime');
      throw new TraceParseError(`${path}[${index}].startTime is not a number of microseconds: ${JSON.stringify(raw.startTime)}`);
    }
    let durationNano = micros(raw.duration);
    if (durationNano === undefined) {
      this.missingDurations++;
      durationNano = 0n;
    }

    let kind: SpanKind = 'unspecified';
    let status = STATUS_UNSET;
    let statusCode: string | undefined;
    let statusMessage: string | undefined;
    let errorTag = false;
    let scopeName: string | undefined;
    let scopeVersion: string | undefined;
    let traceState: string | undefined;
    let attributes: Attribute[] | undefined;
    let attributeCount = 0;
    const tags = raw.tags;
    if (Array.isArray(tags) && tags.length > 0) {
      // Sized once: a growing array would allocate a larger backing store than most spans fill.
      attributes = new Array<Attribute>(tags.length);
      for (const tag of tags) {
        if (!isObject(tag) || typeof tag.key !== 'string') continue;
        const key = tag.key;
        const value = tag.value;
        switch (key) {
          case 'span.kind': {
            const known = typeof value === 'string' ? KINDS.get(value) : undefined;
            if (known === undefined) break; // an odd value stays visible as an attribute
            kind = known;
            continue;
          }
          case 'error':
            if (value === true || value === 'true') errorTag = true;
            else if (value !== false && value !== 'false') break;
            continue;
          case 'otel.status_code':
            statusCode = String(value).toUpperCase();
            continue;
          case 'otel.status_description':
            statusMessage = String(value);
            continue;
          case 'otel.scope.name':
          case 'otel.library.name':
            scopeName = String(value);
            continue;
          case 'otel.scope.version':
          case 'otel.library.version':
            scopeVersion = String(value);
            continue;
          case 'w3c.tracestate':
            traceState = String(value);
            continue;
        }
        attributes[attributeCount++] = { key, value: tagValue(tag.type, value) };
      }
    }
    if (statusCode === 'ERROR' || (statusCode === undefined && errorTag)) {
      status = statusMessage ? { code: 'error', message: statusMessage } : STATUS_ERROR;
    } else if (statusCode === 'OK') {
      status = STATUS_OK;
    }

    let parentSpanId: string | undefined;
    if (typeof raw.parentSpanID === 'string' && raw.parentSpanID !== '') {
      parentSpanId = this.ids.spanId(raw.parentSpanID);
      if (parentSpanId === ZERO_SPAN_ID) parentSpanId = undefined;
    }
    let links: readonly SpanLink[] = NO_LINKS;
    const references = raw.references;
    if (Array.isArray(references) && references.length > 0) {
      const only: unknown = references.length === 1 ? references[0] : undefined;
      if (parentSpanId === undefined && isObject(only) && only.refType === 'CHILD_OF' && only.traceID === rawTraceId && typeof only.spanID === 'string' && only.spanID !== '') {
        // The common case, one CHILD_OF in the same trace, without the bookkeeping below.
        parentSpanId = this.ids.spanId(only.spanID);
      } else {
        const resolved = this.references(references, traceId, parentSpanId);
        parentSpanId = resolved.parentSpanId;
        links = resolved.links;
      }
    }

    const span: Span = {
      traceId,
      spanId,
      parentSpanId,
      name: typeof raw.operationName === 'string' ? raw.operationName : '',
      kind,
      status,
      startTimeUnixNano,
      durationNano,
      attributes: attributes === undefined || attributeCount === 0 ? NO_ATTRIBUTES : trimmed(attributes, attributeCount),
      events: Array.isArray(raw.logs) && raw.logs.length > 0 ? this.events(raw.logs, startTimeUnixNano) : NO_EVENTS,
      links,
      resource: this.resource(raw, processes),
      scope: scopeName === undefined ? EMPTY_SCOPE : this.scope(scopeName, scopeVersion),
      traceState,
    };
    if (Array.isArray(raw.warnings) && raw.warnings.length > 0) {
      if (this.spansWithWarnings++ === 0) this.spanWarningExample = String(raw.warnings[0]);
    }
    return span;
  }

  /**
   * The parent is the first CHILD_OF reference within the same trace, else the first FOLLOWS_FROM one
   * (what Jaeger itself does); every other reference becomes a link, tagged with its reference type as
   * OpenTelemetry's Jaeger translator does.
   */
  private references(references: readonly unknown[], traceId: string, explicitParent: string | undefined): { parentSpanId: string | undefined; links: readonly SpanLink[] } {
    const targets: { traceId: string; spanId: string; refType: string }[] = [];
    let childOf = -1;
    let followsFrom = -1;
    for (const reference of references) {
      if (!isObject(reference) || typeof reference.spanID !== 'string' || reference.spanID === '') continue;
      const target = {
        traceId: typeof reference.traceID === 'string' && reference.traceID !== '' ? this.ids.traceId(reference.traceID) : traceId,
        spanId: this.ids.spanId(reference.spanID),
        refType: reference.refType === 'FOLLOWS_FROM' ? 'follows_from' : 'child_of',
      };
      const sameTrace = target.traceId === traceId;
      if (sameTrace && target.refType === 'child_of' && childOf === -1) childOf = targets.length;
      if (sameTrace && target.refType === 'follows_from' && followsFrom === -1) followsFrom = targets.length;
      targets.push(target);
    }
    let parentAt = -1;
    if (explicitParent !== undefined) parentAt = targets.findIndex((target) => target.traceId === traceId && target.spanId === explicitParent);
    else parentAt = childOf !== -1 ? childOf : followsFrom;
    const parentSpanId = explicitParent ?? (parentAt === -1 ? undefined : targets[parentAt].spanId);
    if (targets.length === 0 || (targets.length === 1 && parentAt === 0)) return { parentSpanId, links: NO_LINKS };
    const links: SpanLink[] = [];
    for (let i = 0; i < targets.length; i++) {
      if (i === parentAt) continue;
      const target = targets[i];
      links.push({
        traceId: target.traceId,
        spanId: target.spanId,
        attributes: [{ key: 'opentracing.ref_type', value: { type: 'string', value: target.refType } }],
      });
    }
    return { parentSpanId, links };
  }

  private resource(raw: JsonObject, processes: ProcessTable | undefined): Resource {
    if (typeof raw.processID === 'string' && processes) {
      const resource = processes.get(raw.processID);
      if (resource) return resource;
    }
    if (isObject(raw.process)) {
      // Inline processes (jaeger-anonymizer output) repeat per span; equal ones share one Resource.
      const key = JSON.stringify(raw.process);
      let resource = this.inlineResources.get(key);
      if (!resource) {
        resource = this.resourceFromProcess(raw.process);
        this.inlineResources.set(key, resource);
      }
      return resource;
    }
    this.missingProcesses++;
    let resource = this.inlineResources.get('');
    if (!resource) {
      resource = this.resourceFromProcess({});
      this.inlineResources.set('', resource);
    }
    return resource;
  }

  /** Logs to events: the `event` field names the event, the other fields become its attributes. */
  private events(logs: readonly unknown[], spanStartUnixNano: bigint): SpanEvent[] {
    const result: SpanEvent[] = [];
    for (const log of logs) {
      if (!isObject(log)) continue;
      let name = 'log';
      let attributes = NO_ATTRIBUTES;
      const fields = log.fields;
      if (Array.isArray(fields) && fields.length > 0) {
        const converted = new Array<Attribute>(fields.length);
        let count = 0;
        for (const field of fields) {
          if (!isObject(field) || typeof field.key !== 'string') continue;
          if (field.key === 'event' && typeof field.value === 'string') name = field.value;
          else converted[count++] = { key: field.key, value: tagValue(field.type, field.value) };
        }
        if (count > 0) attributes = trimmed(converted, count);
      }
      result.push({ timeUnixNano: micros(log.timestamp) ?? spanStartUnixNano, name, attributes });
    }
    return result;
  }

  private scope(name: string, version: string | undefined): InstrumentationScope {
    const key = version === undefined ? name : `${name}\u0000${version}`;
    let scope = this.scopes.get(key);
    if (!scope) {
      scope = version === undefined ? { name, attributes: NO_ATTRIBUTES } : { name, version, attributes: NO_ATTRIBUTES };
      this.scopes.set(key, scope);
    }
    return scope;
  }
}

/** The `processes` map of one trace object; each process becomes one Resource on first use. */
class ProcessTable {
  private readonly resources = new Map<string, Resource>();

  constructor(
    private readonly processes: JsonObject,
    private readonly parser: JaegerParser,
  ) {}

  get(processId: string): Resource | undefined {
    let resource = this.resources.get(processId);
    if (resource === undefined) {
      const process = Object.hasOwn(this.processes, processId) ? this.processes[processId] : undefined;
      if (!isObject(process)) return undefined;
      resource = this.parser.resourceFromProcess(process);
      this.resources.set(processId, resource);
    }
    return resource;
  }
}

/** A Jaeger KeyValue to an AnyValue. Producers are loose (bools as "true", big int64s as strings). */
function tagValue(type: unknown, value: unknown): AnyValue {
  switch (type) {
    case 'string':
      if (typeof value === 'string') return { type: 'string', value };
      break;
    case 'bool':
      if (value === true || value === 'true') return TRUE_VALUE;
      if (value === false || value === 'false') return FALSE_VALUE;
      break;
    case 'int64':
      if (typeof value === 'number' && Number.isInteger(value)) return { type: 'int', value: String(value) };
      if (typeof value === 'string' && INTEGER.test(value)) return { type: 'int', value };
      break;
    case 'float64':
      if (typeof value === 'number') return { type: 'double', value };
      if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return { type: 'double', value: Number(value) };
      break;
    case 'binary':
      if (typeof value === 'string') return { type: 'bytes', value };
      break;
  }
  return inferredValue(value);
}

function inferredValue(value: unknown): AnyValue {
  if (typeof value === 'string') return { type: 'string', value };
  if (typeof value === 'boolean') return value ? TRUE_VALUE : FALSE_VALUE;
  if (typeof value === 'number') return Number.isInteger(value) ? { type: 'int', value: String(value) } : { type: 'double', value };
  if (value === null || value === undefined) return { type: 'empty', value: null };
  return { type: 'string', value: JSON.stringify(value) };
}

/** Microseconds (number, or digits in a string) to nanoseconds; undefined if neither or negative. */
function micros(value: unknown): bigint | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) return undefined;
    const nanos = value * 1000;
    // Durations fit a double exactly as nanoseconds; one BigInt instead of two.
    return Number.isSafeInteger(nanos) ? BigInt(nanos) : microsToNano(value);
  }
  if (typeof value === 'string' && DIGITS.test(value)) return BigInt(value) * 1000n;
  return undefined;
}

/** Drops the unused tail of an array sized for the worst case; shrinking in place does not copy. */
function trimmed<T>(items: T[], count: number): T[] {
  if (items.length !== count) items.length = count;
  return items;
}

/** structuredError = {code?, msg, traceID?}, worded as detectFormat words the envelope's errors. */
function describeError(error: unknown): string {
  if (!isObject(error)) return String(error);
  let message = typeof error.msg === 'string' ? error.msg : 'unknown error';
  if (typeof error.code === 'number') message = `${message} (HTTP ${error.code})`;
  if (typeof error.traceID === 'string') message = `${message} for trace ${error.traceID}`;
  return message;
}

function missing(path: string, index: number, field: string): TraceParseError {
  return new TraceParseError(`${path}[${index}] is missing "${field}"`);
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
