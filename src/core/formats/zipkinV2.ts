// Zipkin v2 JSON (GET /api/v2/trace/{id}, GET /api/v2/traces, POST /api/v2/spans bodies) to the
// normalized model. Times are microseconds. Zipkin lets instrumentation omit timestamp and duration
// (incomplete or late-reported spans), so those are repaired and counted rather than rejected.

import { SpansByTrace } from './spansByTrace';
import { microsToNano } from '../model/time';
import { EMPTY_SCOPE } from '../model/trace';
import type { AnyValue, Attribute, Resource, Span, SpanEvent, SpanKind, SpanLink, SpanStatus, Trace } from '../model/trace';
import { UNKNOWN_SERVICE } from './otlpJson';
import { addParseWarning, countPhrase } from './parseWarnings';
import { TraceParseError } from './traceParseError';
import { WireIdReader } from './wireIds';

type JsonObject = Record<string, unknown>;
type MutableSpan = { -readonly [K in keyof Span]: Span[K] };

const SHAPES = 'Zipkin v2 JSON is an array of spans, an array of such arrays, or one span object';
const NO_ATTRIBUTES: readonly Attribute[] = Object.freeze([]);
const NO_EVENTS: readonly SpanEvent[] = Object.freeze([]);
const NO_LINKS: readonly SpanLink[] = Object.freeze([]);
const STATUS_UNSET: SpanStatus = Object.freeze({ code: 'unset' });
const STATUS_ERROR: SpanStatus = Object.freeze({ code: 'error' });
const ZERO_SPAN_ID = '0000000000000000';

// A Map, so that a kind like "constructor" cannot reach Object.prototype.
const KINDS: ReadonlyMap<string, SpanKind> = new Map<string, SpanKind>([
  ['CLIENT', 'client'],
  ['SERVER', 'server'],
  ['PRODUCER', 'producer'],
  ['CONSUMER', 'consumer'],
]);

/** Parses any Zipkin v2 JSON shape; spans are grouped into traces by trace ID, in order of appearance. */
export function parseZipkinV2Document(doc: unknown, warnings: string[]): Trace[] {
  const parser = new ZipkinParser();
  if (Array.isArray(doc)) {
    if (doc.length > 0 && Array.isArray(doc[0])) {
      for (let i = 0; i < doc.length; i++) {
        const trace: unknown = doc[i];
        if (!Array.isArray(trace)) throw new TraceParseError(`[${i}] is not a list of spans; ${SHAPES}`);
        parser.spanList(trace, `[${i}]`);
      }
    } else {
      parser.spanList(doc, '');
    }
  } else if (isObject(doc) && ('traceId' in doc || 'id' in doc)) {
    parser.spanList([doc], '');
  } else {
    throw new TraceParseError(`not a Zipkin v2 document; ${SHAPES}`);
  }
  return parser.finish(warnings);
}

/** Per-document state: traces by ID, shared resources, and counts for the warnings reported at the end. */
class ZipkinParser {
  private readonly spansByTrace = new SpansByTrace<MutableSpan>();
  private readonly ids = new WireIdReader();
  private readonly resources = new Map<string, Resource>();
  /** Spans that arrived without a timestamp, with the earliest annotation time if they had one. */
  private readonly undated = new Map<MutableSpan, bigint | undefined>();
  private missingDurations = 0;
  private missingServices = 0;

  spanList(spans: readonly unknown[], path: string): void {
    for (let i = 0; i < spans.length; i++) {
      const raw = spans[i];
      if (!isObject(raw)) throw new TraceParseError(`${path}[${i}] is not a Zipkin span object; ${SHAPES}`);
      this.spansByTrace.add(this.span(raw, path, i));
    }
  }

