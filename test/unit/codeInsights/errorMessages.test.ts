import { strict as assert } from 'node:assert';
import type { GetTraceOptions, TraceBackend } from '../../../src/core/backends/traceBackend';
import type { Span, SpanEvent, SpanStatus } from '../../../src/core/model/trace';
import type { SlowSpanRef } from '../../../src/core/stats/codeStats';
import { ErrorMessages, errorMessageOf } from '../../../src/extension/codeInsights/errorMessages';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const START_UNIX_MILLIS = Date.parse('2026-11-26T12:00:00Z');

function span(spanId: string, status: SpanStatus, events: readonly SpanEvent[] = []): Span {
  return {
    traceId: TRACE_ID,
    spanId,
    parentSpanId: undefined,
    name: 'charge',
    kind: 'internal',
    status,
    startTimeUnixNano: BigInt(START_UNIX_MILLIS) * 1_000_000n,
    durationNano: 5_000_000n,
    attributes: [],
    events,
    links: [],
    resource: { serviceName: 'payments', attributes: [] },
    scope: { name: 'payments', attributes: [] },
  };
}

function exception(type: string | undefined, message: string | undefined): SpanEvent {
  const attributes = [];
  if (type !== undefined) attributes.push({ key: 'exception.type', value: { type: 'string' as const, value: type } });
  if (message !== undefined) attributes.push({ key: 'exception.message', value: { type: 'string' as const, value: message } });
  return { timeUnixNano: BigInt(START_UNIX_MILLIS) * 1_000_000n, name: 'exception', attributes };
}

function ref(spanId: string): SlowSpanRef {
  return { traceId: TRACE_ID, spanId, spanName: 'charge', serviceName: 'payments', durationNano: 2_500_000_000, startUnixMillis: START_UNIX_MILLIS };
}

/** A backend that serves one trace and records each getTrace; `fail` makes the next calls reject. */
class FakeBackend {
  readonly calls: { traceId: string; options: GetTraceOptions | undefined }[] = [];
  fail: Error | undefined;

  constructor(private readonly spans: readonly Span[]) {}

  get backend(): TraceBackend {
    return this as unknown as TraceBackend;
  }

  getTrace(traceId: string, options?: GetTraceOptions): Promise<{ trace: { traceId: string; spans: readonly Span[] }; format: 'otlp-json'; warnings: [] }> {
    this.calls.push({ traceId, options });
    if (this.fail !== undefined) return Promise.reject(this.fail);
    return Promise.resolve({ trace: { traceId, spans: this.spans }, format: 'otlp-json', warnings: [] });
  }
}

