// The trace as columns of typed arrays, in display order. The host encodes once per load; the webview
// decodes to views over the transferred buffers, so no per-span object exists on the webview side.
import type { Resource, Trace } from '../model/trace';
import type { SpanTree } from '../model/spanTree';
import { selfTimesNano } from '../model/selfTime';
import {
  SPAN_FLAG_CRITICAL,
  SPAN_FLAG_ERROR,
  SPAN_FLAG_KIND_SHIFT,
  SPAN_FLAG_SKEW_ADJUSTED,
  SPAN_KIND_CODES,
  type ColumnarTraceMessage,
} from '../../shared/webviewProtocol';
import { adjustClockSkew } from './clockSkew';
import { computeCriticalPath } from './criticalPath';

/** Start offsets are exact as float64 while the trace spans at most this. */
const MAX_EXACT_NANO = 2n ** 53n;

/** Depth is sent as Uint16; deeper spans are drawn at this depth. */
export const MAX_ENCODED_DEPTH = 0xffff;

/** A decoded columnar trace: typed-array views over the message's buffers, one value per display position. */
export interface ColumnarTrace {
  readonly traceId: string;
  readonly spanCount: number;
  readonly traceStartUnixNano: bigint;
  readonly traceDurationNano: number;
  readonly services: readonly string[];
  readonly names: readonly string[];
  /** After clock-skew adjustment. */
  readonly startOffsetNano: Float64Array;
  /** As recorded; undefined when no span was adjusted. */
  readonly rawStartOffsetNano: Float64Array | undefined;
  readonly clockSkewAdjustedSpans: number;
  readonly durationNano: Float64Array;
  readonly depth: Uint16Array;
  readonly parentPosition: Int32Array;
  readonly subtreeEnd: Int32Array;
  readonly serviceIndex: Uint32Array;
  readonly nameIndex: Uint32Array;
  readonly flags: Uint8Array;
  readonly selfTimeNano: Float64Array;
  /** Per critical-path segment: display position of its span, ascending. */
  readonly criticalPathPositions: Int32Array;
  /** Per critical-path segment: start and end offsets in nanoseconds. */
  readonly criticalPathBoundsNano: Float64Array;
  /** Largest value in `depth`. */
  readonly maxDepth: number;
}

export interface EncodedColumnarTrace {
  readonly message: ColumnarTraceMessage;
  /** Every buffer in `message`, for postMessage's transfer list. */
  readonly transfer: ArrayBuffer[];
}

/** Kind bits of `flags` per kind name. */
const KIND_FLAGS = new Map<string, number>(SPAN_KIND_CODES.map((kind, code) => [kind, code << SPAN_FLAG_KIND_SHIFT]));
// Module constants, not the imported bindings: transpiled to CommonJS, those are getter calls per span.
const ERROR_FLAG = SPAN_FLAG_ERROR;
const SKEW_ADJUSTED_FLAG = SPAN_FLAG_SKEW_ADJUSTED;
const CRITICAL_FLAG = SPAN_FLAG_CRITICAL;

