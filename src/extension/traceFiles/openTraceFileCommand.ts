import * as vscode from 'vscode';
import type { ParsedTraces, Trace } from '../../core/model/trace';
import { formatDurationNano } from '../../core/model/time';
import { WaterfallPanel } from '../waterfall/waterfallPanel';
import { describeError, log } from '../output';
import { displayName, readTraceFile } from './readTraceFile';
import { loadedTraceFromFile } from './loadedTraceFromFile';

/**
 * "SpanLens: Open Trace File…". Takes the file from the explorer context menu, a caller, or a dialog.
 * Never throws: bad input ends in a message that names the file and what is wrong.
 */
export async function openTraceFileCommand(extensionUri: vscode.Uri, target?: unknown): Promise<void> {
  const uri = target instanceof vscode.Uri ? target : await pickTraceFile();
  if (!uri) return;
  try {
    const parsed = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `SpanLens: reading ${displayName(uri)}` },
      () => readTraceFile(uri),
    );
    log().info(`Opened ${uri.toString()}: ${parsed.format}, ${parsed.traces.length} trace(s)`);
    for (const warning of parsed.warnings) log().warn(`${displayName(uri)}: ${warning}`);
    if (parsed.traces.length === 0) {
      void vscode.window.showWarningMessage(`SpanLens: ${displayName(uri)} holds no spans.`);
      return;
    }
    const trace = await pickTrace(parsed, uri);
    if (!trace) return;
    WaterfallPanel.show(extensionUri, loadedTraceFromFile(uri, parsed, trace));
  } catch (error) {
    log().error(describeError(error));
    void vscode.window.showErrorMessage(`SpanLens: could not open ${describeError(error)}`);
  }
}

async function pickTraceFile(): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    openLabel: 'Open Trace',
    title: 'Open a Jaeger, Zipkin, Tempo or OTLP JSON trace file',
    filters: { 'Trace files': ['json', 'jsonl', 'ndjson', 'txt'], 'All files': ['*'] },
  });
  return picked?.[0];
}

async function pickTrace(parsed: ParsedTraces, uri: vscode.Uri): Promise<Trace | undefined> {
  if (parsed.traces.length === 1) return parsed.traces[0];
  const items = parsed.traces.map((trace) => ({ trace, ...describeTrace(trace) }));
  const picked = await vscode.window.showQuickPick(items, {
    title: `${displayName(uri)} holds ${parsed.traces.length} traces`,
    placeHolder: 'Pick a trace to open',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return picked?.trace;
}

function describeTrace(trace: Trace): { label: string; description: string; detail: string } {
  let start = trace.spans[0].startTimeUnixNano;
  let end = start;
  let errors = 0;
  let root = trace.spans[0];
  for (const span of trace.spans) {
    if (span.startTimeUnixNano < start) start = span.startTimeUnixNano;
    const spanEnd = span.startTimeUnixNano + span.durationNano;
    if (spanEnd > end) end = spanEnd;
    if (span.status.code === 'error') errors++;
    if (span.parentSpanId === undefined && root.parentSpanId !== undefined) root = span;
  }
  const startDate = new Date(Number(start / 1_000_000n)).toISOString();
  return {
    label: `${root.resource.serviceName}: ${root.name}`,
    description: `${formatDurationNano(Number(end - start))} · ${trace.spans.length} spans${errors ? ` · ${errors} errors` : ''}`,
    detail: `${trace.traceId} · ${startDate}`,
  };
}
