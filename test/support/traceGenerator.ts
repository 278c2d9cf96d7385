// Deterministic synthetic traces for benchmarks and tests. One neutral description of a trace is
// written out as Jaeger v1, Zipkin v2 or OTLP JSON, so every parser reads the same spans. Shapes follow
// API.md: Jaeger and Zipkin in microseconds, OTLP in nanosecond strings.

export type GeneratedKind = 'server' | 'client' | 'internal' | 'producer' | 'consumer';

export type GeneratedAttribute =
  | { readonly key: string; readonly type: 'string'; readonly value: string }
  | { readonly key: string; readonly type: 'int'; readonly value: number }
  | { readonly key: string; readonly type: 'double'; readonly value: number }
  | { readonly key: string; readonly type: 'bool'; readonly value: boolean };

export interface GeneratedEvent {
  readonly timeMicros: number;
  readonly name: string;
  readonly attributes: readonly GeneratedAttribute[];
}

export interface GeneratedService {
  readonly name: string;
  readonly attributes: readonly GeneratedAttribute[];
}

export interface GeneratedSpan {
  /** 16 lowercase hex digits, unique within the trace. */
  readonly spanId: string;
  /** Index of the parent in `spans` (always earlier), or -1 for the root. */
  readonly parentIndex: number;
  readonly depth: number;
  readonly name: string;
  /** Index into `services`. */
  readonly service: number;
  readonly kind: GeneratedKind;
  readonly startMicros: number;
  readonly durationMicros: number;
  /** Error message when the span failed. */
  readonly error: string | undefined;
  readonly attributes: readonly GeneratedAttribute[];
  readonly events: readonly GeneratedEvent[];
}

export interface GeneratedTrace {
  /** 32 lowercase hex digits. */
  readonly traceId: string;
  readonly services: readonly GeneratedService[];
  /** Parents come before their children. */
  readonly spans: readonly GeneratedSpan[];
}

export interface TraceShape {
  readonly spanCount: number;
  readonly seed: number;
  /** Deepest level below the root; default 12. */
  readonly maxDepth?: number;
  /** Children of a span that has children; default 3..10. */
  readonly minFanOut?: number;
  readonly maxFanOut?: number;
  /** Default: 5..20, chosen by the seed. */
  readonly serviceCount?: number;
}

