// The trace as columns of typed arrays, in display order. The host encodes once per load; the webview
// decodes to views over the transferred buffers, so no per-span object exists on the webview side.
import type { Resource, Span, Trace } from '../model/trace';
import type { SpanTree } from '../model/spanTree';
import { selfTimesInPreOrder } from '../model/selfTime';
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

  const services = new Interner();
  const names = new Interner();
  const { rawStartOffsetNano, durationNano, serviceIndex, nameIndex, flags, latestRawEndNano } = spanColumns(spans, tree, services, names);
  // Strings are numbered in order of first appearance in display order.
  const depth = encodedDepths(tree.depth, serviceIndex, services.renumberByFirstUse(), nameIndex, names.renumberByFirstUse());
  const parentPosition = tree.parentPosition.slice();
  const subtreeEnd = tree.subtreeEnd.slice();

  const skew = adjustClockSkew(parentPosition, serviceIndex, flags, rawStartOffsetNano, durationNano);
  const adjusted = skew.adjustedSpanCount > 0;
  const startOffsetNano = skew.startOffsetNano;
  // Adjusted times may start before the recorded ones; both columns share one origin and one extent.
  // Unadjusted, the recorded offsets start at 0 and their extent is known already.
  const { earliest, latest } = adjusted
    ? extentMarkingMoved(startOffsetNano, rawStartOffsetNano, durationNano, flags)
    : { earliest: 0, latest: Math.max(0, latestRawEndNano) };
  let traceStart = tree.traceStartUnixNano;
  if (earliest < 0) {
    // Unadjusted, the two columns are one array, to shift once.
    const distinct = startOffsetNano !== rawStartOffsetNano;
    for (let position = 0; position < spanCount; position++) {
      startOffsetNano[position] -= earliest;
      if (distinct) rawStartOffsetNano[position] -= earliest;
    }
    traceStart -= BigInt(-earliest);
  }

  const selfTimeNano = selfTimesInPreOrder(subtreeEnd, startOffsetNano, durationNano);
  const criticalPath = computeCriticalPath(subtreeEnd, startOffsetNano, durationNano);
  // A span is on the path exactly when it has a segment.
  const segmentPosition = criticalPath.segmentPosition;
  for (let k = 0; k < criticalPath.segmentCount; k++) flags[segmentPosition[k]] |= CRITICAL_FLAG;

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

interface SpanColumns {
  readonly rawStartOffsetNano: Float64Array<ArrayBuffer>;
  readonly durationNano: Float64Array<ArrayBuffer>;
  readonly serviceIndex: Uint32Array<ArrayBuffer>;
  readonly nameIndex: Uint32Array<ArrayBuffer>;
  readonly flags: Uint8Array<ArrayBuffer>;
  /** Latest recorded end (start offset + duration); -Infinity when there are no spans. */
  readonly latestRawEndNano: number;
}

/**
 * The per-span columns, in one pass over the spans in array order (where they sit in memory), each
 * written at its display position. Start offsets come from the tree, which took them from these spans.
 */
function spanColumns(spans: readonly Span[], tree: SpanTree, services: Interner, names: Interner): SpanColumns {
  const spanCount = spans.length;
  const spanStartOffsetNano = tree.startOffsetNano;
  const positionOf = tree.positionOf;
  const rawStartOffsetNano = new Float64Array(spanCount);
  const durationNano = new Float64Array(spanCount);
  const serviceIndex = new Uint32Array(spanCount);
  const nameIndex = new Uint32Array(spanCount);
  const flags = new Uint8Array(spanCount);
  let lastResource: Resource | undefined;
  let lastService = 0;
  let lastKind: string | undefined;
  let lastKindFlags = 0;
  let latestRawEndNano = -Infinity;
  for (let i = 0; i < spanCount; i++) {
    const span = spans[i];
    const position = positionOf[i];
    const start = spanStartOffsetNano[i];
    const duration = Number(span.durationNano);
    rawStartOffsetNano[position] = start;
    durationNano[position] = duration;
    if (start + duration > latestRawEndNano) latestRawEndNano = start + duration;
    // Spans of one process share their resource object.
    if (span.resource !== lastResource) {
      lastResource = span.resource;
      lastService = services.indexOf(lastResource.serviceName);
    }
    services.noteUse(lastService, position);
    serviceIndex[position] = lastService;
    nameIndex[position] = names.indexOfAt(span.name, position);
    if (span.kind !== lastKind) {
      lastKind = span.kind;
      lastKindFlags = KIND_FLAGS.get(lastKind) ?? 0;
    }
    flags[position] = (span.status.code === 'error' ? ERROR_FLAG : 0) | lastKindFlags;
  }
  return { rawStartOffsetNano, durationNano, serviceIndex, nameIndex, flags, latestRawEndNano };
}

