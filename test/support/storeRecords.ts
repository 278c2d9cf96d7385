// Store records built the way the receiver builds them (decoded and indexed by the OTLP jobs), in process.

import { runIngestJob } from '../../src/core/otlpWorker/otlpJobs';
import type { LocalTraceStore } from '../../src/core/store/localTraceStore';
import type { FramedRecord } from '../../src/core/store/recordFrame';
import type { SpanRows } from '../../src/core/store/spanRecord';
import type { RequestShape } from './otlpRequests';
import { otlpRequestText } from './otlpRequests';

/** The framed record for one request holding `shapes`. */
export function recordOf(shapes: readonly RequestShape[]): FramedRecord {
  const result = runIngestJob({ body: Buffer.from(otlpRequestText(shapes)), format: { encoding: 'json', compression: 'none' }, maxDecompressedBytes: 1 << 26 });
  if (!result.ok || result.record === undefined) throw new Error(`the request made no record: ${JSON.stringify(result)}`);
  return result.record;
}

/** Each stored row of a trace, in the order the store counts them. */
export function forEachStoredRow(store: LocalTraceStore, traceId: string, visit: (rows: SpanRows, row: number) => void): void {
  store.forEachRowRange(traceId, (record, firstRow, endRow) => {
    for (let row = firstRow; row < endRow; row++) visit(record, row);
  });
}