  finish(warnings: string[]): Trace[] {
    const idWarning = this.ids.warning('Zipkin');
    if (idWarning) addParseWarning(warnings, idWarning);
    if (this.undated.size > 0) {
      addParseWarning(
        warnings,
        `${countPhrase(this.undated.size, 'span has', 'spans have')} no "timestamp"; placed at the earliest annotation, else the parent's or the trace's start`,
      );
    }
    if (this.missingDurations > 0) {
      addParseWarning(warnings, `${countPhrase(this.missingDurations, 'span has', 'spans have')} no "duration"; shown as 0`);
    }
    if (this.missingServices > 0) {
      addParseWarning(
        warnings,
        `${countPhrase(this.missingServices, 'span has', 'spans have')} no localEndpoint.serviceName; shown as "${UNKNOWN_SERVICE}"`,
      );
    }
    const traces: Trace[] = [];
    for (const [traceId, spans] of this.spansByTrace.entries()) {
      if (this.undated.size > 0) this.dateSpans(spans);
      traces.push({ traceId, spans });
    }
    return traces;
  }

  private span(raw: JsonObject, path: string, index: number): MutableSpan {
    if (typeof raw.traceId !== 'string' || raw.traceId === '') throw missing(path, index, 'traceId');
    if (typeof raw.id !== 'string' || raw.id === '') throw missing(path, index, 'id');
    const traceId = this.ids.traceId(raw.traceId);
    const spanId = this.ids.spanId(raw.id);
    let parentSpanId = typeof raw.parentId === 'string' && raw.parentId !== '' ? this.ids.spanId(raw.parentId) : undefined;
    if (parentSpanId === ZERO_SPAN_ID) parentSpanId = undefined;

    const timestamp = micros(raw.timestamp);
    let durationNano = micros(raw.duration);
    if (durationNano === undefined) {
      this.missingDurations++;
      durationNano = 0n;
    }
    const events = Array.isArray(raw.annotations) && raw.annotations.length > 0 ? annotations(raw.annotations) : NO_EVENTS;

    let attributes: Attribute[] | undefined;
    if (isObject(raw.remoteEndpoint)) attributes = remoteEndpointAttributes(raw.remoteEndpoint);
    let status = STATUS_UNSET;
    if (isObject(raw.tags)) {
      const tags = raw.tags;
      for (const key in tags) {
        const value = tags[key];
        const text = typeof value === 'string' ? value : JSON.stringify(value);
        if (key === 'error') {
          status = text === '' ? STATUS_ERROR : { code: 'error', message: text };
          continue;
        }
        (attributes ??= []).push({ key, value: { type: 'string', value: text } });
      }
    }

    const span: MutableSpan = {
      traceId,
      spanId,
      parentSpanId,
      name: typeof raw.name === 'string' ? raw.name : '',
      kind: (typeof raw.kind === 'string' ? KINDS.get(raw.kind) : undefined) ?? 'unspecified',
      status,
      startTimeUnixNano: timestamp ?? 0n,
      durationNano,
      attributes: attributes ?? NO_ATTRIBUTES,
      events,
      links: NO_LINKS,
      resource: this.resource(raw.localEndpoint),
      scope: EMPTY_SCOPE,
    };
    if (timestamp === undefined) {
      let earliest: bigint | undefined;
      for (const event of events) if (earliest === undefined || event.timeUnixNano < earliest) earliest = event.timeUnixNano;
      this.undated.set(span, earliest);
    }
    return span;
  }

  private resource(endpoint: unknown): Resource {
    const local = isObject(endpoint) ? endpoint : {};
    let serviceName = typeof local.serviceName === 'string' ? local.serviceName : '';
    if (serviceName === '') {
      this.missingServices++;
      serviceName = UNKNOWN_SERVICE;
    }
    const ipv4 = typeof local.ipv4 === 'string' ? local.ipv4 : '';
    const ipv6 = typeof local.ipv6 === 'string' ? local.ipv6 : '';
    const port = typeof local.port === 'number' ? local.port : 0;
    const key = `${serviceName}\u0000${ipv4}\u0000${ipv6}\u0000${port}`;
    let resource = this.resources.get(key);
    if (!resource) {
      const attributes: Attribute[] = [{ key: 'service.name', value: { type: 'string', value: serviceName } }];
      if (ipv4 !== '' || ipv6 !== '') attributes.push({ key: 'network.local.address', value: addressValue(ipv4, ipv6) });
      if (port > 0) attributes.push({ key: 'network.local.port', value: { type: 'int', value: String(port) } });
      resource = { serviceName, attributes };
      this.resources.set(key, resource);
    }
    return resource;
  }

