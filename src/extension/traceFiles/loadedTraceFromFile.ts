import type * as vscode from 'vscode';
import type { ParsedTraces, Trace } from '../../core/model/trace';
import type { LoadedTrace } from '../waterfall/waterfallPanel';
import { buildLoadedTrace } from '../waterfall/loadedTrace';
import { displayName } from './readTraceFile';

/** One trace of a parsed file, ready for the waterfall. */
export function loadedTraceFromFile(uri: vscode.Uri, parsed: ParsedTraces, trace: Trace): LoadedTrace {
  return buildLoadedTrace(trace, { kind: 'file', uri: uri.toString(), traceId: trace.traceId }, displayName(uri), parsed.warnings);
}