/** Small, fast, seedable PRNG (mulberry32): the same seed gives the same trace on every machine. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SERVICE_NAMES = [
  'frontend', 'checkout', 'cart', 'payment', 'shipping', 'inventory', 'catalog', 'search', 'auth', 'users',
  'recommendations', 'ads', 'email', 'currency', 'quote', 'fraud', 'ledger', 'notifications', 'gateway', 'reviews',
];
const OPERATIONS = ['GET /api/items', 'POST /api/orders', 'SELECT orders', 'cache.get', 'render', 'publish', 'consume', 'validate', 'rpc Call', 'compute'];
const EVENT_NAMES = ['cache miss', 'retry', 'exception', 'message received', 'checkpoint'];
const ERRORS = ['deadline exceeded', 'connection refused', 'insufficient stock', 'invalid token'];
const TRACE_START_MICROS = 1_700_000_000_000_000;
const ROOT_DURATION_MICROS = 60_000_000;
const ERROR_RATE = 0.02;
const EVENT_RATE = 0.2;
const LEAF_RATE = 0.65;

export function generateTrace(shape: TraceShape): GeneratedTrace {
  const random = createRandom(shape.seed);
  const int = (low: number, high: number): number => low + Math.floor(random() * (high - low + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const maxDepth = shape.maxDepth ?? 12;
  const minFanOut = shape.minFanOut ?? 3;
  const maxFanOut = shape.maxFanOut ?? 10;
  const serviceCount = shape.serviceCount ?? int(5, 20);
  if (maxDepth < 1 && shape.spanCount > 1) throw new Error('a trace of more than one span needs maxDepth >= 1');

  const services: GeneratedService[] = [];
  for (let i = 0; i < serviceCount; i++) {
    const base = SERVICE_NAMES[i % SERVICE_NAMES.length];
    services.push({
      name: i < SERVICE_NAMES.length ? base : `${base}-${Math.floor(i / SERVICE_NAMES.length)}`,
      attributes: [
        { key: 'host.name', type: 'string', value: `host-${int(1, 40)}` },
        { key: 'process.pid', type: 'int', value: int(100, 60_000) },
        { key: 'telemetry.sdk.language', type: 'string', value: pick(['go', 'java', 'nodejs', 'python']) },
      ],
    });
  }

  const usedIds = new Set<string>();
  const newSpanId = (): string => {
    for (;;) {
      const id = hex32(random) + hex32(random);
      if (!usedIds.has(id)) {
        usedIds.add(id);
        return id;
      }
    }
  };

  const spans: GeneratedSpan[] = [];
  const addSpan = (parentIndex: number): void => {
    const parent = parentIndex === -1 ? undefined : spans[parentIndex];
    const service = parent === undefined || random() < 0.4 ? int(0, serviceCount - 1) : parent.service;
    let kind: GeneratedKind = 'server';
    if (parent !== undefined) kind = service !== parent.service ? pick<GeneratedKind>(['server', 'server', 'consumer']) : pick<GeneratedKind>(['internal', 'client', 'client', 'producer']);
    let startMicros = TRACE_START_MICROS;
    let durationMicros = ROOT_DURATION_MICROS;
    if (parent !== undefined) {
      startMicros = parent.startMicros + Math.floor(random() * parent.durationMicros * 0.5);
      const room = parent.startMicros + parent.durationMicros - startMicros;
      durationMicros = Math.max(1, Math.floor(room * (0.1 + random() * 0.8)));
    }
    const attributes = spanAttributes(random, int, pick);
    const events: GeneratedEvent[] = [];
    if (random() < EVENT_RATE) {
      for (let k = int(1, 3); k > 0; k--) {
        events.push({
          timeMicros: startMicros + Math.floor(random() * durationMicros),
          name: pick(EVENT_NAMES),
          attributes: random() < 0.5 ? [{ key: 'attempt', type: 'int', value: int(1, 5) }] : [{ key: 'detail', type: 'string', value: `step ${int(1, 99)}` }],
        });
      }
    }
    spans.push({
      spanId: newSpanId(),
      parentIndex,
      depth: parent === undefined ? 0 : parent.depth + 1,
      name: pick(OPERATIONS),
      service,
      kind,
      startMicros,
      durationMicros,
      error: random() < ERROR_RATE ? pick(ERRORS) : undefined,
      attributes,
      events,
    });
  };

  // Breadth-first growth: each span that is not a leaf gets minFanOut..maxFanOut children.
  addSpan(-1);
  let next = 0;
  while (spans.length < shape.spanCount) {
    if (next >= spans.length) next = 0; // every queued span turned out a leaf: widen from the top again
    const parent = spans[next++];
    const isLeaf = parent.depth >= maxDepth || (parent.depth >= 2 && random() < LEAF_RATE);
    if (isLeaf) continue;
    const parentIndex = next - 1;
    for (let k = int(minFanOut, maxFanOut); k > 0 && spans.length < shape.spanCount; k--) addSpan(parentIndex);
  }

  return { traceId: hex32(random) + hex32(random) + hex32(random) + hex32(random), services, spans };
}

function spanAttributes(random: () => number, int: (low: number, high: number) => number, pick: <T>(items: readonly T[]) => T): GeneratedAttribute[] {
  const all: GeneratedAttribute[] = [
    { key: 'http.request.method', type: 'string', value: pick(['GET', 'POST', 'PUT', 'DELETE']) },
    { key: 'http.response.status_code', type: 'int', value: pick([200, 200, 200, 201, 404, 500]) },
    { key: 'url.path', type: 'string', value: `/api/v1/items/${int(1, 100_000)}` },
    { key: 'db.system', type: 'string', value: pick(['postgresql', 'redis', 'mongodb']) },
    { key: 'db.rows_affected', type: 'int', value: int(0, 500) },
    { key: 'cache.hit', type: 'bool', value: random() < 0.7 },
    { key: 'retry.backoff_ratio', type: 'double', value: Math.round(random() * 1000) / 1000 + 0.0005 },
    { key: 'network.peer.port', type: 'int', value: int(1024, 65_535) },
    { key: 'code.function.name', type: 'string', value: `handlers.${pick(['list', 'create', 'update', 'remove'])}Item` },
    { key: 'code.line.number', type: 'int', value: int(1, 900) },
    { key: 'user.premium', type: 'bool', value: random() < 0.2 },
    { key: 'payload.size_kib', type: 'double', value: Math.round(random() * 100_000) / 100 + 0.005 },
  ];
  const count = int(6, 10);
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [all[i], all[j]] = [all[j], all[i]];
  }
  return all.slice(0, count);
}

function hex32(random: () => number): string {
  return Math.floor(random() * 4294967296)
    .toString(16)
    .padStart(8, '0');
}

// ---- Writers ---------------------------------------------------------------------------------------

const JAEGER_TAG_TYPES = { string: 'string', int: 'int64', double: 'float64', bool: 'bool' } as const;

function jaegerTag(attribute: GeneratedAttribute): { key: string; type: string; value: string | number | boolean } {
  return { key: attribute.key, type: JAEGER_TAG_TYPES[attribute.type], value: attribute.value };
}

/** Jaeger query API v1 JSON, as GET /api/traces returns it: `{"data":[trace…], …}`. */
export function writeJaegerV1(traces: readonly GeneratedTrace[]): string {
  const data = traces.map((trace) => {
    const processes: Record<string, unknown> = {};
    trace.services.forEach((service, i) => {
      processes[`p${i + 1}`] = { serviceName: service.name, tags: service.attributes.map(jaegerTag) };
    });
    const spans = trace.spans.map((span) => {
      const tags = [{ key: 'span.kind', type: 'string', value: span.kind }, ...span.attributes.map(jaegerTag)];
      if (span.error !== undefined) tags.push({ key: 'error', type: 'bool', value: true });
      const logs = span.events.map((event) => ({
        timestamp: event.timeMicros,
        fields: [{ key: 'event', type: 'string', value: event.name }, ...event.attributes.map(jaegerTag)],
      }));
      if (span.error !== undefined) {
        logs.push({ timestamp: span.startMicros + span.durationMicros, fields: [{ key: 'event', type: 'string', value: 'error' }, { key: 'message', type: 'string', value: span.error }] });
      }
      return {
        traceID: trace.traceId,
        spanID: span.spanId,
        flags: 1,
        operationName: span.name,
        references: span.parentIndex === -1 ? [] : [{ refType: 'CHILD_OF', traceID: trace.traceId, spanID: trace.spans[span.parentIndex].spanId }],
        startTime: span.startMicros,
        duration: span.durationMicros,
        tags,
        logs,
        processID: `p${span.service + 1}`,
        warnings: null,
      };
    });
    return { traceID: trace.traceId, spans, processes, warnings: null };
  });
  return JSON.stringify({ data, total: 0, limit: 0, offset: 0, errors: null });
}

