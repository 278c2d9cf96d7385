// OTLP/JSON TracesData (`{resourceSpans:[…]}`) to the model. The same span objects arrive from the OTLP
// spec (hex IDs, integer enums), Jaeger api_v3 (hex, or base64 + enum names before v1.54) and Tempo
// (base64 + enum names), so every field accepts all spellings.

import { SpansByTrace } from './spansByTrace';
import { isZeroId } from '../model/ids';
import type {
  InstrumentationScope,
  Resource,
  Span,
  SpanEvent,
  SpanKind,
  SpanLink,
  SpanStatus,
  Trace,
} from '../model/trace';
import { EMPTY_SCOPE } from '../model/trace';
import { decodeOtlpKeyValues, EMPTY_ATTRIBUTES } from './anyValue';
import { readOtlpId } from './otlpIds';
import { addParseWarning, countPhrase } from './parseWarnings';
import { TraceParseError } from './traceParseError';

/** What OpenTelemetry SDKs call a process whose `service.name` was never set. */
export const UNKNOWN_SERVICE = 'unknown_service';

type JsonObject = Record<string, unknown>;

const SPAN_KINDS: readonly SpanKind[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];

// Maps, not object literals, so a name like "constructor" cannot hit Object.prototype.
const SPAN_KIND_NAMES: ReadonlyMap<string, SpanKind> = new Map(SPAN_KINDS.map((kind) => [`SPAN_KIND_${kind.toUpperCase()}`, kind]));

const UNSET_STATUS: SpanStatus = Object.freeze({ code: 'unset' });
const OK_STATUS: SpanStatus = Object.freeze({ code: 'ok' });
const ERROR_STATUS: SpanStatus = Object.freeze({ code: 'error' });
const STATUSES: readonly SpanStatus[] = [UNSET_STATUS, OK_STATUS, ERROR_STATUS];

const STATUS_NAMES: ReadonlyMap<string, SpanStatus> = new Map(STATUSES.map((status) => [`STATUS_CODE_${status.code.toUpperCase()}`, status]));

const NO_EVENTS: readonly SpanEvent[] = Object.freeze([]);
const NO_LINKS: readonly SpanLink[] = Object.freeze([]);

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses one OTLP TracesData object; `path` names it in messages ('' for the document root). */
export function parseOtlpTracesData(doc: unknown, path: string, warnings: string[]): Trace[] {
  const collector = new OtlpTraceCollector(warnings);
  collector.addTracesData(doc, path);
  return collector.finish();
}

/**
 * Gathers spans from one or more OTLP documents (JSON Lines send one per line) and groups them by trace ID,
 * in order of first appearance. Repairs that can repeat per span are counted and reported once in `finish`.
 */
export class OtlpTraceCollector {
  private readonly spansByTrace = new SpansByTrace<Span>();
  // Spans of one trace repeat the same trace ID text; decode it once.
  private lastRawTraceId: string | undefined;
  private lastDecodedTraceId = '';
  private readonly repairs = new RepairCounter();
  private readonly attributesPath = new SpanFieldPath('.attributes');

  constructor(private readonly warnings: string[]) {}

  /** A TracesData / ExportTraceServiceRequest object: `{resourceSpans: [...]}`. */
  addTracesData(doc: unknown, path: string): void {
    if (!isObject(doc)) throw new TraceParseError(`${path || 'the document'} is not an OTLP JSON object`);
    // Proto3 JSON omits empty lists, so `{}` is a valid document without spans.
    const list = doc.resourceSpans;
    if (list === undefined || list === null) return;
    this.addResourceSpansList(list, path === '' ? 'resourceSpans' : `${path}.resourceSpans`);
  }

  /** A list of ResourceSpans, as in `resourceSpans` or Tempo's `batches`. */
  addResourceSpansList(list: unknown, path: string): void {
    if (!Array.isArray(list)) throw new TraceParseError(`${path} is not a list`);
    for (let i = 0; i < list.length; i++) this.addResourceSpans(list[i], `${path}[${i}]`);
  }

  finish(): Trace[] {
    this.repairs.report(this.warnings);
    const traces: Trace[] = [];
    for (const [traceId, spans] of this.spansByTrace.entries()) traces.push({ traceId, spans });
    return traces;
  }

  private addResourceSpans(entry: unknown, path: string): void {
    if (!isObject(entry)) throw new TraceParseError(`${path} is not an object`);
    const resource = this.readResource(entry.resource, `${path}.resource`);
    let key = 'scopeSpans';
    let list = entry.scopeSpans;
    // OTLP before v0.15 called scopes "instrumentation libraries".
    if (list === undefined && entry.instrumentationLibrarySpans !== undefined) {
      key = 'instrumentationLibrarySpans';
      list = entry.instrumentationLibrarySpans;
    }
    if (list === undefined || list === null) return;
    if (!Array.isArray(list)) throw new TraceParseError(`${path}.${key} is not a list`);
    for (let i = 0; i < list.length; i++) this.addScopeSpans(list[i], resource, `${path}.${key}[${i}]`);
  }

