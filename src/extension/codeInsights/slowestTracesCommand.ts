import * as vscode from 'vscode';
import { formatDurationNano } from '../../core/model/time';
import type { SlowSpanRef } from '../../core/stats/codeStats';
import type { LocalTraceStore } from '../../core/store/localTraceStore';
import type { BackendManager } from '../backends/backendManager';
import type { CodeInsights } from './codeInsights';
import type { FunctionInsight, FunctionKey, ResolvedRow } from './documentInsights';
import { ago } from './hoverMarkdown';
import { openSpan } from './spanOpener';

const MAX_PICKS = 50;

interface SlowSpanPick extends vscode.QuickPickItem {
  readonly ref: SlowSpanRef;
}

/**
 * "Slowest traces" of a function (a lens click): a quick pick of the slowest spans through it, newest data
 * first from the local store, else the slowest the statistics kept; the pick opens in the waterfall beside the
 * code with that span selected.
 */
export async function showSlowestTracesCommand(extensionUri: vscode.Uri, backends: BackendManager, insights: CodeInsights, argument: unknown): Promise<void> {
  const key = asFunctionKey(argument);
  const insight = key === undefined ? undefined : insights.functionOf(key);
  const origin = insights.origin();
  if (key === undefined || insight === undefined || origin === undefined) {
    void vscode.window.showInformationMessage('SpanLens: there are no traces for this function in the current statistics.');
    return;
  }
  const rows = key.serviceName === undefined ? insight.rows : insight.rows.filter((resolved) => resolved.row.serviceName === key.serviceName);
  const windowStartMillis = Date.now() - (insights.snapshot()?.provenance.windowMillis ?? insights.settings.windowMillis);
  const stored = origin.store === undefined ? [] : slowestInStore(origin.store, rows, windowStartMillis);
  const refs = stored.length > 0 ? stored : slowestOfRows(rows);
  if (refs.length === 0) {
    void vscode.window.showInformationMessage(`SpanLens: no trace through ${insight.name} is available any more.`);
    return;
  }
  const picked = await vscode.window.showQuickPick<SlowSpanPick>(
    refs.map((ref) => ({
      ref,
      label: `$(watch) ${formatDurationNano(ref.durationNano)}`,
      description: `${ref.spanName} · ${ref.serviceName}`,
      detail: `${ago(ref.startUnixMillis)} · trace ${ref.traceId}`,
    })),
    { title: titleOf(insight, key), placeHolder: 'Pick a trace to open it with this span selected', matchOnDescription: true, matchOnDetail: true },
  );
  if (picked === undefined) return;
  await openSpan(extensionUri, backends, { backend: origin.active.config.name, traceId: picked.ref.traceId, spanId: picked.ref.spanId });
}

export function asFunctionKey(value: unknown): FunctionKey | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { uri, line, serviceName } = value as Record<string, unknown>;
  if (typeof uri !== 'string' || typeof line !== 'number' || !Number.isInteger(line)) return undefined;
  return { uri, line, ...(typeof serviceName === 'string' ? { serviceName } : {}) };
}

function titleOf(insight: FunctionInsight, key: FunctionKey): string {
  return `Slowest traces through ${insight.name}${key.serviceName === undefined ? '' : ` in ${key.serviceName}`}`;
}

/** Every stored span of the rows' code locations within the window, slowest first. */
function slowestInStore(store: LocalTraceStore, rows: readonly ResolvedRow[], windowStartMillis: number): SlowSpanRef[] {
  const seen = new Set<string>();
  const refs: SlowSpanRef[] = [];
  for (const { row } of rows) {
    const { functionName, filePath } = row.location;
    if (functionName === undefined && filePath === undefined) continue;
    for (const span of store.findSpansByCode({ functionName, filePath })) {
      const startUnixMillis = Number(span.startTimeUnixNano / 1_000_000n);
      if (span.serviceName !== row.serviceName || startUnixMillis < windowStartMillis || seen.has(span.spanId)) continue;
      seen.add(span.spanId);
      refs.push({ traceId: span.traceId, spanId: span.spanId, spanName: span.name, serviceName: span.serviceName, durationNano: Number(span.durationNano), startUnixMillis });
    }
  }
  return refs.sort((a, b) => b.durationNano - a.durationNano).slice(0, MAX_PICKS);
}

function slowestOfRows(rows: readonly ResolvedRow[]): SlowSpanRef[] {
  const seen = new Set<string>();
  return rows
    .flatMap((resolved) => resolved.row.summary.slowest)
    .filter((ref) => !seen.has(ref.spanId) && seen.add(ref.spanId) !== undefined)
    .sort((a, b) => b.durationNano - a.durationNano)
    .slice(0, MAX_PICKS);
}
