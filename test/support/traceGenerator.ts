// Deterministic synthetic traces for benchmarks and tests. One neutral description of a trace is
// written out as Jaeger v1, Zipkin v2 or OTLP JSON, so every parser reads the same spans, or turned
// straight into the model. Shapes follow API.md: Jaeger and Zipkin in microseconds, OTLP in nanosecond
// strings. `bench/generateTrace.ts` writes the same traces to files for other trace UIs.

import type { Attribute, AnyValue, Resource, Span, SpanKind, Trace } from '../../src/core/model/trace';

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

/**
 * A generated trace held as columns, so a million spans cost tens of megabytes. Attributes, events and
 * errors are not stored: each span's seed regenerates them (see `generatedSpanAt`).
 */
export interface GeneratedTraceColumns {
  /** 32 lowercase hex digits. */
  readonly traceId: string;
  readonly services: readonly GeneratedService[];
  readonly spanCount: number;
  /** Index of the parent (always earlier), or -1 for the root. */
  readonly parentIndex: Int32Array;
  readonly depth: Uint8Array;
  /** Index into `services`. */
  readonly service: Uint16Array;
  /** Index into the operation names. */
  readonly operation: Uint8Array;
  /** Index into GENERATED_KINDS. */
  readonly kind: Uint8Array;
  readonly startMicros: Float64Array;
  readonly durationMicros: Float64Array;
  /** Span ID as two 32-bit halves. */
  readonly spanIdHigh: Uint32Array;
  readonly spanIdLow: Uint32Array;
  /** Seed of the span's attributes, events and error. */
  readonly detailSeed: Uint32Array;
}

export const GENERATED_KINDS: readonly GeneratedKind[] = ['server', 'client', 'internal', 'producer', 'consumer'];
const KIND_INDEX = new Map(GENERATED_KINDS.map((kind, index) => [kind, index]));

/** Every span materialized; fine up to a few hundred thousand spans. */
export function generateTrace(shape: TraceShape): GeneratedTrace {
  const columns = generateTraceColumns(shape);
  const spans: GeneratedSpan[] = new Array<GeneratedSpan>(columns.spanCount);
  for (let i = 0; i < columns.spanCount; i++) spans[i] = generatedSpanAt(columns, i);
  return { traceId: columns.traceId, services: columns.services, spans };
}

/**
 * The trace as columns: breadth-first growth where each span that is not a leaf gets minFanOut..maxFanOut
 * children, down to maxDepth. The share of spans that get children rises just enough for large traces
 * to fit within maxDepth, so the shape stays within its fan-out at a million spans.
 */
