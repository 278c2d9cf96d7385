// A test page holding the detail pane alone, bundled in place of dist/webview.js: it shows each spanDetail
// message the test plays as the host, and posts the pane's actions the way the waterfall does.
import type { HostToWebviewMessage } from '../../src/shared/webviewProtocol';
import { DetailPane } from '../../webview/detailPane';
import { connectToHost } from '../../webview/vscodeApi';
import { BASE_TIME_UNIX_NANO, TRACE_ID } from '../unit/layout/traceBuilders';

const host = connectToHost();
const pane = new DetailPane({
  revealCode: (position) => host.post({ type: 'revealCode', position }),
  openLinkedTrace: (traceId, spanId) => host.post({ type: 'openLinkedTrace', traceId, spanId }),
});
const root = document.getElementById('waterfall');
if (root === null) throw new Error('the page has no #waterfall element');
root.replaceChildren(pane.element);
root.removeAttribute('aria-busy');
window.addEventListener('message', (event: MessageEvent<HostToWebviewMessage>) => {
  const message = event.data;
  if (message.type !== 'spanDetail') return;
  if (message.detail === undefined) pane.showMessage('The host has no details for this span.');
  else pane.show(message.detail, TRACE_ID, BASE_TIME_UNIX_NANO);
});
host.post({ type: 'ready' });