  private readResource(raw: unknown, path: string): Resource {
    const attributes = isObject(raw) ? decodeOtlpKeyValues(raw.attributes, `${path}.attributes`, this.warnings) : EMPTY_ATTRIBUTES;
    let serviceName: string | undefined;
    for (const attribute of attributes) {
      if (attribute.key === 'service.name' && attribute.value.type === 'string') {
        serviceName = attribute.value.value;
        break;
      }
    }
    if (serviceName === undefined || serviceName === '') {
      this.repairs.missingServiceName.note(path);
      serviceName = UNKNOWN_SERVICE;
    }
    return { serviceName, attributes };
  }

  private addScopeSpans(entry: unknown, resource: Resource, path: string): void {
    if (!isObject(entry)) throw new TraceParseError(`${path} is not an object`);
    const rawScope = entry.scope !== undefined ? entry.scope : entry.instrumentationLibrary;
    const scope = this.readScope(rawScope, path);
    const spans = entry.spans;
    if (spans === undefined || spans === null) return;
    if (!Array.isArray(spans)) throw new TraceParseError(`${path}.spans is not a list`);
    for (let i = 0; i < spans.length; i++) {
      this.addSpan(spans[i], resource, scope, path, i);
      spans[i] = undefined; // see parseTraceDocument: read spans are released
    }
  }

  private readScope(raw: unknown, path: string): InstrumentationScope {
    if (!isObject(raw)) return EMPTY_SCOPE;
    const name = typeof raw.name === 'string' ? raw.name : '';
    const version = typeof raw.version === 'string' && raw.version !== '' ? raw.version : undefined;
    const attributes = decodeOtlpKeyValues(raw.attributes, `${path}.scope.attributes`, this.warnings);
    if (name === '' && version === undefined && attributes.length === 0) return EMPTY_SCOPE;
    return version === undefined ? { name, attributes } : { name, version, attributes };
  }

  private addSpan(raw: unknown, resource: Resource, scope: InstrumentationScope, scopePath: string, index: number): void {
    if (!isObject(raw)) throw new TraceParseError(`${scopePath}.spans[${index}] is not an object`);
    const rawTraceId = raw.traceId;
    let traceId: string;
    if (typeof rawTraceId === 'string' && rawTraceId === this.lastRawTraceId) {
      traceId = this.lastDecodedTraceId;
    } else {
      traceId = this.requireId(rawTraceId, 16, 'traceId', scopePath, index);
      if (typeof rawTraceId === 'string') {
        this.lastRawTraceId = rawTraceId;
        this.lastDecodedTraceId = traceId;
      }
    }
    const spanId = this.requireId(raw.spanId, 8, 'spanId', scopePath, index);
    const parentSpanId = this.readParentId(raw.parentSpanId, scopePath, index);

    let startTimeUnixNano = readUint64(raw.startTimeUnixNano);
    if (startTimeUnixNano === undefined) {
      if (raw.startTimeUnixNano !== undefined) {
        throw new TraceParseError(`${scopePath}.spans[${index}] has an invalid "startTimeUnixNano": ${describe(raw.startTimeUnixNano)}`);
      }
      // Proto3 JSON omits zero values; Jaeger's own api_v3 snapshots contain such spans.
      this.repairs.missingStart.noteSpan(scopePath, index);
      startTimeUnixNano = 0n;
    }
    const endTimeUnixNano = readUint64(raw.endTimeUnixNano);
    let durationNano = 0n;
    if (endTimeUnixNano === undefined) this.repairs.missingEnd.noteSpan(scopePath, index);
    else if (endTimeUnixNano < startTimeUnixNano) this.repairs.endBeforeStart.noteSpan(scopePath, index);
    else durationNano = endTimeUnixNano - startTimeUnixNano;

    const rawName = raw.name;
    const traceState = raw.traceState;
    const span: Span = {
      traceId,
      spanId,
      parentSpanId,
      name: typeof rawName === 'string' ? rawName : rawName === undefined ? '' : String(rawName),
      kind: this.readKind(raw.kind, scopePath, index),
      status: this.readStatus(raw.status, scopePath, index),
      startTimeUnixNano,
      durationNano,
      attributes: raw.attributes === undefined ? EMPTY_ATTRIBUTES : decodeOtlpKeyValues(raw.attributes, this.attributesPath.at(scopePath, index), this.warnings),
      events: raw.events === undefined ? NO_EVENTS : this.readEvents(raw.events, startTimeUnixNano, scopePath, index),
      links: raw.links === undefined ? NO_LINKS : this.readLinks(raw.links, scopePath, index),
      resource,
      scope,
      traceState: typeof traceState === 'string' && traceState !== '' ? traceState : undefined,
    };
    this.spansByTrace.add(span);
  }

