// The `inspect` summary as text and as JSON; `get --json` prints the same JSON.

import { TRACE_FORMAT_LABELS } from '../core/formats/detectFormat';
import type { TraceSummary } from '../core/model/traceSummary';

/** Exactly the documented keys, in the documented order, whatever else a summary may grow. */
export function traceSummaryJson(summary: TraceSummary): Record<string, unknown> {
  return {
    format: summary.format,
    traces: summary.traces,
    spans: summary.spans,
    services: summary.services,
    roots: summary.roots,
    maxDepth: summary.maxDepth,
    errors: summary.errors,
    warnings: [...summary.warnings],
  };
}

/** A title line, then one aligned row per count and one line per warning. */
export function traceSummaryText(title: string, summary: TraceSummary): string {
  const rows: [string, string][] = [
    ['format', `${TRACE_FORMAT_LABELS[summary.format]} (${summary.format})`],
    ['traces', String(summary.traces)],
    ['spans', String(summary.spans)],
    ['services', String(summary.services)],
    ['root spans', String(summary.roots)],
    ['max depth', String(summary.maxDepth)],
    ['error spans', String(summary.errors)],
    ['warnings', summary.warnings.length === 0 ? 'none' : String(summary.warnings.length)],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = [title, ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`)];
  for (const warning of summary.warnings) lines.push(`    - ${warning}`);
  return `${lines.join('\n')}\n`;
}
