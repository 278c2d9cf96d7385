import type * as vscode from 'vscode';
import { WaterfallPanel } from '../waterfall/waterfallPanel';
import { buildLoadedTrace } from '../waterfall/loadedTrace';
import type { ActiveBackend } from './backendManager';
import { withBackendProgress } from './withBackendProgress';

/** Fetches a trace from a backend under cancellable progress and shows it in the waterfall. */
export async function openBackendTrace(extensionUri: vscode.Uri, active: ActiveBackend, traceId: string): Promise<boolean> {
  const fetched = await withBackendProgress(`SpanLens: fetching trace ${traceId} from ${active.config.name}`, (signal) =>
    active.backend.getTrace(traceId, { signal }),
    active.reportHealth,
  );
  if (fetched === undefined) return false;
  const source = { kind: 'backend', backend: active.config.name, traceId: fetched.trace.traceId } as const;
  WaterfallPanel.show(extensionUri, buildLoadedTrace(fetched.trace, source, active.config.name, fetched.warnings));
  return true;
}
