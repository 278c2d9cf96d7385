import { strict as assert } from 'node:assert';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { HrTime } from '@opentelemetry/api';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { runIngestJob } from '../../../src/core/otlpWorker/otlpJobs';
import { CodeSampleFeed } from '../../../src/core/store/codeSampleFeed';
import { LocalTraceStore } from '../../../src/core/store/localTraceStore';
import type { FramedRecord } from '../../../src/core/store/recordFrame';
import type { CodeSpanSample } from '../../../src/core/stats/codeSpanSample';
import { startReceiverHarness } from '../../support/receiverHarness';
import type { ReceiverHarness } from '../../support/receiverHarness';

const BASE_SECONDS = 1_760_000_000;
const START_NANO = BigInt(BASE_SECONDS) * 1_000_000_000n;

/** `micros` after the base time, as the SDK takes times. */
function at(micros: number): HrTime {
  return [BASE_SECONDS + Math.floor(micros / 1e6), (micros % 1e6) * 1000];
}

interface SpanSpec {
  readonly trace: number;
  readonly span: number;
  readonly parent?: number;
  readonly startMicros: number;
  readonly durationMicros: number;
  readonly attributes?: Readonly<Record<string, string | number>>;
  readonly error?: boolean;
}

const traceIdOf = (trace: number): string => trace.toString(16).padStart(32, '0');
const spanIdOf = (trace: number, span: number): string => (trace * 1000 + span).toString(16).padStart(16, '0');

/** One OTLP/JSON request of `specs`, indexed as the receiver indexes it. */
function recordOf(specs: readonly SpanSpec[], service = 'shop'): FramedRecord {
  const request = {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeSpans: [
          {
            spans: specs.map((spec) => ({
              traceId: traceIdOf(spec.trace),
              spanId: spanIdOf(spec.trace, spec.span),
              parentSpanId: spec.parent === undefined ? undefined : spanIdOf(spec.trace, spec.parent),
              name: `span ${spec.span}`,
              startTimeUnixNano: String(START_NANO + BigInt(spec.startMicros) * 1000n),
              endTimeUnixNano: String(START_NANO + BigInt(spec.startMicros + spec.durationMicros) * 1000n),
              status: spec.error === true ? { code: 2 } : undefined,
              attributes: Object.entries(spec.attributes ?? {}).map(([key, value]) => ({
                key,
                value: typeof value === 'number' ? { intValue: String(value) } : { stringValue: value },
              })),
            })),
          },
        ],
      },
    ],
  };
  const result = runIngestJob({ body: Buffer.from(JSON.stringify(request)), format: { encoding: 'json', compression: 'none' }, maxDecompressedBytes: 1 << 26 });
  if (!result.ok || result.record === undefined) throw new Error('the request made no record');
  return result.record;
}

const fn = (name: string): Record<string, string> => ({ 'code.function.name': name });

/** Collects what a feed emits; `next()` resolves with the next batch. */
class SampleSink {
  readonly batches: (readonly CodeSpanSample[])[] = [];
  resets = 0;
  private waiting: ((batch: readonly CodeSpanSample[]) => void) | undefined;

  readonly options = {
    onSamples: (samples: readonly CodeSpanSample[]): void => {
      this.batches.push(samples);
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting?.(samples);
    },
    onReset: (): void => {
      this.resets++;
    },
  };

  get samples(): CodeSpanSample[] {
    return this.batches.flat();
  }

