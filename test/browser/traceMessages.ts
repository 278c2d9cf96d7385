// Host-side helpers for browser tests: what the extension host would post for a trace.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { encodeColumnarTrace } from '../../src/core/layout/columnarTrace';
import { buildSpanDetail } from '../../src/core/layout/spanDetail';
import { parseTraceText } from '../../src/core/formats/parseTraceText';
import { buildSpanTree, type SpanTree } from '../../src/core/model/spanTree';
import type { Trace } from '../../src/core/model/trace';
import type { HostToWebviewMessage, TraceSource } from '../../src/shared/webviewProtocol';
import { REPO_ROOT } from './webviewHarness';

const SHARED_FIXTURES = '/work/shared/fixtures';

export interface ShownTrace {
  readonly trace: Trace;
  readonly tree: SpanTree;
  readonly warnings: readonly string[];
}

/** The first trace of a fixture: from the shared wire-format fixtures when present, else test/fixtures/own. */
export function loadFixtureTrace(sharedPath: string, ownFallback: string): ShownTrace {
  const shared = path.join(SHARED_FIXTURES, sharedPath);
  const file = existsSync(shared) ? shared : path.join(REPO_ROOT, 'test/fixtures/own', ownFallback);
  const parsed = parseTraceText(readFileSync(file, 'utf8'));
  const trace = parsed.traces[0];
  const tree = buildSpanTree(trace.spans);
  return { trace, tree, warnings: [...parsed.warnings, ...tree.warnings] };
}

export function showTrace(trace: Trace): ShownTrace {
  const tree = buildSpanTree(trace.spans);
  return { trace, tree, warnings: tree.warnings };
}

export function sourceOf(trace: Trace, uri = 'file:///workspace/trace.json'): TraceSource {
  return { kind: 'file', uri, traceId: trace.traceId };
}

export function loadTraceMessage(
  shown: ShownTrace,
  options: { readonly title?: string; readonly source?: TraceSource; readonly warnings?: readonly string[] } = {},
): HostToWebviewMessage {
  return {
    type: 'loadTrace',
    trace: encodeColumnarTrace(shown.trace, shown.tree).message,
    source: options.source ?? sourceOf(shown.trace),
    title: options.title ?? 'trace.json',
    warnings: options.warnings ?? shown.warnings,
  };
}

export function spanDetailMessage(shown: ShownTrace, requestId: number, position: number): HostToWebviewMessage {
  const span = shown.trace.spans[shown.tree.order[position]];
  return { type: 'spanDetail', requestId, detail: buildSpanDetail(span, position) };
}

/** The span shown at a display position. */
export function spanAt(shown: ShownTrace, position: number): Trace['spans'][number] {
  return shown.trace.spans[shown.tree.order[position]];
}
