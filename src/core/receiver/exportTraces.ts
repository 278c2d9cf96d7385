// One OTLP trace export, whichever transport brought it: the worker decodes and indexes the body, the store
// keeps the result. The outcome says what to answer; HTTP and gRPC each map it to their status codes.

import type { PayloadFormat } from '../otlp/decodeOtlpPayload';
import type { OtlpProcessor } from '../otlpWorker/otlpProcessor';
import { ProcessorBusyError, ProcessorFailedError } from '../otlpWorker/otlpProcessor';
import type { AppendResult } from '../store/localTraceStore';
import type { FramedRecord } from '../store/recordFrame';
import { StoreError } from '../store/storeError';

/** Where accepted spans go: the local trace store. */
export interface TraceSink {
  append(record: FramedRecord): AppendResult;
}

export interface ExportContext {
  readonly processor: OtlpProcessor;
  readonly sink: TraceSink;
  readonly maxDecompressedBytes: number;
}

export type ExportOutcome =
  | {
      readonly kind: 'ok';
      readonly acceptedSpans: number;
      /** Spans not stored: invalid ones and ones the store had no room for. */
      readonly rejectedSpans: number;
      /** Why, when `rejectedSpans` > 0. */
      readonly message: string | undefined;
      readonly warnings: readonly string[];
    }
  /** `malformed`: not OTLP; `tooLarge`: past a cap; `busy`: retry later; `unavailable`: the receiver is failing. */
  | { readonly kind: 'malformed' | 'tooLarge' | 'busy' | 'unavailable'; readonly message: string };

export async function exportTraces(body: Uint8Array, format: PayloadFormat, context: ExportContext): Promise<ExportOutcome> {
  let result;
  try {
    result = await context.processor.ingest({ body, format, maxDecompressedBytes: context.maxDecompressedBytes });
  } catch (error) {
    if (error instanceof ProcessorBusyError) return { kind: 'busy', message: `The receiver is busy (${error.message}); retry later` };
    if (error instanceof ProcessorFailedError) return { kind: 'unavailable', message: error.message };
    throw error;
  }
  if (!result.ok) return { kind: result.kind, message: result.message };
  let stored: AppendResult = { storedSpans: 0, droppedSpans: 0, dropReason: undefined };
  if (result.record !== undefined) {
    try {
      stored = context.sink.append(result.record);
    } catch (error) {
      if (error instanceof StoreError) return { kind: 'unavailable', message: `The trace store cannot take spans: ${error.message}` };
      throw error;
    }
  }
  const reasons = [result.rejection, stored.dropReason].filter((reason): reason is string => reason !== undefined);
  return {
    kind: 'ok',
    acceptedSpans: stored.storedSpans,
    rejectedSpans: result.rejectedSpans + stored.droppedSpans,
    message: reasons.length === 0 ? undefined : reasons.join('; '),
    warnings: result.warnings,
  };
}
