import * as vscode from 'vscode';
import type { BackendManager } from '../backends/backendManager';
import { openBackendTrace } from '../backends/openBackendTrace';
import { WaterfallPanel } from '../waterfall/waterfallPanel';
import type { SpanTarget } from './insightCommands';

/**
 * Opens a span's trace from a backend in the waterfall, beside the active editor, and selects the span.
 * Failures are shown by the backend's progress notification or as a message; never thrown.
 */
export async function openSpan(extensionUri: vscode.Uri, backends: BackendManager, target: SpanTarget): Promise<void> {
  const active = await backends.byName(target.backend);
  if (active === undefined) {
    void vscode.window.showWarningMessage(`SpanLens: the backend "${target.backend}" is no longer configured.`);
    return;
  }
  const source = { kind: 'backend', backend: active.config.name, traceId: target.traceId } as const;
  const open = WaterfallPanel.find(source);
  if (open !== undefined) {
    open.panel.reveal(undefined, false);
  } else if (!(await openBackendTrace(extensionUri, active, target.traceId))) {
    return;
  }
  const panel = WaterfallPanel.find(source);
  if (panel !== undefined && !panel.selectSpan(target.spanId)) {
    void vscode.window.showWarningMessage(`SpanLens: trace ${target.traceId} no longer holds span ${target.spanId}.`);
  }
}

/** Reads a SpanTarget from a command argument (a lens, a hover link or a test). */
export function asSpanTarget(value: unknown): SpanTarget | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { backend, traceId, spanId } = value as Record<string, unknown>;
  if (typeof backend !== 'string' || typeof traceId !== 'string' || typeof spanId !== 'string') return undefined;
  return { backend, traceId, spanId };
}
