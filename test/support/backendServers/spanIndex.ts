// The fakes search the fixture traces the way the real servers do; this flattens each wire format into
// the few fields a search reads. Fixture documents themselves are served as they are.

export type Scalar = string | number | boolean;

export type FakeSpanKind = 'unspecified' | 'internal' | 'server' | 'client' | 'producer' | 'consumer';

export interface IndexedSpan {
  /** 32 lowercase hex digits. */
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  readonly service: string;
  readonly name: string;
  readonly kind: FakeSpanKind;
  readonly startUnixNano: bigint;
  readonly durationNano: bigint;
  readonly isError: boolean;
  readonly attributes: ReadonlyMap<string, Scalar>;
  readonly resourceAttributes: ReadonlyMap<string, Scalar>;
  /** Zipkin annotation values (search matches them with a bare annotationQuery term). */
  readonly annotations: readonly string[];
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

const KINDS: readonly FakeSpanKind[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];

function otlpScalar(value: unknown): Scalar | undefined {
  if (!isObject(value)) return undefined;
  if (typeof value.stringValue === 'string') return value.stringValue;
  if (typeof value.boolValue === 'boolean') return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (typeof value.doubleValue === 'number') return value.doubleValue;
  return undefined;
}

function otlpAttributes(value: unknown): Map<string, Scalar> {
  const map = new Map<string, Scalar>();
  for (const item of list(value)) {
    if (!isObject(item) || typeof item.key !== 'string') continue;
    const scalar = otlpScalar(item.value);
    if (scalar !== undefined) map.set(item.key, scalar);
  }
  return map;
}

function padTraceId(hex: string): string {
  return hex.toLowerCase().padStart(32, '0');
}

/** Spans of an OTLP TracesData with hex IDs and integer enums (the fixtures' spelling). */
export function spansFromOtlp(doc: unknown): IndexedSpan[] {
  const spans: IndexedSpan[] = [];
  if (!isObject(doc)) return spans;
  for (const resourceSpans of list(doc.resourceSpans)) {
    if (!isObject(resourceSpans)) continue;
    const resourceAttributes = otlpAttributes(isObject(resourceSpans.resource) ? resourceSpans.resource.attributes : undefined);
    const service = String(resourceAttributes.get('service.name') ?? 'unknown_service');
    for (const scopeSpans of list(resourceSpans.scopeSpans)) {
      if (!isObject(scopeSpans)) continue;
      for (const span of list(scopeSpans.spans)) {
        if (!isObject(span)) continue;
        const start = BigInt(String(span.startTimeUnixNano ?? '0'));
        const end = BigInt(String(span.endTimeUnixNano ?? span.startTimeUnixNano ?? '0'));
        const status = isObject(span.status) ? span.status.code : undefined;
        const parent = typeof span.parentSpanId === 'string' && span.parentSpanId !== '' ? span.parentSpanId : undefined;
        spans.push({
          traceId: padTraceId(String(span.traceId)),
          spanId: String(span.spanId).toLowerCase(),
          parentSpanId: parent?.toLowerCase(),
          service,
          name: String(span.name ?? ''),
          kind: KINDS[typeof span.kind === 'number' ? span.kind : 0] ?? 'unspecified',
          startUnixNano: start,
          durationNano: end - start,
          isError: status === 2,
          attributes: otlpAttributes(span.attributes),
          resourceAttributes,
          annotations: [],
        });
      }
    }
  }
  return spans;
}

function jaegerTagValue(tag: JsonObject): Scalar | undefined {
  const { value } = tag;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return undefined;
}

function jaegerTags(value: unknown): Map<string, Scalar> {
  const map = new Map<string, Scalar>();
  for (const tag of list(value)) {
    if (!isObject(tag) || typeof tag.key !== 'string') continue;
    const scalar = jaegerTagValue(tag);
    if (scalar !== undefined) map.set(tag.key, scalar);
  }
  return map;
}

/** Spans of one Jaeger UI-model trace (`{traceID, spans, processes}`). */
export function spansFromJaegerV1(trace: unknown): IndexedSpan[] {
  const spans: IndexedSpan[] = [];
  if (!isObject(trace)) return spans;
  const processes = isObject(trace.processes) ? trace.processes : {};
  for (const span of list(trace.spans)) {
    if (!isObject(span)) continue;
    const process = isObject(processes[String(span.processID)]) ? (processes[String(span.processID)] as JsonObject) : {};
    const tags = jaegerTags(span.tags);
    const parent = list(span.references).find((ref) => isObject(ref) && ref.refType === 'CHILD_OF');
    const kind = String(tags.get('span.kind') ?? 'unspecified') as FakeSpanKind;
    spans.push({
      traceId: padTraceId(String(span.traceID)),
      spanId: String(span.spanID),
      parentSpanId: isObject(parent) ? String(parent.spanID) : undefined,
      service: String(process.serviceName ?? ''),
      name: String(span.operationName ?? ''),
      kind: KINDS.includes(kind) ? kind : 'unspecified',
      startUnixNano: BigInt(Math.round(Number(span.startTime ?? 0))) * 1000n,
      durationNano: BigInt(Math.round(Number(span.duration ?? 0))) * 1000n,
      isError: tags.get('error') === true || tags.get('error') === 'true',
      attributes: tags,
      resourceAttributes: jaegerTags(process.tags),
      annotations: list(span.logs).flatMap((log) => (isObject(log) ? [...jaegerTags(log.fields).values()].map(String) : [])),
    });
  }
  return spans;
}

/** Spans of one Zipkin v2 span list. */
export function spansFromZipkin(trace: unknown): IndexedSpan[] {
  const spans: IndexedSpan[] = [];
  for (const span of list(trace)) {
    if (!isObject(span)) continue;
    const tags = new Map<string, Scalar>();
    if (isObject(span.tags)) for (const [key, value] of Object.entries(span.tags)) tags.set(key, String(value));
    const local = isObject(span.localEndpoint) ? span.localEndpoint : {};
    const kind = typeof span.kind === 'string' ? (span.kind.toLowerCase() as FakeSpanKind) : 'unspecified';
    spans.push({
      traceId: padTraceId(String(span.traceId)),
      spanId: String(span.id),
      parentSpanId: typeof span.parentId === 'string' ? span.parentId : undefined,
      service: typeof local.serviceName === 'string' ? local.serviceName : '',
      name: typeof span.name === 'string' ? span.name : '',
      kind,
      startUnixNano: BigInt(Math.round(Number(span.timestamp ?? 0))) * 1000n,
      durationNano: BigInt(Math.round(Number(span.duration ?? 0))) * 1000n,
      isError: tags.has('error'),
      attributes: tags,
      resourceAttributes: new Map(),
      annotations: list(span.annotations).flatMap((item) => (isObject(item) && typeof item.value === 'string' ? [item.value] : [])),
    });
  }
  return spans;
}

export function groupByTrace(spans: readonly IndexedSpan[]): Map<string, IndexedSpan[]> {
  const traces = new Map<string, IndexedSpan[]>();
  for (const span of spans) {
    const group = traces.get(span.traceId);
    if (group === undefined) traces.set(span.traceId, [span]);
    else group.push(span);
  }
  return traces;
}

/** The span without a parent in the trace, earliest first. */
export function rootOf(spans: readonly IndexedSpan[]): IndexedSpan | undefined {
  const ids = new Set(spans.map((span) => span.spanId));
  let root: IndexedSpan | undefined;
  for (const span of spans) {
    if (span.parentSpanId !== undefined && ids.has(span.parentSpanId)) continue;
    if (root === undefined || span.startUnixNano < root.startUnixNano) root = span;
  }
  return root;
}

export function traceBounds(spans: readonly IndexedSpan[]): { start: bigint; end: bigint } {
  let start = spans[0]?.startUnixNano ?? 0n;
  let end = start;
  for (const span of spans) {
    if (span.startUnixNano < start) start = span.startUnixNano;
    const spanEnd = span.startUnixNano + span.durationNano;
    if (spanEnd > end) end = spanEnd;
  }
  return { start, end };
}

/** Hex to base64, as Tempo and Jaeger ≤ v1.53 write OTLP IDs. */
export function hexToBase64(hex: string): string {
  return Buffer.from(hex, 'hex').toString('base64');
}

const KIND_NAMES = ['SPAN_KIND_UNSPECIFIED', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', 'SPAN_KIND_PRODUCER', 'SPAN_KIND_CONSUMER'];
const STATUS_NAMES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];

/**
 * An OTLP document re-spelled the gogo-jsonpb way (Tempo, Jaeger ≤ v1.53): base64 IDs, enum names, empty
 * parent IDs dropped (`emptyParent: 'omit'`) or kept as "" (`'keep'`, as Jaeger v1.53 wrote them).
 */
export function toGogoJsonpb(doc: unknown, emptyParent: 'omit' | 'keep'): unknown {
  const copy = structuredClone(doc) as JsonObject;
  for (const resourceSpans of list(copy.resourceSpans)) {
    if (!isObject(resourceSpans)) continue;
    for (const scopeSpans of list(resourceSpans.scopeSpans)) {
      if (!isObject(scopeSpans)) continue;
      for (const span of list(scopeSpans.spans)) {
        if (!isObject(span)) continue;
        span.traceId = hexToBase64(String(span.traceId));
        span.spanId = hexToBase64(String(span.spanId));
        if (typeof span.parentSpanId === 'string' && span.parentSpanId !== '') span.parentSpanId = hexToBase64(span.parentSpanId);
        else if (emptyParent === 'keep') span.parentSpanId = '';
        else delete span.parentSpanId;
        if (typeof span.kind === 'number') span.kind = KIND_NAMES[span.kind];
        if (isObject(span.status) && typeof span.status.code === 'number') span.status.code = STATUS_NAMES[span.status.code];
        for (const link of list(span.links)) {
          if (!isObject(link)) continue;
          link.traceId = hexToBase64(String(link.traceId));
          link.spanId = hexToBase64(String(link.spanId));
        }
      }
    }
  }
  return copy;
}

/** The resourceSpans of one trace only (fixture documents may hold several traces). */
export function otlpForTrace(doc: unknown, traceId: string): { resourceSpans: unknown[] } {
  const resourceSpansOut: unknown[] = [];
  if (!isObject(doc)) return { resourceSpans: resourceSpansOut };
  for (const resourceSpans of list(doc.resourceSpans)) {
    if (!isObject(resourceSpans)) continue;
    const scopeSpansOut: unknown[] = [];
    for (const scopeSpans of list(resourceSpans.scopeSpans)) {
      if (!isObject(scopeSpans)) continue;
      const spans = list(scopeSpans.spans).filter((span) => isObject(span) && padTraceId(String(span.traceId)) === traceId);
      if (spans.length > 0) scopeSpansOut.push({ ...scopeSpans, spans });
    }
    if (scopeSpansOut.length > 0) resourceSpansOut.push({ ...resourceSpans, scopeSpans: scopeSpansOut });
  }
  return { resourceSpans: resourceSpansOut };
}