  private requireId(raw: unknown, byteLength: 8 | 16, field: string, scopePath: string, index: number): string {
    if (raw === undefined || raw === null || raw === '') {
      throw new TraceParseError(`${scopePath}.spans[${index}] is missing "${field}"`);
    }
    const id = typeof raw === 'string' ? readOtlpId(raw, byteLength) : undefined;
    if (id === undefined) {
      throw new TraceParseError(
        `${scopePath}.spans[${index}] has an invalid "${field}" ${describe(raw)}: expected ${byteLength * 2} hex digits or base64 of ${byteLength} bytes`,
      );
    }
    return id;
  }

  private readParentId(raw: unknown, scopePath: string, index: number): string | undefined {
    // "" (Jaeger, Tempo) and all zeros both mean "no parent".
    if (raw === undefined || raw === null || raw === '') return undefined;
    const id = typeof raw === 'string' ? readOtlpId(raw, 8) : undefined;
    if (id === undefined) {
      addParseWarning(this.warnings, `${scopePath}.spans[${index}] has an invalid "parentSpanId" ${describe(raw)}; treated as a root span`);
      return undefined;
    }
    return isZeroId(id) ? undefined : id;
  }

  private readKind(raw: unknown, scopePath: string, index: number): SpanKind {
    if (raw === undefined) return 'unspecified';
    if (typeof raw === 'number') {
      const kind = SPAN_KINDS[raw];
      if (kind !== undefined) return kind;
    } else if (typeof raw === 'string') {
      const kind = SPAN_KIND_NAMES.get(raw) ?? SPAN_KINDS[Number(raw)];
      if (kind !== undefined && raw !== '') return kind;
    }
    addParseWarning(this.warnings, `${scopePath}.spans[${index}] has an unknown "kind" ${describe(raw)}; shown as unspecified`);
    return 'unspecified';
  }

  private readStatus(raw: unknown, scopePath: string, index: number): SpanStatus {
    if (raw === undefined || raw === null) return UNSET_STATUS;
    if (!isObject(raw)) {
      addParseWarning(this.warnings, `${scopePath}.spans[${index}].status is not an object; shown as unset`);
      return UNSET_STATUS;
    }
    const code = raw.code;
    let status: SpanStatus | undefined;
    if (code === undefined) status = UNSET_STATUS;
    else if (typeof code === 'number') status = STATUSES[code];
    else if (typeof code === 'string' && code !== '') status = STATUS_NAMES.get(code) ?? STATUSES[Number(code)];
    if (status === undefined) {
      addParseWarning(this.warnings, `${scopePath}.spans[${index}].status has an unknown "code" ${describe(code)}; shown as unset`);
      status = UNSET_STATUS;
    }
    const message = raw.message;
    return typeof message === 'string' && message !== '' ? { code: status.code, message } : status;
  }

  private readEvents(raw: unknown, spanStartUnixNano: bigint, scopePath: string, index: number): readonly SpanEvent[] {
    if (raw === null) return NO_EVENTS;
    if (!Array.isArray(raw)) {
      addParseWarning(this.warnings, `${scopePath}.spans[${index}].events is not a list; ignored`);
      return NO_EVENTS;
    }
    if (raw.length === 0) return NO_EVENTS;
    const events: SpanEvent[] = [];
    for (let i = 0; i < raw.length; i++) {
      const event: unknown = raw[i];
      if (!isObject(event)) {
        addParseWarning(this.warnings, `${scopePath}.spans[${index}].events[${i}] is not an object; ignored`);
        continue;
      }
      let timeUnixNano = readUint64(event.timeUnixNano);
      if (timeUnixNano === undefined) {
        this.repairs.eventWithoutTime.noteSpan(scopePath, index, `.events[${i}]`);
        timeUnixNano = spanStartUnixNano;
      }
      events.push({
        timeUnixNano,
        name: typeof event.name === 'string' ? event.name : '',
        attributes:
          event.attributes === undefined
            ? EMPTY_ATTRIBUTES
            : decodeOtlpKeyValues(event.attributes, `${scopePath}.spans[${index}].events[${i}].attributes`, this.warnings),
      });
    }
    return events;
  }

