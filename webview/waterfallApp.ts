// Routes host messages to the view: loading, the waterfall for a trace, or an error.
import { decodeColumnarTrace } from '../src/core/layout/columnarTrace';
import type { HostToWebviewMessage } from '../src/shared/webviewProtocol';
import { createCodicon, createElement } from './dom';
import { createProgressRing } from './toolkit';
import { sameSource, type HostBridge } from './vscodeApi';
import { WaterfallView } from './waterfallView';

export class WaterfallApp {
  private view: WaterfallView | undefined;
  private latestRequestId = 0;

  constructor(
    private readonly root: HTMLElement,
    private readonly host: HostBridge,
  ) {
    const status = createElement('div', 'waterfall-status');
    status.append(createProgressRing('Loading trace'), createElement('span', 'status-text', 'Loading trace…'));
    root.replaceChildren(status);
  }

  handle(message: HostToWebviewMessage): void {
    switch (message.type) {
      case 'loadTrace':
        this.load(message);
        break;
      case 'spanDetail':
        // Replies to superseded requests are dropped: only the latest selection's detail is shown.
        if (message.requestId === this.latestRequestId) this.view?.showDetail(message.detail);
        break;
      case 'selectSpan':
        this.view?.reveal(message.position);
        break;
      case 'showError':
        this.showError(message.message);
        break;
      case 'attributeMatches': {
        const positions = int32Positions(message.positions);
        if (positions !== undefined) this.view?.applyAttributeMatches(message.requestId, positions);
        break;
      }
    }
  }

  private load(message: Extract<HostToWebviewMessage, { type: 'loadTrace' }>): void {
    // Read while the page is still laid out; the new view fills the root.
    const widthHintPx = this.root.clientWidth;
    let trace;
    try {
      trace = decodeColumnarTrace(message.trace);
    } catch (error) {
      this.showError(`This trace cannot be shown: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    // Disposing first flushes the old view's pending state, so a reload of the same trace keeps it.
    this.view?.dispose();
    this.view = undefined;
    const saved = this.host.readState();
    const restored = saved !== undefined && sameSource(saved.source, message.source) ? saved : undefined;
    const view = new WaterfallView({
      trace,
      title: message.title,
      warnings: message.warnings,
      source: message.source,
      restored,
      requestDetail: (position) => {
        this.latestRequestId++;
        this.host.post({ type: 'requestSpanDetail', requestId: this.latestRequestId, position });
      },
      persist: (state) => this.host.writeState(state),
      post: (message) => this.host.post(message),
      widthHintPx,
    });
    this.view = view;
    this.root.replaceChildren(view.element);
    this.root.dataset.spanCount = String(trace.spanCount);
    this.root.dataset.criticalSpans = String(view.criticalSpanCount);
    this.root.removeAttribute('aria-busy');
    view.mount();
    if (restored === undefined) this.host.writeState({ source: message.source });
  }

  private showError(text: string): void {
    this.view?.dispose();
    this.view = undefined;
    const status = createElement('div', 'waterfall-status error');
    status.setAttribute('role', 'alert');
    status.append(createCodicon('error', 'status-icon'), createElement('span', 'status-text', text));
    this.root.replaceChildren(status);
    this.root.removeAttribute('data-span-count');
    this.root.removeAttribute('data-critical-spans');
    this.root.removeAttribute('aria-busy');
  }
}

/** Int32 view of a positions buffer (an ArrayBuffer, maybe from another realm, or a view); undefined if malformed. */
function int32Positions(data: unknown): Int32Array | undefined {
  if (ArrayBuffer.isView(data)) {
    return data.byteLength % 4 === 0 && data.byteOffset % 4 === 0 ? new Int32Array(data.buffer, data.byteOffset, data.byteLength / 4) : undefined;
  }
  if (Object.prototype.toString.call(data) !== '[object ArrayBuffer]') return undefined;
  const buffer = data as ArrayBuffer;
  return buffer.byteLength % 4 === 0 ? new Int32Array(buffer) : undefined;
}
