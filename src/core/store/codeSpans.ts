// Spans per code location, answered from the index: what a lens over a function needs (how often it ran,
// how long it took, which traces show it) without reading any span back.

import type { StatusCode } from '../model/trace';
import type { SpanIndex } from './spanIndex';
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

export function findCodeSpans(index: SpanIndex, query: CodeSpanQuery): CodeSpan[] {
  const { functionName, filePath } = query;
  if (functionName === undefined && filePath === undefined) return [];
  const byFunction = functionName === undefined ? undefined : index.tracesOfFunction(functionName);
  const byFile = filePath === undefined ? undefined : index.tracesOfFile(filePath);
  let candidates: Iterable<TraceEntry>;
  if (byFunction !== undefined && byFile !== undefined) {
    const [small, large] = byFunction.size <= byFile.size ? [byFunction, byFile] : [byFile, byFunction];
    candidates = [...small].filter((entry) => large.has(entry));
  } else {
    candidates = byFunction ?? byFile ?? [];
  }
  const spans: CodeSpan[] = [];
  for (const entry of candidates) {
    for (const slice of entry.slices) {
      const record = slice.stored.record;
      const end = slice.firstRow + slice.rowCount;
      for (let row = slice.firstRow; row < end; row++) {
        const rowFunction = record.codeFunction(row);
        if (functionName !== undefined && rowFunction !== functionName) continue;
        const rowFile = record.codeFile(row);
        if (filePath !== undefined && rowFile !== filePath) continue;
        spans.push({
          traceId: entry.traceId,
          spanId: record.spanId(row),
          name: record.name(row),
          serviceName: record.service(row),
          startTimeUnixNano: record.startTimeUnixNano(row),
          durationNano: BigInt(record.durationNano(row)),
          status: record.status(row),
          functionName: rowFunction,
          filePath: rowFile,
          lineNumber: record.codeLine(row),
        });
      }
    }
  }
  spans.sort((a, b) => (a.startTimeUnixNano === b.startTimeUnixNano ? 0 : a.startTimeUnixNano > b.startTimeUnixNano ? -1 : 1));
  const limit = query.limit ?? DEFAULT_CODE_SPAN_LIMIT;
  return spans.length > limit ? spans.slice(0, limit) : spans;
}