/** Encodes `trace` in the display order of `tree` (built from `trace.spans`). */
export function encodeColumnarTrace(trace: Trace, tree: SpanTree): EncodedColumnarTrace {
  const spans = trace.spans;
  const spanCount = tree.order.length;
  if (spanCount !== spans.length) {
    throw new Error(`span tree has ${spanCount} positions but the trace has ${spans.length} spans`);
  }

  const rawStartOffsetNano = new Float64Array(spanCount);
  const durationNano = new Float64Array(spanCount);
  const depth = new Uint16Array(spanCount);
  const parentPosition = tree.parentPosition.slice();
  const subtreeEnd = tree.subtreeEnd.slice();
  const serviceIndex = new Uint32Array(spanCount);
  const nameIndex = new Uint32Array(spanCount);
  const flags = new Uint8Array(spanCount);
  const positionOf = new Int32Array(spanCount);
  for (let position = 0; position < spanCount; position++) {
    positionOf[tree.order[position]] = position;
    depth[position] = Math.min(tree.depth[position], MAX_ENCODED_DEPTH);
  }

  // One pass over the spans in array order (where they sit in memory), writing each at its display
  // position. Starts are first taken from the first span: exact while the trace spans at most 2^53 ns.
  const services = new Interner();
  const names = new Interner();
  let firstStart = 0n;
  let traceStart = 0n;
  let latestStart = 0n;
  let lastResource: Resource | undefined;
  let lastService = 0;
  for (let i = 0; i < spanCount; i++) {
    const span = spans[i];
    const position = positionOf[i];
    const start = span.startTimeUnixNano;
    if (i === 0) {
      firstStart = start;
      traceStart = start;
      latestStart = start;
    } else if (start < traceStart) {
      traceStart = start;
    } else if (start > latestStart) {
      latestStart = start;
    }
    rawStartOffsetNano[position] = Number(start - firstStart);
    durationNano[position] = Number(span.durationNano);
    // Spans of one process share their resource object.
    if (span.resource !== lastResource) {
      lastResource = span.resource;
      lastService = services.indexOf(lastResource.serviceName);
    }
    serviceIndex[position] = lastService;
    nameIndex[position] = names.indexOf(span.name);
    flags[position] = (span.status.code === 'error' ? ERROR_FLAG : 0) | (KIND_FLAGS.get(span.kind) ?? 0);
  }
  if (latestStart - traceStart <= MAX_EXACT_NANO) {
    const shift = Number(firstStart - traceStart);
    if (shift !== 0) for (let position = 0; position < spanCount; position++) rawStartOffsetNano[position] += shift;
  } else {
    for (let i = 0; i < spanCount; i++) rawStartOffsetNano[positionOf[i]] = Number(spans[i].startTimeUnixNano - traceStart);
  }
  // Strings are numbered in order of first appearance in display order.
  services.renumberInOrderOf(serviceIndex);
  names.renumberInOrderOf(nameIndex);

  const skew = adjustClockSkew(parentPosition, serviceIndex, flags, rawStartOffsetNano, durationNano);
  const adjusted = skew.adjustedSpanCount > 0;
  const startOffsetNano = skew.startOffsetNano;
  // Adjusted times may start before the recorded ones; both columns share one origin and one extent.
  let earliest = 0;
  let latest = 0;
  for (let position = 0; position < spanCount; position++) {
    const start = startOffsetNano[position];
    const raw = rawStartOffsetNano[position];
    if (start < earliest) earliest = start;
    latest = Math.max(latest, start + durationNano[position], raw + durationNano[position]);
    if (start !== raw) flags[position] |= SKEW_ADJUSTED_FLAG;
  }
  if (earliest < 0) {
    // Unadjusted, the two columns are one array, to shift once.
    const distinct = startOffsetNano !== rawStartOffsetNano;
    for (let position = 0; position < spanCount; position++) {
      startOffsetNano[position] -= earliest;
      if (distinct) rawStartOffsetNano[position] -= earliest;
    }
    traceStart -= BigInt(-earliest);
  }

  const endNano = new Float64Array(spanCount);
  for (let position = 0; position < spanCount; position++) endNano[position] = startOffsetNano[position] + durationNano[position];
  const selfTimeNano = selfTimesNano(parentPosition, startOffsetNano, endNano);
  const criticalPath = computeCriticalPath(parentPosition, startOffsetNano, durationNano);
  for (let position = 0; position < spanCount; position++) {
    if (criticalPath.onPath[position] === 1) flags[position] |= CRITICAL_FLAG;
  }

  const message: ColumnarTraceMessage = {
    traceId: trace.traceId,
    spanCount,
    traceStartUnixNano: traceStart.toString(),
    traceDurationNano: latest - earliest,
    services: services.values,
    names: names.values,
    startOffsetNano: startOffsetNano.buffer,
    ...(adjusted ? { rawStartOffsetNano: rawStartOffsetNano.buffer } : {}),
    clockSkewAdjustedSpans: skew.adjustedSpanCount,
    durationNano: durationNano.buffer,
    depth: depth.buffer,
    parentPosition: parentPosition.buffer,
    subtreeEnd: subtreeEnd.buffer,
    serviceIndex: serviceIndex.buffer,
    nameIndex: nameIndex.buffer,
    flags: flags.buffer,
    selfTimeNano: selfTimeNano.buffer,
    criticalPathPositions: criticalPath.segmentPosition.buffer,
    criticalPathBoundsNano: criticalPath.segmentBoundsNano.buffer,
  };
  const transfer = [
    message.startOffsetNano,
    message.durationNano,
    message.depth,
    message.parentPosition,
    message.subtreeEnd,
    message.serviceIndex,
    message.nameIndex,
    message.flags,
    message.selfTimeNano,
    message.criticalPathPositions,
    message.criticalPathBoundsNano,
  ];
  if (message.rawStartOffsetNano !== undefined) transfer.push(message.rawStartOffsetNano);
  return { message, transfer };
}