  private readLinks(raw: unknown, scopePath: string, index: number): readonly SpanLink[] {
    if (raw === null) return NO_LINKS;
    if (!Array.isArray(raw)) {
      addParseWarning(this.warnings, `${scopePath}.spans[${index}].links is not a list; ignored`);
      return NO_LINKS;
    }
    if (raw.length === 0) return NO_LINKS;
    const links: SpanLink[] = [];
    for (let i = 0; i < raw.length; i++) {
      const link: unknown = raw[i];
      const traceId = isObject(link) && typeof link.traceId === 'string' ? readOtlpId(link.traceId, 16) : undefined;
      const spanId = isObject(link) && typeof link.spanId === 'string' ? readOtlpId(link.spanId, 8) : undefined;
      if (!isObject(link) || traceId === undefined || spanId === undefined) {
        addParseWarning(this.warnings, `${scopePath}.spans[${index}].links[${i}] has no valid "traceId" and "spanId"; ignored`);
        continue;
      }
      const attributes =
        link.attributes === undefined
          ? EMPTY_ATTRIBUTES
          : decodeOtlpKeyValues(link.attributes, `${scopePath}.spans[${index}].links[${i}].attributes`, this.warnings);
      const traceState = link.traceState;
      links.push(
        typeof traceState === 'string' && traceState !== ''
          ? { traceId, spanId, traceState, attributes }
          : { traceId, spanId, attributes },
      );
    }
    return links;
  }
}

/** `<scope path>.spans[i].attributes`, rebuilt per span by mutation; the string exists only if a warning asks. */
class SpanFieldPath {
  private scopePath = '';
  private index = 0;

  constructor(private readonly suffix: string) {}

  at(scopePath: string, index: number): this {
    this.scopePath = scopePath;
    this.index = index;
    return this;
  }

  toString(): string {
    return `${this.scopePath}.spans[${this.index}]${this.suffix}`;
  }
}

/** Counts a repair that can happen once per span, remembering where it first happened. */
class RepairTally {
  count = 0;
  firstPath = '';

  note(path: string): void {
    if (this.count++ === 0) this.firstPath = path;
  }

  /** The same for span `index` of a ScopeSpans; the path is only built for the first. */
  noteSpan(scopePath: string, index: number, suffix = ''): void {
    if (this.count++ === 0) this.firstPath = `${scopePath}.spans[${index}]${suffix}`;
  }
}

class RepairCounter {
  readonly missingServiceName = new RepairTally();
  readonly missingStart = new RepairTally();
  readonly missingEnd = new RepairTally();
  readonly endBeforeStart = new RepairTally();
  readonly eventWithoutTime = new RepairTally();

  report(warnings: string[]): void {
    const { missingServiceName, missingStart, missingEnd, endBeforeStart, eventWithoutTime } = this;
    if (missingServiceName.count > 0) {
      addParseWarning(
        warnings,
        `${countPhrase(missingServiceName.count, 'resource has', 'resources have')} no "service.name" attribute; ` +
          `spans are shown under "${UNKNOWN_SERVICE}" (first: ${missingServiceName.firstPath})`,
      );
    }
    if (missingStart.count > 0) {
      addParseWarning(
        warnings,
        `${countPhrase(missingStart.count, 'span has', 'spans have')} no "startTimeUnixNano"; ` +
          `taken as 0, the Unix epoch (first: ${missingStart.firstPath})`,
      );
    }
    if (missingEnd.count > 0) {
      addParseWarning(
        warnings,
        `${countPhrase(missingEnd.count, 'span has', 'spans have')} no "endTimeUnixNano"; ` +
          `duration shown as 0 (first: ${missingEnd.firstPath})`,
      );
    }
    if (endBeforeStart.count > 0) {
      addParseWarning(
        warnings,
        `${countPhrase(endBeforeStart.count, 'span ends', 'spans end')} before starting; ` +
          `duration shown as 0 (first: ${endBeforeStart.firstPath})`,
      );
    }
    if (eventWithoutTime.count > 0) {
      addParseWarning(
        warnings,
        `${countPhrase(eventWithoutTime.count, 'span event has', 'span events have')} no "timeUnixNano"; ` +
          `placed at the span start (first: ${eventWithoutTime.firstPath})`,
      );
    }
  }
}

/** uint64 nanoseconds from a decimal string or a JSON number; undefined if absent or malformed. */
export function readUint64(raw: unknown): bigint | undefined {
  if (typeof raw === 'string') {
    const length = raw.length;
    if (length === 0 || length > 20) return undefined;
    for (let i = 0; i < length; i++) {
      const code = raw.charCodeAt(i);
      if (code < 48 || code > 57) return undefined;
    }
    return BigInt(raw);
  }
  if (typeof raw === 'number' && raw >= 0 && Number.isFinite(raw)) {
    return BigInt(Number.isInteger(raw) ? raw : Math.round(raw));
  }
  return undefined;
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
