// The typed bridge to the extension host: messages out, view state in and out.
import type { TraceSource, WaterfallViewState, WebviewToHostMessage } from '../src/shared/webviewProtocol';
import { isTraceSource, sameTraceSource } from '../src/shared/webviewProtocol';
import { parseTimeWindowState } from './viewState';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface HostBridge {
  post(message: WebviewToHostMessage): void;
  /** The persisted state, if it has the expected shape. */
  readState(): WaterfallViewState | undefined;
  writeState(state: WaterfallViewState): void;
}

/** May be called once per page; VS Code throws on a second acquireVsCodeApi(). */
export function connectToHost(): HostBridge {
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    readState: () => parseViewState(api.getState()),
    writeState: (state) => api.setState(state),
  };
}

export function parseViewState(value: unknown): WaterfallViewState | undefined {
  if (!isRecord(value) || !isTraceSource(value.source)) return undefined;
  const collapsed = Array.isArray(value.collapsed) ? value.collapsed.filter(isIndex) : undefined;
  return {
    source: value.source,
    collapsed,
    scrollTop: typeof value.scrollTop === 'number' && value.scrollTop >= 0 ? value.scrollTop : undefined,
    selected: isIndex(value.selected) ? value.selected : undefined,
    ...parseTimeWindowState(value),
  };
}

export function sameSource(a: TraceSource, b: TraceSource): boolean {
  return sameTraceSource(a, b);
}


function isIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
