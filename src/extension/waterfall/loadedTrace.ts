import type { Trace } from '../../core/model/trace';
import { buildSpanTree } from '../../core/model/spanTree';
import type { TraceSource } from '../../shared/webviewProtocol';
import type { LoadedTrace } from './waterfallPanel';

/** Builds the display tree for a trace and names its panel after the root span and where it came from. */
export function buildLoadedTrace(trace: Trace, source: TraceSource, origin: string, warnings: readonly string[]): LoadedTrace {
  const tree = buildSpanTree(trace.spans);
  const root = tree.order.length > 0 ? trace.spans[tree.order[0]] : undefined;
  const rootName = root ? `${root.resource.serviceName}: ${root.name}` : trace.traceId;
  return { trace, tree, source, title: `${rootName} — ${origin}`, warnings: [...warnings, ...tree.warnings] };
}