describe('errorMessages', () => {
  describe('errorMessageOf', () => {
    it('gives the status message first', () => {
      const failed = span('00f067aa0ba902b7', { code: 'error', message: 'card declined' }, [exception('PaymentError', 'insufficient funds')]);
      assert.equal(errorMessageOf(failed), 'card declined');
    });

    it('falls back to the last exception event: its type and message', () => {
      const events = [exception('TimeoutError', 'first try timed out'), { timeUnixNano: 0n, name: 'retry', attributes: [] }, exception('PaymentError', 'insufficient funds')];
      assert.equal(errorMessageOf(span('00f067aa0ba902b7', { code: 'error', message: '' }, events)), 'PaymentError: insufficient funds');
      assert.equal(errorMessageOf(span('00f067aa0ba902b7', { code: 'error' }, [exception(undefined, 'no type given')])), 'no type given');
      assert.equal(errorMessageOf(span('00f067aa0ba902b7', { code: 'error' }, [exception('OutOfMemoryError', undefined)])), 'OutOfMemoryError');
    });

    it('skips exception events that say nothing, and gives undefined when nothing does', () => {
      const events = [exception('KeyError', 'missing'), exception(undefined, undefined)];
      assert.equal(errorMessageOf(span('00f067aa0ba902b7', { code: 'error' }, events)), 'KeyError: missing');
      assert.equal(errorMessageOf(span('00f067aa0ba902b7', { code: 'error' })), undefined);
      assert.equal(errorMessageOf(span('00f067aa0ba902b7', { code: 'unset' }, [{ timeUnixNano: 0n, name: 'log', attributes: [] }])), undefined);
    });
  });

  describe('ErrorMessages', () => {
    const signal = new AbortController().signal;

    it('fetches the trace around the span once and keeps the message', async () => {
      const fake = new FakeBackend([span('1111111111111111', { code: 'ok' }), span('00f067aa0ba902b7', { code: 'error', message: 'card declined' })]);
      const messages = new ErrorMessages();
      assert.equal(messages.cached(ref('00f067aa0ba902b7')), undefined);
      assert.equal(await messages.fetch(fake.backend, ref('00f067aa0ba902b7'), signal), 'card declined');
      assert.equal(await messages.fetch(fake.backend, ref('00f067aa0ba902b7'), signal), 'card declined');
      assert.equal(fake.calls.length, 1);
      assert.deepEqual(messages.cached(ref('00f067aa0ba902b7')), { message: 'card declined' });
      const options = fake.calls[0].options;
      assert.equal(fake.calls[0].traceId, TRACE_ID);
      assert.equal(options?.signal, signal);
      // A minute either side of the span, which lasted 2.5 s.
      assert.equal(options?.startUnixMillis, START_UNIX_MILLIS - 60_000);
      assert.equal(options?.endUnixMillis, START_UNIX_MILLIS + 62_500);
    });

    it('keeps "no message" too, for a span without one or missing from its trace', async () => {
      const fake = new FakeBackend([span('00f067aa0ba902b7', { code: 'error' })]);
      const messages = new ErrorMessages();
      assert.equal(await messages.fetch(fake.backend, ref('00f067aa0ba902b7'), signal), undefined);
      assert.deepEqual(messages.cached(ref('00f067aa0ba902b7')), { message: undefined });
      assert.equal(await messages.fetch(fake.backend, ref('2222222222222222'), signal), undefined);
      assert.deepEqual(messages.cached(ref('2222222222222222')), { message: undefined });
      await messages.fetch(fake.backend, ref('2222222222222222'), signal);
      assert.equal(fake.calls.length, 2);
    });

    it('does not keep a failed fetch, so the next one tries again', async () => {
      const fake = new FakeBackend([span('00f067aa0ba902b7', { code: 'error', message: 'card declined' })]);
      const messages = new ErrorMessages();
      fake.fail = new Error('connection refused');
      await assert.rejects(messages.fetch(fake.backend, ref('00f067aa0ba902b7'), signal), /connection refused/);
      assert.equal(messages.cached(ref('00f067aa0ba902b7')), undefined);
      fake.fail = undefined;
      assert.equal(await messages.fetch(fake.backend, ref('00f067aa0ba902b7'), signal), 'card declined');
      assert.equal(fake.calls.length, 2);
    });

    it('rejects without a backend, unless the message is known', async () => {
      const messages = new ErrorMessages();
      await assert.rejects(messages.fetch(undefined, ref('00f067aa0ba902b7'), signal), /no longer configured/);
      const fake = new FakeBackend([span('00f067aa0ba902b7', { code: 'error', message: 'card declined' })]);
      await messages.fetch(fake.backend, ref('00f067aa0ba902b7'), signal);
      assert.equal(await messages.fetch(undefined, ref('00f067aa0ba902b7'), signal), 'card declined');
    });

    it('cuts long messages to 500 characters', async () => {
      const long = `ValidationError: ${'field is invalid; '.repeat(60)}`;
      const fake = new FakeBackend([span('00f067aa0ba902b7', { code: 'error', message: long })]);
      const message = await new ErrorMessages().fetch(fake.backend, ref('00f067aa0ba902b7'), signal);
      assert.equal(message, `${long.slice(0, 500)}…`);
    });

    it('keeps the messages of the 200 spans fetched last', async () => {
      const spanIdOf = (i: number): string => i.toString(16).padStart(16, '0');
      const spans = Array.from({ length: 201 }, (_, i) => span(spanIdOf(i), { code: 'error', message: `failure ${i}` }));
      const fake = new FakeBackend(spans);
      const messages = new ErrorMessages();
      for (let i = 0; i < 201; i++) await messages.fetch(fake.backend, ref(spanIdOf(i)), signal);
      assert.equal(messages.cached(ref(spanIdOf(0))), undefined);
      assert.deepEqual(messages.cached(ref(spanIdOf(1))), { message: 'failure 1' });
      assert.deepEqual(messages.cached(ref(spanIdOf(200))), { message: 'failure 200' });
    });
  });
});