/**
 * Views over the message's buffers. Checks every column's length and every index, so a malformed
 * message fails here with a clear error instead of drawing garbage later.
 */
export function decodeColumnarTrace(message: ColumnarTraceMessage): ColumnarTrace {
  const spanCount = message.spanCount;
  if (!Number.isSafeInteger(spanCount) || spanCount < 0) throw new Error(`invalid span count ${String(spanCount)}`);
  const column = <T extends ArrayLike<number>>(
    name: string,
    data: unknown,
    make: (buffer: ArrayBuffer, byteOffset: number, length: number) => T,
    bytesPerValue: number,
    valueCount = spanCount,
  ): T => {
    const bytes = columnBytes(data);
    if (bytes === undefined) throw new Error(`column "${name}" is not binary data`);
    if (bytes.byteLength !== valueCount * bytesPerValue) {
      throw new Error(`column "${name}" has ${bytes.byteLength} bytes, expected ${valueCount * bytesPerValue}`);
    }
    // Typed arrays need aligned offsets; a view at an odd offset is copied once.
    const aligned = bytes.byteOffset % bytesPerValue === 0 ? bytes : bytes.slice();
    return make(aligned.buffer as ArrayBuffer, aligned.byteOffset, valueCount);
  };
  const float64 = (b: ArrayBuffer, o: number, n: number): Float64Array => new Float64Array(b, o, n);
  const adjustedSpans = message.clockSkewAdjustedSpans;
  if (!Number.isSafeInteger(adjustedSpans) || adjustedSpans < 0 || adjustedSpans > spanCount) {
    throw new Error(`invalid clock-skew adjusted span count ${String(adjustedSpans)}`);
  }
  const segmentBytes = columnBytes(message.criticalPathPositions);
  if (segmentBytes === undefined) throw new Error('column "criticalPathPositions" is not binary data');
  if (segmentBytes.byteLength % 4 !== 0) throw new Error(`column "criticalPathPositions" has ${segmentBytes.byteLength} bytes, not whole Int32 values`);
  const segmentCount = segmentBytes.byteLength / 4;
  const trace: ColumnarTrace = {
    traceId: message.traceId,
    spanCount,
    traceStartUnixNano: BigInt(message.traceStartUnixNano),
    traceDurationNano: message.traceDurationNano,
    services: message.services,
    names: message.names,
    startOffsetNano: column('startOffsetNano', message.startOffsetNano, float64, 8),
    rawStartOffsetNano:
      message.rawStartOffsetNano === undefined ? undefined : column('rawStartOffsetNano', message.rawStartOffsetNano, float64, 8),
    clockSkewAdjustedSpans: adjustedSpans,
    durationNano: column('durationNano', message.durationNano, float64, 8),
    depth: column('depth', message.depth, (b, o, n) => new Uint16Array(b, o, n), 2),
    parentPosition: column('parentPosition', message.parentPosition, (b, o, n) => new Int32Array(b, o, n), 4),
    subtreeEnd: column('subtreeEnd', message.subtreeEnd, (b, o, n) => new Int32Array(b, o, n), 4),
    serviceIndex: column('serviceIndex', message.serviceIndex, (b, o, n) => new Uint32Array(b, o, n), 4),
    nameIndex: column('nameIndex', message.nameIndex, (b, o, n) => new Uint32Array(b, o, n), 4),
    flags: column('flags', message.flags, (b, o, n) => new Uint8Array(b, o, n), 1),
    selfTimeNano: column('selfTimeNano', message.selfTimeNano, float64, 8),
    criticalPathPositions: column('criticalPathPositions', message.criticalPathPositions, (b, o, n) => new Int32Array(b, o, n), 4, segmentCount),
    criticalPathBoundsNano: column('criticalPathBoundsNano', message.criticalPathBoundsNano, float64, 8, 2 * segmentCount),
    maxDepth: 0,
  };
  for (let k = 0; k < segmentCount; k++) {
    const position = trace.criticalPathPositions[k];
    if (position < 0 || position >= spanCount || (k > 0 && position < trace.criticalPathPositions[k - 1])) {
      throw new Error(`critical-path segment ${k} has span position ${position}`);
    }
  }
  let maxDepth = 0;
  for (let position = 0; position < spanCount; position++) {
    const parent = trace.parentPosition[position];
    const end = trace.subtreeEnd[position];
    if (parent < -1 || parent >= position) throw new Error(`span at position ${position} has parent position ${parent}`);
    if (end <= position || end > spanCount) throw new Error(`span at position ${position} has subtree end ${end}`);
    if (parent >= 0 && end > trace.subtreeEnd[parent]) {
      throw new Error(`span at position ${position} is not inside its parent's subtree`);
    }
    if (trace.serviceIndex[position] >= trace.services.length) throw new Error(`span at position ${position} has no service name`);
    if (trace.nameIndex[position] >= trace.names.length) throw new Error(`span at position ${position} has no span name`);
    if (trace.depth[position] > maxDepth) maxDepth = trace.depth[position];
  }
  return { ...trace, maxDepth };
}