const ZIPKIN_KINDS: Readonly<Record<GeneratedKind, string | undefined>> = {
  server: 'SERVER',
  client: 'CLIENT',
  producer: 'PRODUCER',
  consumer: 'CONSUMER',
  internal: undefined,
};

/** Zipkin v2 JSON: one trace as GET /api/v2/trace/{id} returns it, several as GET /api/v2/traces does. */
export function writeZipkinV2(traces: readonly GeneratedTrace[]): string {
  const lists = traces.map((trace) =>
    trace.spans.map((span) => {
      const tags: Record<string, string> = {};
      for (const attribute of span.attributes) tags[attribute.key] = String(attribute.value);
      if (span.error !== undefined) tags.error = span.error;
      return {
        traceId: trace.traceId,
        parentId: span.parentIndex === -1 ? undefined : trace.spans[span.parentIndex].spanId,
        id: span.spanId,
        kind: ZIPKIN_KINDS[span.kind],
        name: span.name,
        timestamp: span.startMicros,
        duration: span.durationMicros,
        localEndpoint: { serviceName: trace.services[span.service].name, ipv4: `10.0.${span.service}.1` },
        annotations: span.events.length === 0 ? undefined : span.events.map((event) => ({ timestamp: event.timeMicros, value: event.name })),
        tags,
      };
    }),
  );
  return JSON.stringify(lists.length === 1 ? lists[0] : lists);
}

const OTLP_KINDS: Readonly<Record<GeneratedKind, number>> = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 };

function otlpValue(attribute: GeneratedAttribute): Record<string, string | number | boolean> {
  switch (attribute.type) {
    case 'string':
      return { stringValue: attribute.value };
    case 'int':
      return { intValue: String(attribute.value) };
    case 'double':
      return { doubleValue: attribute.value };
    case 'bool':
      return { boolValue: attribute.value };
  }
}

function otlpAttributes(attributes: readonly GeneratedAttribute[]): { key: string; value: Record<string, string | number | boolean> }[] {
  return attributes.map((attribute) => ({ key: attribute.key, value: otlpValue(attribute) }));
}

function microsToNanoString(micros: number): string {
  return `${micros}000`;
}

/** OTLP JSON (an ExportTraceServiceRequest): spans grouped per service, hex IDs, integer enums. */
export function writeOtlpJson(traces: readonly GeneratedTrace[]): string {
  const resourceSpans = traces.flatMap((trace) =>
    trace.services.map((service, serviceIndex) => ({
      resource: { attributes: otlpAttributes([{ key: 'service.name', type: 'string', value: service.name }, ...service.attributes]) },
      scopeSpans: [
        {
          scope: { name: 'spanlens.generator', version: '1.0.0' },
          spans: trace.spans
            .filter((span) => span.service === serviceIndex)
            .map((span) => ({
              traceId: trace.traceId,
              spanId: span.spanId,
              parentSpanId: span.parentIndex === -1 ? undefined : trace.spans[span.parentIndex].spanId,
              name: span.name,
              kind: OTLP_KINDS[span.kind],
              startTimeUnixNano: microsToNanoString(span.startMicros),
              endTimeUnixNano: microsToNanoString(span.startMicros + span.durationMicros),
              attributes: otlpAttributes(span.attributes),
              events: span.events.map((event) => ({ timeUnixNano: microsToNanoString(event.timeMicros), name: event.name, attributes: otlpAttributes(event.attributes) })),
              status: span.error === undefined ? {} : { code: 2, message: span.error },
            })),
        },
      ],
    })),
  );
  return JSON.stringify({ resourceSpans: resourceSpans.filter((entry) => entry.scopeSpans[0].spans.length > 0) });
}