/** Depths capped to Uint16, while renumbering service and name indexes where their order changed. */
function encodedDepths(
  treeDepth: Int32Array,
  serviceIndex: Uint32Array,
  serviceRenumbering: Int32Array | undefined,
  nameIndex: Uint32Array,
  nameRenumbering: Int32Array | undefined,
): Uint16Array<ArrayBuffer> {
  const spanCount = treeDepth.length;
  const depth = new Uint16Array(spanCount);
  for (let position = 0; position < spanCount; position++) {
    depth[position] = Math.min(treeDepth[position], MAX_ENCODED_DEPTH);
    if (serviceRenumbering !== undefined) serviceIndex[position] = serviceRenumbering[serviceIndex[position]];
    if (nameRenumbering !== undefined) nameIndex[position] = nameRenumbering[nameIndex[position]];
  }
  return depth;
}

/** Earliest start (0 or below) and latest end over both columns; flags every span whose start moved. */
function extentMarkingMoved(
  startOffsetNano: Float64Array,
  rawStartOffsetNano: Float64Array,
  durationNano: Float64Array,
  flags: Uint8Array,
): { earliest: number; latest: number } {
  let earliest = 0;
  let latest = 0;
  for (let position = 0; position < startOffsetNano.length; position++) {
    const start = startOffsetNano[position];
    const raw = rawStartOffsetNano[position];
    if (start < earliest) earliest = start;
    latest = Math.max(latest, start + durationNano[position], raw + durationNano[position]);
    if (start !== raw) flags[position] |= SKEW_ADJUSTED_FLAG;
  }
  return { earliest, latest };
}

class Interner {
  values: string[] = [];
  private readonly indexes = new Map<string, number>();
  /** Per value: the first display position that uses it. */
  private readonly firstUse: number[] = [];

  indexOf(value: string): number {
    let index = this.indexes.get(value);
    if (index === undefined) {
      index = this.values.length;
      this.values.push(value);
      this.indexes.set(value, index);
      this.firstUse.push(Infinity);
    }
    return index;
  }

  /** indexOf(), noting the use at `position`. */
  indexOfAt(value: string, position: number): number {
    const index = this.indexOf(value);
    if (position < this.firstUse[index]) this.firstUse[index] = position;
    return index;
  }

  noteUse(index: number, position: number): void {
    if (position < this.firstUse[index]) this.firstUse[index] = position;
  }

  /**
   * Renumbers the values by their first use; returns old index → new index, or undefined when the
   * numbering already is that order. Values never used are dropped.
   */
  renumberByFirstUse(): Int32Array | undefined {
    const byFirstUse = this.values.map((_, index) => index).filter((index) => this.firstUse[index] !== Infinity);
    byFirstUse.sort((a, b) => this.firstUse[a] - this.firstUse[b]);
    if (byFirstUse.length === this.values.length && byFirstUse.every((index, k) => index === k)) return undefined;
    const renumbered = new Int32Array(this.values.length).fill(-1);
    byFirstUse.forEach((index, k) => (renumbered[index] = k));
    this.values = byFirstUse.map((index) => this.values[index]);
    return renumbered;
  }
}