  next(): Promise<readonly CodeSpanSample[]> {
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  take(): CodeSpanSample[] {
    const samples = this.samples;
    this.batches.length = 0;
    return samples;
  }
}

function byFunction(samples: readonly CodeSpanSample[]): Map<string | undefined, CodeSpanSample> {
  const map = new Map<string | undefined, CodeSpanSample>();
  for (const sample of samples) {
    assert.ok(!map.has(sample.location.functionName), `two samples of ${sample.location.functionName}`);
    map.set(sample.location.functionName, sample);
  }
  return map;
}

describe('CodeSampleFeed', function () {
  this.timeout(20_000);
  let store: LocalTraceStore;
  let feed: CodeSampleFeed | undefined;

  afterEach(async () => {
    feed?.dispose();
    feed = undefined;
    await store.close();
  });

  describe('fed by the OpenTelemetry SDK through the receiver', () => {
    let harness: ReceiverHarness;

    afterEach(async () => {
      await harness.close();
    });

    it('emits one sample per span with a code location once the trace settles: functions, self time, errors, GenAI usage', async () => {
      harness = await startReceiverHarness();
      store = harness.store;
      const sink = new SampleSink();
      feed = new CodeSampleFeed(store, { settleMillis: 20, ...sink.options });
      feed.start();

      const provider = new NodeTracerProvider({
        resource: resourceFromAttributes({ 'service.name': 'assistant' }),
        // One export request for the whole trace, so the trace settles once, however slow the machine.
        spanProcessors: [new BatchSpanProcessor(new ProtoExporter({ url: `${harness.addresses.http?.url}/v1/traces` }))],
      });
      const tracer = provider.getTracer('feed-test');
      const root = tracer.startSpan('POST /chat', {
        kind: SpanKind.SERVER,
        startTime: at(0),
        attributes: { 'code.function.name': 'ChatController.post', 'code.file.path': '/srv/app/chat.ts', 'code.line.number': 12, 'code.column.number': 3 },
      });
      const rootContext = trace.setSpan(context.active(), root);
      const llm = tracer.startSpan(
        'chat gpt-4o',
        {
          kind: SpanKind.CLIENT,
          startTime: at(1000),
          attributes: {
            'code.function.name': 'LlmClient.complete',
            'gen_ai.request.model': 'gpt-4o',
            'gen_ai.response.model': 'gpt-4o-2024-08-06',
            'gen_ai.usage.input_tokens': 812,
            'gen_ai.usage.output_tokens': 64,
          },
        },
        rootContext,
      );
      const tool = tracer.startSpan('tool lookup', { startTime: at(2000) }, trace.setSpan(context.active(), llm));
      tool.end(at(3000));
      llm.end(at(7000));
      const failing = tracer.startSpan('render', { startTime: at(7500) }, rootContext);
      failing.recordException(new Error('template missing'), at(8000));
      failing.setStatus({ code: SpanStatusCode.ERROR, message: 'template missing' });
      failing.end(at(9000));
      root.end(at(10_000));
      await provider.forceFlush();
      await provider.shutdown();

      const traceId = root.spanContext().traceId;
      const samples = await sink.next();
      assert.equal(store.traceRowCount(traceId), 4);
      assert.equal(samples.length, 3, 'the span without a code location has no sample');
      const found = byFunction(samples);

      const post = found.get('ChatController.post') ?? assert.fail('no sample of the root');
      assert.deepEqual(post.location, {
        functionName: 'ChatController.post',
        filePath: '/srv/app/chat.ts',
        lineNumber: 12,
        columnNumber: 3,
        stackTrace: undefined,
        fileOrigin: 'code',
      });
      assert.equal(post.serviceName, 'assistant');
      assert.equal(post.spanName, 'POST /chat');
      assert.equal(post.traceId, traceId);
      assert.equal(post.spanId, root.spanContext().spanId);
      assert.equal(post.startUnixMillis, BASE_SECONDS * 1000);
      assert.equal(post.durationNano, 10_000_000);
      // 10 ms minus the LLM call (1-7 ms) and the render (7.5-9 ms).
      assert.equal(post.selfTimeNano, 2_500_000);
      assert.equal(post.isError, false);
      assert.equal(post.genAi, undefined);

      const complete = found.get('LlmClient.complete') ?? assert.fail('no sample of the LLM call');
      assert.equal(complete.durationNano, 6_000_000);
      assert.equal(complete.selfTimeNano, 5_000_000);
      assert.deepEqual(complete.genAi, { model: 'gpt-4o-2024-08-06', inputTokens: 812, outputTokens: 64 });

      const render = found.get(undefined) ?? assert.fail('no sample of the failing span');
      assert.equal(render.spanName, 'render');
      assert.equal(render.isError, true);
      assert.equal(render.selfTimeNano, 1_500_000);
      assert.match(render.location.stackTrace ?? '', /^Error: template missing\n\s+at /);
      assert.match(render.location.stackTrace ?? '', /codeSampleFeed\.test\.ts:\d+:\d+/);
      assert.equal(render.location.filePath, undefined);

      // Each span once: nothing more to emit.
      feed.flush();
      assert.equal(sink.batches.length, 1);
    });
  });

  describe('over a store', () => {
    it('waits until a trace is quiet, then reads all it gained in one go', async () => {
      store = await LocalTraceStore.open();
      const sink = new SampleSink();
      feed = new CodeSampleFeed(store, { settleMillis: 100, ...sink.options });
      feed.start();
      store.append(recordOf([{ trace: 1, span: 0, startMicros: 0, durationMicros: 100, attributes: fn('a') }]));
      await new Promise((resolve) => setImmediate(resolve));
      store.append(recordOf([{ trace: 1, span: 1, parent: 0, startMicros: 10, durationMicros: 30, attributes: fn('b') }]));
      assert.equal(sink.batches.length, 0, 'a trace that just gained spans was read');
      const batch = await sink.next();
      assert.deepEqual(
        batch.map((sample) => [sample.location.functionName, sample.selfTimeNano]),
        [
          ['a', 70_000],
          ['b', 30_000],
        ],
      );
    });

    it('emits late spans of a settled trace later, each span once, with self time over all the trace', async () => {
      store = await LocalTraceStore.open();
      const sink = new SampleSink();
      feed = new CodeSampleFeed(store, { settleMillis: 60_000, ...sink.options });
      feed.start();
      store.append(
        recordOf([
          { trace: 1, span: 0, startMicros: 0, durationMicros: 1000, attributes: fn('handler') },
          { trace: 1, span: 1, parent: 0, startMicros: 100, durationMicros: 200, attributes: { 'code.filepath': 'db.py', 'code.lineno': '9' } },
          { trace: 1, span: 2, parent: 0, startMicros: 0, durationMicros: 50 },
          { trace: 2, span: 0, startMicros: 0, durationMicros: 10 },
        ]),
      );
      assert.equal(sink.batches.length, 0);
      feed.flush();
      assert.deepEqual(
        sink.take().map((sample) => [sample.traceId, sample.spanId, sample.location.functionName ?? sample.location.filePath, sample.selfTimeNano]),
        [
          [traceIdOf(1), spanIdOf(1, 0), 'handler', 750_000],
          [traceIdOf(1), spanIdOf(1, 1), 'db.py', 200_000],
        ],
      );
      // A late child of the root (from another service), and its own child, without a code location.
      store.append(recordOf([{ trace: 1, span: 3, parent: 0, startMicros: 500, durationMicros: 400, attributes: fn('late'), error: true }], 'worker'));
      store.append(recordOf([{ trace: 1, span: 4, parent: 3, startMicros: 600, durationMicros: 100 }]));
      feed.flush();
      const late = sink.take();
      assert.deepEqual(
        late.map((sample) => [sample.spanId, sample.location.functionName, sample.serviceName, sample.isError, sample.durationNano, sample.selfTimeNano]),
        [[spanIdOf(1, 3), 'late', 'worker', true, 400_000, 300_000]],
      );
      feed.flush();
      assert.deepEqual(sink.take(), []);
    });

    it('start() emits the traces already stored, in chunks, without blocking', async () => {
      store = await LocalTraceStore.open({ maxSpans: 100_000 });
      const traces = 3000;
      for (let first = 0; first < traces; first += 500) {
        const specs: SpanSpec[] = [];
        for (let t = first; t < first + 500; t++) {
          specs.push({ trace: t + 1, span: 0, startMicros: 0, durationMicros: 100, attributes: fn(`root${t % 7}`) });
          for (let s = 1; s < 10; s++) specs.push({ trace: t + 1, span: s, parent: 0, startMicros: s * 10, durationMicros: 5 });
        }
        store.append(recordOf(specs));
      }
      const sink = new SampleSink();
      feed = new CodeSampleFeed(store, { settleMillis: 10, ...sink.options });
      feed.start();
      assert.equal(sink.batches.length, 0, 'start() read the store before returning');
      await sink.next();
      assert.ok(sink.samples.length < traces, 'the whole store came in one chunk');
      while (sink.samples.length < traces) await sink.next();
      const samples = sink.samples;
      assert.equal(samples.length, traces);
      assert.ok(sink.batches.length >= 2);
      assert.equal(new Set(samples.map((sample) => sample.traceId)).size, traces);
      assert.ok(samples.every((sample) => sample.selfTimeNano === 55_000 && sample.durationNano === 100_000));
      feed.flush();
      assert.equal(sink.samples.length, traces);
    });

    it('forgets evicted traces and resets when the store is cleared', async () => {
      store = await LocalTraceStore.open({ maxSpans: 3 });
      const sink = new SampleSink();
      feed = new CodeSampleFeed(store, { settleMillis: 60_000, ...sink.options });
      feed.start();
      const twoSpans = (trace: number, offset: number): FramedRecord =>
        recordOf([
          { trace, span: offset, startMicros: 0, durationMicros: 10, attributes: fn(`t${trace}`) },
          { trace, span: offset + 1, startMicros: 0, durationMicros: 10, attributes: fn(`t${trace}`) },
        ]);
      store.append(twoSpans(1, 0));
      feed.flush();
      assert.equal(sink.take().length, 2);
      // Trace 1 is evicted to make room for trace 2, then comes back with new spans: read from its first row.
      store.append(twoSpans(2, 0));
      assert.equal(store.hasTrace(traceIdOf(1)), false);
      store.append(twoSpans(1, 5));
      assert.equal(store.traceRowCount(traceIdOf(1)), 2);
      feed.flush();
      assert.deepEqual(
        sink.take().map((sample) => sample.spanId),
        [spanIdOf(1, 5), spanIdOf(1, 6)],
        'trace 2 was evicted before it settled, and trace 1 was read from its first stored row',
      );

      await store.clear();
      assert.equal(sink.resets, 1);
      store.append(twoSpans(1, 5));
      feed.flush();
      assert.deepEqual(
        sink.take().map((sample) => sample.spanId),
        [spanIdOf(1, 5), spanIdOf(1, 6)],
      );
    });

    it('stops on dispose', async () => {
      store = await LocalTraceStore.open();
      const sink = new SampleSink();
      feed = new CodeSampleFeed(store, { settleMillis: 1, ...sink.options });
      feed.start();
      store.append(recordOf([{ trace: 1, span: 0, startMicros: 0, durationMicros: 10, attributes: fn('x') }]));
      feed.dispose();
      await new Promise((resolve) => setTimeout(resolve, 20));
      feed.flush();
      assert.equal(sink.batches.length, 0);
    });
  });
});