/**
 * The bytes of a column. Buffers cross postMessage as ArrayBuffer, possibly from another realm (so no
 * instanceof); a transport may also hand over a typed-array view instead.
 */
function columnBytes(data: unknown): Uint8Array | undefined {
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (Object.prototype.toString.call(data) === '[object ArrayBuffer]') return new Uint8Array(data as ArrayBuffer);
  return undefined;
}

/** Kind name of a `flags` value. */
export function spanKindOfFlags(flags: number): string {
  return SPAN_KIND_CODES[(flags >> SPAN_FLAG_KIND_SHIFT) & 7] ?? 'unspecified';
}

/** True if a `flags` value marks an error span. */
export function isErrorFlags(flags: number): boolean {
  return (flags & SPAN_FLAG_ERROR) !== 0;
}

/** True if the span at `position` has children. */
export function hasChildren(trace: ColumnarTrace, position: number): boolean {
  return trace.subtreeEnd[position] > position + 1;
}

class Interner {
  values: string[] = [];
  private readonly indexes = new Map<string, number>();

  indexOf(value: string): number {
    let index = this.indexes.get(value);
    if (index === undefined) {
      index = this.values.length;
      this.values.push(value);
      this.indexes.set(value, index);
    }
    return index;
  }

  /** Renumbers the values, and the indexes in `column`, by where each first occurs in `column`. */
  renumberInOrderOf(column: Uint32Array): void {
    const count = this.values.length;
    const renumbered = new Int32Array(count).fill(-1);
    const values: string[] = [];
    for (let k = 0; k < column.length && values.length < count; k++) {
      const index = column[k];
      if (renumbered[index] === -1) {
        renumbered[index] = values.length;
        values.push(this.values[index]);
      }
    }
    for (let k = 0; k < column.length; k++) column[k] = renumbered[column[k]];
    this.values = values;
  }
}
