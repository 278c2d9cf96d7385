// Clock-skew adjustment in the manner of Zipkin's UI (zipkin-lens clock-skew.js). Two services keep
// two clocks, so a child in another service that starts before its parent, or an RPC server that
// ends after its client, shows skew rather than causality. The child is moved, and its same-service
// descendants (same clock) move with it:
// - an RPC server inside its client (client parent, server child) is centred in the client span,
//   assuming the request and the response took equally long; a server longer than its client (the
//   client gave up) starts with the client;
// - any other child in another service starts with its parent. Ending after the parent is normal for
//   async work (messaging, fire-and-forget), so that alone moves nothing.
// Children in the parent's own service share its clock and are never moved against it.

import { SPAN_FLAG_KIND_SHIFT, SPAN_KIND_CODES } from '../../shared/webviewProtocol';

export interface ClockSkewAdjustment {
  /** Start offsets after adjustment: a new array once any span moved, else the raw offsets themselves. */
  readonly startOffsetNano: Float64Array<ArrayBuffer>;
  /** The raw start offsets, as passed in. */
  readonly rawStartOffsetNano: Float64Array;
  /** Spans whose start moved: the adjusted children and the descendants that moved with them. */
  readonly adjustedSpanCount: number;
}

const CLIENT_CODE = SPAN_KIND_CODES.indexOf('client');
const SERVER_CODE = SPAN_KIND_CODES.indexOf('server');
// A module constant, not the imported binding: transpiled to CommonJS, that is a getter call per span.
const KIND_SHIFT = SPAN_FLAG_KIND_SHIFT;

/**
 * Adjusts start offsets for clock skew between services. Inputs are per display position (pre-order:
 * parents first); `flags` holds the span kind as the columnar `flags` column does. O(N), iterative.
 */
export function adjustClockSkew(
  parentPosition: Int32Array,
  serviceIndex: Uint32Array,
  flags: Uint8Array,
  startOffsetNano: Float64Array<ArrayBuffer>,
  durationNano: Float64Array,
): ClockSkewAdjustment {
  const count = parentPosition.length;
  // Most traces need no adjustment: the raw offsets serve until the first span moves, and only
  // then are the adjusted column and the shifts allocated (every earlier shift was 0).
  let adjusted = startOffsetNano;
  let shiftNano: Float64Array | undefined;
  let adjustedSpanCount = 0;
  for (let p = 0; p < count; p++) {
    const parent = parentPosition[p];
    let shift = 0;
    if (parent >= 0 && parent < p) {
      shift =
        serviceIndex[p] === serviceIndex[parent]
          ? shiftNano === undefined
            ? 0
            : shiftNano[parent]
          : crossServiceShift(
              adjusted[parent],
              durationNano[parent],
              startOffsetNano[p],
              durationNano[p],
              kindOf(flags[parent]) === CLIENT_CODE && kindOf(flags[p]) === SERVER_CODE,
            );
    }
    if (shift === 0) continue;
    if (shiftNano === undefined) {
      shiftNano = new Float64Array(count);
      adjusted = startOffsetNano.slice();
    }
    shiftNano[p] = shift;
    adjusted[p] = startOffsetNano[p] + shift;
    adjustedSpanCount++;
  }
  return { startOffsetNano: adjusted, rawStartOffsetNano: startOffsetNano, adjustedSpanCount };
}

/** How far to move a child whose clock is not its parent's; 0 when it already fits. */
function crossServiceShift(
  parentStart: number,
  parentDuration: number,
  childStart: number,
  childDuration: number,
  isRpcServer: boolean,
): number {
  const startsBefore = childStart < parentStart;
  if (!isRpcServer) return startsBefore ? parentStart - childStart : 0;
  const endsAfter = childStart + childDuration > parentStart + parentDuration;
  if (!startsBefore && !endsAfter) return 0;
  // Symmetric latency: the server sits in the middle of the client's span (whole nanoseconds).
  if (childDuration <= parentDuration) return parentStart + Math.floor((parentDuration - childDuration) / 2) - childStart;
  return startsBefore ? parentStart - childStart : 0;
}

function kindOf(flags: number): number {
  return (flags >> KIND_SHIFT) & 7;
}
