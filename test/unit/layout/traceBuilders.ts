// Builds model spans and traces for layout and webview tests.
import type { Attribute, Resource, Span, Trace } from '../../../src/core/model/trace';
import { EMPTY_SCOPE } from '../../../src/core/model/trace';

export const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
export const BASE_TIME_UNIX_NANO = 1_700_000_000_123_456_789n;

const resources = new Map<string, Resource>();

export function resourceFor(serviceName: string, attributes: readonly Attribute[] = []): Resource {
  let resource = resources.get(serviceName);
  if (resource === undefined || attributes.length > 0) {
    resource = { serviceName, attributes: [{ key: 'service.name', value: { type: 'string', value: serviceName } }, ...attributes] };
    resources.set(serviceName, resource);
  }
  return resource;
}

export function spanIdOf(index: number): string {
  return (index + 1).toString(16).padStart(16, '0');
}

export interface SpanSpec {
  readonly index: number;
  readonly parent?: number;
  readonly name?: string;
  readonly service?: string;
  readonly startOffsetNano?: bigint;
  readonly durationNano?: bigint;
}

export function makeSpan(spec: SpanSpec, overrides: Partial<Span> = {}): Span {
  return {
    traceId: TRACE_ID,
    spanId: spanIdOf(spec.index),
    parentSpanId: spec.parent === undefined ? undefined : spanIdOf(spec.parent),
    name: spec.name ?? `span ${spec.index}`,
    kind: 'internal',
    status: { code: 'unset' },
    startTimeUnixNano: BASE_TIME_UNIX_NANO + (spec.startOffsetNano ?? BigInt(spec.index) * 1_000n),
    durationNano: spec.durationNano ?? 1_000_000n,
    attributes: [],
    events: [],
    links: [],
    resource: resourceFor(spec.service ?? 'frontend'),
    scope: EMPTY_SCOPE,
    ...overrides,
  };
}

/**
 * A deterministic trace of `count` spans: a root, then each span's parent is one of the few spans
 * before it, giving depth and fan-out; starts grow with the index so display order is predictable.
 */
export function generateTrace(count: number, services = ['frontend', 'api', 'db', 'cache', 'auth']): Trace {
  const spans: Span[] = [];
  let seed = 42;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  for (let index = 0; index < count; index++) {
    const parent = index === 0 ? undefined : Math.max(0, index - 1 - Math.floor(random() * 4));
    spans.push(
      makeSpan(
        {
          index,
          parent,
          name: `operation ${index}`,
          service: services[index % services.length],
          startOffsetNano: BigInt(index) * 10_000n,
          durationNano: BigInt(Math.max(1, (count - index) * 10_000)),
        },
        index % 97 === 13 ? { status: { code: 'error', message: 'boom' } } : {},
      ),
    );
  }
  return { traceId: TRACE_ID, spans };
}
