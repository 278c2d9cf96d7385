// Counts spans as they end and as the exporter delivers them, so the run can say how many arrived and, when
// some did not, the exporter's own error.

import type { ReadableSpan, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-node';

type ExportResultCallback = Parameters<SpanExporter['export']>[1];
type ExportResult = Parameters<ExportResultCallback>[0];

/** ExportResultCode.SUCCESS of @opentelemetry/core, which this sample does not depend on directly. */
const EXPORT_SUCCESS = 0;

export class SpanTally {
  ended = 0;
  exported = 0;
  failed = 0;
  lastError: string | undefined;

  get lost(): number {
    return this.ended - this.exported;
  }
}

export class TallyingSpanProcessor implements SpanProcessor {
  constructor(private readonly tally: SpanTally) {}

  onStart(): void {}

  onEnd(): void {
    this.tally.ended++;
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

export class TallyingSpanExporter implements SpanExporter {
  constructor(
    private readonly inner: SpanExporter,
    private readonly tally: SpanTally,
  ) {}

  export(spans: ReadableSpan[], resultCallback: ExportResultCallback): void {
    this.inner.export(spans, (result: ExportResult) => {
      if (result.code === EXPORT_SUCCESS) {
        this.tally.exported += spans.length;
      } else {
        this.tally.failed += spans.length;
        this.tally.lastError = result.error?.message ?? 'the exporter reported a failure without an error';
      }
      resultCallback(result);
    });
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}
