// Search results as `spanlens search` prints them: aligned rows for people, a JSON array for scripts.

import type { TraceSummary } from '../core/backends/traceBackend';
import { formatDurationNano } from '../core/model/time';

/** One element of `spanlens search --json`; null where the backend did not report the value. */
export interface SearchRowJson {
  readonly traceId: string;
  /** `service: span name` of the root span. */
  readonly rootName: string | null;
  readonly durationMs: number | null;
  readonly spans: number | null;
  readonly errors: number | null;
  /** ISO-8601 in UTC, millisecond precision. */
  readonly startTime: string | null;
}

/** Dates past this (year 275760) cannot be written as ISO-8601 by Date. */
const MAX_DATE_MILLIS = 8.64e15;

export function searchRowJson(summary: TraceSummary): SearchRowJson {
  return {
    traceId: summary.traceId,
    rootName: rootNameOf(summary) ?? null,
    durationMs: summary.durationNano === undefined ? null : Number(summary.durationNano) / 1e6,
    spans: summary.spanCount ?? null,
    errors: summary.errorCount ?? null,
    startTime: startTimeOf(summary) ?? null,
  };
}

const MISSING = '-';

/** A header line and one aligned line per trace; numbers right-aligned, the root name last. */
export function searchResultText(summaries: readonly TraceSummary[]): string {
  const header = ['TRACE ID', 'START (UTC)', 'DURATION', 'SPANS', 'ERRORS', 'ROOT'];
  const rows = summaries.map((summary) => [
    summary.traceId,
    startTimeOf(summary) ?? MISSING,
    summary.durationNano === undefined ? MISSING : formatDurationNano(Number(summary.durationNano)),
    summary.spanCount === undefined ? MISSING : String(summary.spanCount),
    summary.errorCount === undefined ? MISSING : String(summary.errorCount),
    // Names come from other people's systems; a line break in one must not split the row.
    (rootNameOf(summary) ?? MISSING).replace(/[\u0000-\u001f\u007f]+/g, ' '),
  ]);
  const table = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...table.map((row) => row[column].length)));
  const rightAligned = new Set([2, 3, 4]);
  const lines = table.map((row) =>
    row
      .map((cell, column) => {
        if (column === row.length - 1) return cell;
        return rightAligned.has(column) ? cell.padStart(widths[column]) : cell.padEnd(widths[column]);
      })
      .join('  '),
  );
  return `${lines.join('\n')}\n`;
}

function rootNameOf(summary: TraceSummary): string | undefined {
  const { rootServiceName: service, rootSpanName: span } = summary;
  if (service !== undefined && span !== undefined) return `${service}: ${span}`;
  return service ?? span;
}

function startTimeOf(summary: TraceSummary): string | undefined {
  if (summary.startTimeUnixNano === undefined) return undefined;
  const millis = Number(summary.startTimeUnixNano / 1_000_000n);
  return millis > MAX_DATE_MILLIS ? undefined : new Date(millis).toISOString();
}
