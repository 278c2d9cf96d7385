// Spans per code location, answered from the stored rows: what a lens over a function needs (how often it
// ran, how long it took, which traces show it) without reading any span back. Asked on a click, so the rows
// are scanned then, a string comparison per record and an integer one per row, rather than indexed on ingest.

import type { StatusCode } from '../model/trace';
import { NO_STRING } from './recordLayout';
import type { SpanRecord } from './spanRecord';
import type { TraceEntry } from './traceEntry';

export interface CodeSpanQuery {
  /** As the span's code.function.name (or code.namespace + "." + code.function) says it. */
  readonly functionName?: string;
  /** As the span's code.file.path (or code.filepath) says it. */
  readonly filePath?: string;
  /** Most spans returned, newest first; default 10,000. */
  readonly limit?: number;
}

export interface CodeSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly name: string;
  readonly serviceName: string;
  readonly startTimeUnixNano: bigint;
  readonly durationNano: bigint;
  readonly status: StatusCode;
  readonly functionName: string | undefined;
  readonly filePath: string | undefined;
  readonly lineNumber: number | undefined;
}

const DEFAULT_CODE_SPAN_LIMIT = 10_000;

/** Spans of the traces matching `query`, newest first. */
export function findCodeSpans(traces: Iterable<TraceEntry>, query: CodeSpanQuery): CodeSpan[] {
  const { functionName, filePath } = query;
  if (functionName === undefined && filePath === undefined) return [];
  // Per record: the string indexes the query's strings have there (NO_STRING when absent; -1 when not asked).
  const indexesByRecord = new Map<SpanRecord, { readonly functionIndex: number; readonly fileIndex: number }>();
  const spans: CodeSpan[] = [];
  for (const entry of traces) {
    for (const slice of entry.slices) {
      const record = slice.stored.record;
      let indexes = indexesByRecord.get(record);
      if (indexes === undefined) {
        indexes = {
          functionIndex: functionName === undefined ? -1 : record.indexOfString(functionName),
          fileIndex: filePath === undefined ? -1 : record.indexOfString(filePath),
        };
        indexesByRecord.set(record, indexes);
      }
      const { functionIndex, fileIndex } = indexes;
      if (functionIndex === NO_STRING || fileIndex === NO_STRING) continue;
      const end = slice.firstRow + slice.rowCount;
      for (let row = slice.firstRow; row < end; row++) {
        if (functionIndex !== -1 && record.codeFunctionIndex(row) !== functionIndex) continue;
        if (fileIndex !== -1 && record.codeFileIndex(row) !== fileIndex) continue;
        spans.push({
          traceId: entry.traceId,
          spanId: record.spanId(row),
          name: record.name(row),
          serviceName: record.service(row),
          startTimeUnixNano: record.startTimeUnixNano(row),
          durationNano: BigInt(record.durationNano(row)),
          status: record.status(row),
          functionName: record.codeFunction(row),
          filePath: record.codeFile(row),
          lineNumber: record.codeLine(row),
        });
      }
    }
  }
  spans.sort((a, b) => (a.startTimeUnixNano === b.startTimeUnixNano ? 0 : a.startTimeUnixNano > b.startTimeUnixNano ? -1 : 1));
  const limit = query.limit ?? DEFAULT_CODE_SPAN_LIMIT;
  return spans.length > limit ? spans.slice(0, limit) : spans;
}
