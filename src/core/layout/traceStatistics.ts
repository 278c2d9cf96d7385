// Where the time went, per service and operation, as Jaeger UI's "Trace Statistics" table shows it:
// span count, total duration and self time with their average, minimum and maximum, and self time as
// a share of the trace. One pass over the columns; rows are plain values for the webview's table.

import type { ColumnarTrace } from './columnarTrace';

export interface TraceStatisticsRow {
  readonly service: string;
  /** Span name. */
  readonly operation: string;
  readonly count: number;
  /** Sum of the spans' durations (nested spans of one group count each). */
  readonly totalNano: number;
  readonly avgNano: number;
  readonly minNano: number;
  readonly maxNano: number;
  readonly selfTotalNano: number;
  readonly selfAvgNano: number;
  readonly selfMinNano: number;
  readonly selfMaxNano: number;
  /** Self total as a percentage of the trace's duration, 0 for an empty trace. */
  readonly selfPercentOfTrace: number;
}

/** The columns statistics need. */
export type TraceStatisticsInput = Pick<
  ColumnarTrace,
  'spanCount' | 'traceDurationNano' | 'services' | 'names' | 'serviceIndex' | 'nameIndex' | 'durationNano' | 'selfTimeNano'
>;

/** One row per service and operation, most self time first (ties: service, then operation). O(N). */
export function computeTraceStatistics(trace: TraceStatisticsInput): TraceStatisticsRow[] {
  const rowOfKey = new Map<number, number>();
  const nameCount = trace.names.length;
  const serviceOfRow: number[] = [];
  const nameOfRow: number[] = [];
  const counts: number[] = [];
  const totals: number[] = [];
  const mins: number[] = [];
  const maxes: number[] = [];
  const selfTotals: number[] = [];
  const selfMins: number[] = [];
  const selfMaxes: number[] = [];
  for (let p = 0; p < trace.spanCount; p++) {
    const service = trace.serviceIndex[p];
    const name = trace.nameIndex[p];
    const key = service * nameCount + name;
    const duration = trace.durationNano[p];
    const self = trace.selfTimeNano[p];
    let row = rowOfKey.get(key);
    if (row === undefined) {
      row = counts.length;
      rowOfKey.set(key, row);
      serviceOfRow.push(service);
      nameOfRow.push(name);
      counts.push(0);
      totals.push(0);
      mins.push(duration);
      maxes.push(duration);
      selfTotals.push(0);
      selfMins.push(self);
      selfMaxes.push(self);
    }
    counts[row]++;
    totals[row] += duration;
    selfTotals[row] += self;
    if (duration < mins[row]) mins[row] = duration;
    if (duration > maxes[row]) maxes[row] = duration;
    if (self < selfMins[row]) selfMins[row] = self;
    if (self > selfMaxes[row]) selfMaxes[row] = self;
  }

  const rows: TraceStatisticsRow[] = [];
  for (let row = 0; row < counts.length; row++) {
    const count = counts[row];
    rows.push({
      service: trace.services[serviceOfRow[row]],
      operation: trace.names[nameOfRow[row]],
      count,
      totalNano: totals[row],
      avgNano: totals[row] / count,
      minNano: mins[row],
      maxNano: maxes[row],
      selfTotalNano: selfTotals[row],
      selfAvgNano: selfTotals[row] / count,
      selfMinNano: selfMins[row],
      selfMaxNano: selfMaxes[row],
      selfPercentOfTrace: trace.traceDurationNano > 0 ? (100 * selfTotals[row]) / trace.traceDurationNano : 0,
    });
  }
  rows.sort(
    (a, b) =>
      b.selfTotalNano - a.selfTotalNano ||
      compareText(a.service, b.service) ||
      compareText(a.operation, b.operation),
  );
  return rows;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
