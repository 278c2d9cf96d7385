// What a parsed trace file holds, in numbers (the CLI's `inspect`, the editor's file summary).

import { addParseWarning } from '../formats/parseWarnings';
import { buildSpanTree } from './spanTree';
import type { ParsedTraces, TraceFormat } from './trace';

export interface TraceSummary {
  format: TraceFormat;
  traces: number;
  spans: number;
  /** Distinct service names across all traces. */
  services: number;
  /** Spans shown as roots, summed over traces (lost parents and broken cycles add roots). */
  roots: number;
  /**
   * Levels in the deepest span tree: a lone root is 1, a root with children 2, no spans 0.
   * Counting levels rather than edges keeps 0 for "nothing there".
   */
  maxDepth: number;
  /** Spans with status error. */
  errors: number;
  /** Parse warnings, then the repairs made while building each trace's span tree (capped like parse warnings). */
  warnings: string[];
}

export function summarizeTraces(parsed: ParsedTraces): TraceSummary {
  const services = new Set<string>();
  const warnings = [...parsed.warnings];
  let spans = 0;
  let roots = 0;
  let maxDepth = 0;
  let errors = 0;
  for (const trace of parsed.traces) {
    if (trace.spans.length === 0) continue;
    for (const span of trace.spans) {
      services.add(span.resource.serviceName);
      if (span.status.code === 'error') errors++;
    }
    const tree = buildSpanTree(trace.spans);
    spans += trace.spans.length;
    roots += tree.rootCount;
    maxDepth = Math.max(maxDepth, tree.maxDepth + 1);
    const prefix = parsed.traces.length > 1 ? `trace ${trace.traceId}: ` : '';
    for (const warning of tree.warnings) addParseWarning(warnings, prefix + warning);
  }
  return { format: parsed.format, traces: parsed.traces.length, spans, services: services.size, roots, maxDepth, errors, warnings };
}
