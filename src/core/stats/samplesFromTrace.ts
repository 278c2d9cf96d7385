// The latency samples of one fetched trace: one per span that names its code (function, file or stack
// trace), with self time computed against the span's children in that trace.

import { codeLocationOfSpan } from '../codeMapping/spanCodeLocation';
import { genAiUsage } from '../genai/genAiUsage';
import { selfTimesNano } from '../model/selfTime';
import type { Trace } from '../model/trace';
import type { CodeSpanSample } from './codeSpanSample';

const NANOS_PER_MILLI = 1_000_000n;

export function samplesFromTrace(trace: Trace): CodeSpanSample[] {
  const { spans } = trace;
  const count = spans.length;
  if (count === 0) return [];
  const indexById = new Map<string, number>();
  let earliest = spans[0].startTimeUnixNano;
  for (let i = 0; i < count; i++) {
    const span = spans[i];
    indexById.set(span.spanId, i);
    if (span.startTimeUnixNano < earliest) earliest = span.startTimeUnixNano;
  }
  // Offsets from the trace's first start fit float64 exactly; absolute nanoseconds would not.
  const parentIndex = new Int32Array(count);
  const startNano = new Float64Array(count);
  const endNano = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const span = spans[i];
    parentIndex[i] = span.parentSpanId === undefined ? -1 : (indexById.get(span.parentSpanId) ?? -1);
    startNano[i] = Number(span.startTimeUnixNano - earliest);
    endNano[i] = startNano[i] + Number(span.durationNano);
  }
  const self = selfTimesNano(parentIndex, startNano, endNano);

  const samples: CodeSpanSample[] = [];
  for (let i = 0; i < count; i++) {
    const span = spans[i];
    const location = codeLocationOfSpan(span);
    if (location.functionName === undefined && location.filePath === undefined && location.stackTrace === undefined) continue;
    samples.push({
      location,
      serviceName: span.resource.serviceName,
      spanName: span.name,
      traceId: span.traceId,
      spanId: span.spanId,
      startUnixMillis: Number(span.startTimeUnixNano / NANOS_PER_MILLI),
      durationNano: Number(span.durationNano),
      selfTimeNano: self[i],
      isError: span.status.code === 'error',
      genAi: genAiUsage(span.attributes),
    });
  }
  return samples;
}