export function generateTraceColumns(shape: TraceShape): GeneratedTraceColumns {
  const random = createRandom(shape.seed);
  const int = (low: number, high: number): number => low + Math.floor(random() * (high - low + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const spanCount = shape.spanCount;
  const maxDepth = shape.maxDepth ?? 12;
  const minFanOut = shape.minFanOut ?? 3;
  const maxFanOut = shape.maxFanOut ?? 10;
  const serviceCount = shape.serviceCount ?? int(5, 20);
  if (maxDepth < 1 && spanCount > 1) throw new Error('a trace of more than one span needs maxDepth >= 1');
  if (maxDepth > 255) throw new Error('maxDepth is at most 255');
  if (!Number.isSafeInteger(spanCount) || spanCount < 1) throw new Error(`spanCount must be a positive integer, not ${spanCount}`);

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

  const columns = {
    traceId: '',
    services,
    spanCount,
    parentIndex: new Int32Array(spanCount),
    depth: new Uint8Array(spanCount),
    service: new Uint16Array(spanCount),
    operation: new Uint8Array(spanCount),
    kind: new Uint8Array(spanCount),
    startMicros: new Float64Array(spanCount),
    durationMicros: new Float64Array(spanCount),
    spanIdHigh: new Uint32Array(spanCount),
    spanIdLow: new Uint32Array(spanCount),
    detailSeed: new Uint32Array(spanCount),
  };
  const childCount = new Uint32Array(spanCount);
  // Low halves are a bijection of the index (odd multiplier, xor salt): unique without a set of IDs.
  const idSalt = Math.floor(random() * 4294967296) >>> 0;
  let length = 0;
  const addSpan = (parent: number): void => {
    const i = length++;
    let service = int(0, serviceCount - 1);
    let kind: GeneratedKind = 'server';
    let startMicros = TRACE_START_MICROS;
    let durationMicros = ROOT_DURATION_MICROS;
    if (parent !== -1) {
      const parentService = columns.service[parent];
      if (random() >= 0.4) service = parentService;
      kind = service !== parentService ? pick<GeneratedKind>(['server', 'server', 'consumer']) : pick<GeneratedKind>(['internal', 'client', 'client', 'producer']);
      const parentStart = columns.startMicros[parent];
      const parentDuration = columns.durationMicros[parent];
      startMicros = parentStart + Math.floor(random() * parentDuration * 0.5);
      const room = parentStart + parentDuration - startMicros;
      durationMicros = Math.max(1, Math.floor(room * (0.1 + random() * 0.8)));
      childCount[parent]++;
    }
    columns.parentIndex[i] = parent;
    columns.depth[i] = parent === -1 ? 0 : columns.depth[parent] + 1;
    columns.service[i] = service;
    columns.operation[i] = Math.floor(random() * OPERATIONS.length);
    columns.kind[i] = KIND_INDEX.get(kind) ?? 0;
    columns.startMicros[i] = startMicros;
    columns.durationMicros[i] = durationMicros;
    columns.spanIdHigh[i] = Math.floor(random() * 4294967295) + 1;
    columns.spanIdLow[i] = (Math.imul(i + 1, 0x9e3779b1) ^ idSalt) >>> 0;
    columns.detailSeed[i] = Math.floor(random() * 4294967296) >>> 0;
  };

  const parentRate = parentRateFor(spanCount, maxDepth, minFanOut, maxFanOut);
  addSpan(-1);
  // Pass 0 grows breadth-first at random; if the queue runs dry below spanCount, pass 1 gives children
  // to spans still without any, and only pass 2 exceeds maxFanOut.
  let next = 0;
  let pass = 0;
  let grewThisPass = false;
  while (length < spanCount) {
    if (next >= length) {
      if (pass === 2 && !grewThisPass) throw new Error(`cannot place ${spanCount} spans within depth ${maxDepth}`);
      pass = Math.min(pass + 1, 2);
      next = 0;
      grewThisPass = false;
    }
    const parent = next++;
    const depth = columns.depth[parent];
    if (depth >= maxDepth) continue;
    if (pass === 0 && depth >= 2 && random() >= parentRate) continue;
    if (pass === 1 && childCount[parent] > 0) continue;
    grewThisPass = true;
    for (let k = int(minFanOut, maxFanOut); k > 0 && length < spanCount; k--) addSpan(parent);
  }

  return { ...columns, traceId: hex32(random) + hex32(random) + hex32(random) + hex32(random) };
}

/**
 * Share of spans from depth 2 down that get children: the usual 35%, raised until the expected size of
 * a tree grown to maxDepth comfortably exceeds spanCount.
 */
function parentRateFor(spanCount: number, maxDepth: number, minFanOut: number, maxFanOut: number): number {
  const fanOut = (minFanOut + maxFanOut) / 2;
  const expectedSize = (rate: number): number => {
    let level = fanOut * fanOut;
    let total = 1 + fanOut + level;
    for (let depth = 3; depth <= maxDepth; depth++) {
      level *= rate * fanOut;
      total += level;
    }
    return total;
  };
  let rate = 1 - LEAF_RATE;
  while (rate < 1 && expectedSize(rate) < 1.3 * spanCount) rate = Math.min(1, rate + 0.01);
  return rate;
}

/** One span with its attributes, events and error regenerated from its seed. */
export function generatedSpanAt(trace: GeneratedTraceColumns, index: number): GeneratedSpan {
  const random = createRandom(trace.detailSeed[index]);
  const int = (low: number, high: number): number => low + Math.floor(random() * (high - low + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const startMicros = trace.startMicros[index];
  const durationMicros = trace.durationMicros[index];
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
  return {
    spanId: spanIdAt(trace, index),
    parentIndex: trace.parentIndex[index],
    depth: trace.depth[index],
    name: OPERATIONS[trace.operation[index]],
    service: trace.service[index],
    kind: GENERATED_KINDS[trace.kind[index]],
    startMicros,
    durationMicros,
    error: random() < ERROR_RATE ? pick(ERRORS) : undefined,
    attributes,
    events,
  };
}

function spanIdAt(trace: GeneratedTraceColumns, index: number): string {
  return trace.spanIdHigh[index].toString(16).padStart(8, '0') + trace.spanIdLow[index].toString(16).padStart(8, '0');
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
// Each format is a generator of text chunks (one per span, plus the envelope), so a million-span trace
// can go to a file without one giant string; the write* functions join the chunks for smaller traces.

/** A trace with every span materialized, or the compact columns. */
export type GeneratedTraceSource = GeneratedTrace | GeneratedTraceColumns;

function spanCountOf(trace: GeneratedTraceSource): number {
  return 'spans' in trace ? trace.spans.length : trace.spanCount;
}

function spanOf(trace: GeneratedTraceSource, index: number): GeneratedSpan {
  return 'spans' in trace ? trace.spans[index] : generatedSpanAt(trace, index);
}

function parentSpanIdOf(trace: GeneratedTraceSource, span: GeneratedSpan): string | undefined {
  if (span.parentIndex === -1) return undefined;
  return 'spans' in trace ? trace.spans[span.parentIndex].spanId : spanIdAt(trace, span.parentIndex);
}

function* joined<T>(items: Iterable<T>, write: (item: T) => Iterable<string>): Generator<string> {
  let first = true;
  for (const item of items) {
    if (!first) yield ',';
    first = false;
    yield* write(item);
  }
}

function* indexes(count: number): Generator<number> {
  for (let i = 0; i < count; i++) yield i;
}

const JAEGER_TAG_TYPES = { string: 'string', int: 'int64', double: 'float64', bool: 'bool' } as const;

function jaegerTag(attribute: GeneratedAttribute): { key: string; type: string; value: string | number | boolean } {
  return { key: attribute.key, type: JAEGER_TAG_TYPES[attribute.type], value: attribute.value };
}

function jaegerSpan(trace: GeneratedTraceSource, span: GeneratedSpan): string {
  const tags = [{ key: 'span.kind', type: 'string', value: span.kind }, ...span.attributes.map(jaegerTag)];
  if (span.error !== undefined) tags.push({ key: 'error', type: 'bool', value: true });
  const logs = span.events.map((event) => ({
    timestamp: event.timeMicros,
    fields: [{ key: 'event', type: 'string', value: event.name }, ...event.attributes.map(jaegerTag)],
  }));
  if (span.error !== undefined) {
    logs.push({ timestamp: span.startMicros + span.durationMicros, fields: [{ key: 'event', type: 'string', value: 'error' }, { key: 'message', type: 'string', value: span.error }] });
  }
  const parentId = parentSpanIdOf(trace, span);
  return JSON.stringify({
    traceID: trace.traceId,
    spanID: span.spanId,
    flags: 1,
    operationName: span.name,
    references: parentId === undefined ? [] : [{ refType: 'CHILD_OF', traceID: trace.traceId, spanID: parentId }],
    startTime: span.startMicros,
    duration: span.durationMicros,
    tags,
    logs,
    processID: `p${span.service + 1}`,
    warnings: null,
  });
}

/** Jaeger query API v1 JSON, as GET /api/traces returns it (`{"data":[trace…], …}`), in chunks. */
export function* jaegerV1Chunks(traces: readonly GeneratedTraceSource[]): Generator<string> {
  yield '{"data":[';
  yield* joined(traces, function* (trace) {
    const processes: Record<string, unknown> = {};
    trace.services.forEach((service, i) => {
      processes[`p${i + 1}`] = { serviceName: service.name, tags: service.attributes.map(jaegerTag) };
    });
    yield `{"traceID":${JSON.stringify(trace.traceId)},"processes":${JSON.stringify(processes)},"warnings":null,"spans":[`;
    yield* joined(indexes(spanCountOf(trace)), (i) => [jaegerSpan(trace, spanOf(trace, i))]);
    yield ']}';
  });
  yield '],"total":0,"limit":0,"offset":0,"errors":null}';
}

export function writeJaegerV1(traces: readonly GeneratedTraceSource[]): string {
  return [...jaegerV1Chunks(traces)].join('');
}

const ZIPKIN_KINDS: Readonly<Record<GeneratedKind, string | undefined>> = {
  server: 'SERVER',
  client: 'CLIENT',
  producer: 'PRODUCER',
  consumer: 'CONSUMER',
  internal: undefined,
};

function zipkinSpan(trace: GeneratedTraceSource, span: GeneratedSpan): string {
  const tags: Record<string, string> = {};
  for (const attribute of span.attributes) tags[attribute.key] = String(attribute.value);
  if (span.error !== undefined) tags.error = span.error;
  return JSON.stringify({
    traceId: trace.traceId,
    parentId: parentSpanIdOf(trace, span),
    id: span.spanId,
    kind: ZIPKIN_KINDS[span.kind],
    name: span.name,
    timestamp: span.startMicros,
    duration: span.durationMicros,
    localEndpoint: { serviceName: trace.services[span.service].name, ipv4: `10.0.${span.service}.1` },
    annotations: span.events.length === 0 ? undefined : span.events.map((event) => ({ timestamp: event.timeMicros, value: event.name })),
    tags,
  });
}

/** Zipkin v2 JSON in chunks: one trace as GET /api/v2/trace/{id} returns it, several as GET /api/v2/traces does. */
export function* zipkinV2Chunks(traces: readonly GeneratedTraceSource[]): Generator<string> {
  const spanList = function* (trace: GeneratedTraceSource): Generator<string> {
    yield '[';
    yield* joined(indexes(spanCountOf(trace)), (i) => [zipkinSpan(trace, spanOf(trace, i))]);
    yield ']';
  };
  if (traces.length === 1) {
    yield* spanList(traces[0]);
    return;
  }
  yield '[';
  yield* joined(traces, spanList);
  yield ']';
}

export function writeZipkinV2(traces: readonly GeneratedTraceSource[]): string {
  return [...zipkinV2Chunks(traces)].join('');
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

function otlpSpan(trace: GeneratedTraceSource, span: GeneratedSpan): string {
  return JSON.stringify({
    traceId: trace.traceId,
    spanId: span.spanId,
    parentSpanId: parentSpanIdOf(trace, span),
    name: span.name,
    kind: OTLP_KINDS[span.kind],
    startTimeUnixNano: microsToNanoString(span.startMicros),
    endTimeUnixNano: microsToNanoString(span.startMicros + span.durationMicros),
    attributes: otlpAttributes(span.attributes),
    events: span.events.map((event) => ({ timeUnixNano: microsToNanoString(event.timeMicros), name: event.name, attributes: otlpAttributes(event.attributes) })),
    status: span.error === undefined ? {} : { code: 2, message: span.error },
  });
}

function serviceOf(trace: GeneratedTraceSource, index: number): number {
  return 'spans' in trace ? trace.spans[index].service : trace.service[index];
}

/** OTLP JSON (an ExportTraceServiceRequest) in chunks: spans grouped per service, hex IDs, integer enums. */
export function* otlpJsonChunks(traces: readonly GeneratedTraceSource[]): Generator<string> {
  const groups: { trace: GeneratedTraceSource; serviceIndex: number }[] = [];
  for (const trace of traces) {
    const used = new Uint8Array(trace.services.length);
    for (let i = 0; i < spanCountOf(trace); i++) used[serviceOf(trace, i)] = 1;
    trace.services.forEach((_, serviceIndex) => {
      if (used[serviceIndex] === 1) groups.push({ trace, serviceIndex });
    });
  }
  yield '{"resourceSpans":[';
  yield* joined(groups, function* ({ trace, serviceIndex }) {
    const service = trace.services[serviceIndex];
    const resource = { attributes: otlpAttributes([{ key: 'service.name', type: 'string', value: service.name }, ...service.attributes]) };
    yield `{"resource":${JSON.stringify(resource)},"scopeSpans":[{"scope":{"name":"spanlens.generator","version":"1.0.0"},"spans":[`;
    const matching = function* (): Generator<number> {
      for (let i = 0; i < spanCountOf(trace); i++) if (serviceOf(trace, i) === serviceIndex) yield i;
    };
    yield* joined(matching(), (i) => [otlpSpan(trace, spanOf(trace, i))]);
    yield ']}]}';
  });
  yield ']}';
}

export function writeOtlpJson(traces: readonly GeneratedTraceSource[]): string {
  return [...otlpJsonChunks(traces)].join('');
}

// ---- Model ------------------------------------------------------------------------------------------

function modelValue(attribute: GeneratedAttribute): AnyValue {
  switch (attribute.type) {
    case 'string':
      return { type: 'string', value: attribute.value };
    case 'int':
      return { type: 'int', value: String(attribute.value) };
    case 'double':
      return { type: 'double', value: attribute.value };
    case 'bool':
      return { type: 'bool', value: attribute.value };
  }
}

function modelAttributes(attributes: readonly GeneratedAttribute[]): Attribute[] {
  return attributes.map((attribute) => ({ key: attribute.key, value: modelValue(attribute) }));
}

function microsToNano(micros: number): bigint {
  return BigInt(micros) * 1000n;
}

/**
 * The normalized model of a generated trace, as the OTLP JSON parser would read it, without the text:
 * benchmarks start from "data in host memory" at sizes whose JSON would not fit in one string.
 */
export function generatedModelTrace(trace: GeneratedTraceSource): Trace {
  const scope = { name: 'spanlens.generator', version: '1.0.0', attributes: [] };
  const resources: Resource[] = trace.services.map((service) => ({
    serviceName: service.name,
    attributes: modelAttributes([{ key: 'service.name', type: 'string', value: service.name }, ...service.attributes]),
  }));
  const count = spanCountOf(trace);
  const spans: Span[] = new Array<Span>(count);
  for (let i = 0; i < count; i++) {
    const span = spanOf(trace, i);
    spans[i] = {
      traceId: trace.traceId,
      spanId: span.spanId,
      parentSpanId: parentSpanIdOf(trace, span),
      name: span.name,
      kind: span.kind satisfies SpanKind,
      status: span.error === undefined ? { code: 'unset' } : { code: 'error', message: span.error },
      startTimeUnixNano: microsToNano(span.startMicros),
      durationNano: microsToNano(span.durationMicros),
      attributes: modelAttributes(span.attributes),
      events: span.events.map((event) => ({ timeUnixNano: microsToNano(event.timeMicros), name: event.name, attributes: modelAttributes(event.attributes) })),
      links: [],
      resource: resources[span.service],
      scope,
    };
  }
  return { traceId: trace.traceId, spans };
}