  /**
   * Gives undated spans a start: their earliest annotation, else the parent's start (walking up through
   * undated parents), else the trace's earliest start. Each span is settled once, so this stays linear.
   */
  private dateSpans(spans: MutableSpan[]): void {
    let traceStart: bigint | undefined;
    const byId = new Map<string, MutableSpan>();
    for (const span of spans) {
      if (!byId.has(span.spanId)) byId.set(span.spanId, span);
      if (!this.undated.has(span) && (traceStart === undefined || span.startTimeUnixNano < traceStart)) traceStart = span.startTimeUnixNano;
    }
    const settled = new Set<MutableSpan>();
    for (const span of spans) {
      if (!this.undated.has(span) || settled.has(span)) continue;
      const chain: MutableSpan[] = [];
      const onChain = new Set<MutableSpan>();
      let current: MutableSpan | undefined = span;
      let start: bigint | undefined;
      while (current !== undefined && !onChain.has(current)) {
        if (!this.undated.has(current) || settled.has(current)) {
          start = current.startTimeUnixNano;
          break;
        }
        const fromAnnotation = this.undated.get(current);
        if (fromAnnotation !== undefined) {
          current.startTimeUnixNano = fromAnnotation;
          settled.add(current);
          start = fromAnnotation;
          break;
        }
        chain.push(current);
        onChain.add(current);
        current = current.parentSpanId === undefined ? undefined : byId.get(current.parentSpanId);
      }
      const resolved = start ?? traceStart ?? 0n;
      for (const member of chain) {
        member.startTimeUnixNano = resolved;
        settled.add(member);
      }
    }
  }
}

function remoteEndpointAttributes(endpoint: JsonObject): Attribute[] {
  const attributes: Attribute[] = [];
  if (typeof endpoint.serviceName === 'string' && endpoint.serviceName !== '') {
    attributes.push({ key: 'peer.service', value: { type: 'string', value: endpoint.serviceName } });
  }
  const ipv4 = typeof endpoint.ipv4 === 'string' ? endpoint.ipv4 : '';
  const ipv6 = typeof endpoint.ipv6 === 'string' ? endpoint.ipv6 : '';
  if (ipv4 !== '' || ipv6 !== '') attributes.push({ key: 'network.peer.address', value: addressValue(ipv4, ipv6) });
  if (typeof endpoint.port === 'number' && endpoint.port > 0) {
    attributes.push({ key: 'network.peer.port', value: { type: 'int', value: String(endpoint.port) } });
  }
  return attributes;
}

/** One address as a string; an endpoint with both IPv4 and IPv6 keeps both, as an array. */
function addressValue(ipv4: string, ipv6: string): AnyValue {
  if (ipv4 !== '' && ipv6 !== '') {
    return { type: 'array', value: [{ type: 'string', value: ipv4 }, { type: 'string', value: ipv6 }] };
  }
  return { type: 'string', value: ipv4 || ipv6 };
}

/** Annotations to events: the value names the event; Zipkin annotations carry no attributes. */
function annotations(raw: readonly unknown[]): SpanEvent[] {
  const events: SpanEvent[] = [];
  for (const annotation of raw) {
    if (!isObject(annotation)) continue;
    const timeUnixNano = micros(annotation.timestamp);
    if (timeUnixNano === undefined) continue;
    const name = typeof annotation.value === 'string' ? annotation.value : String(annotation.value);
    events.push({ timeUnixNano, name, attributes: NO_ATTRIBUTES });
  }
  return events;
}

function micros(value: unknown): bigint | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return undefined;
  const nanos = value * 1000;
  // Durations fit a double exactly as nanoseconds; one BigInt instead of two.
  return Number.isSafeInteger(nanos) ? BigInt(nanos) : microsToNano(value);
}

function missing(path: string, index: number, field: string): TraceParseError {
  return new TraceParseError(`${path}[${index}] is missing "${field}"`);
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
