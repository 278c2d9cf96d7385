// Webview entry: register the toolkit, listen to the host, then say ready so the host starts posting.
import type { HostToWebviewMessage } from '../src/shared/webviewProtocol';
import { preloadCodiconFont } from './dom';
import { registerToolkit, warmUpToolkit } from './toolkit';
import { connectToHost } from './vscodeApi';
import { WaterfallApp } from './waterfallApp';

registerToolkit();
const host = connectToHost();
const root = document.getElementById('waterfall');
if (root === null) throw new Error('the waterfall page has no #waterfall element');
const app = new WaterfallApp(root, host);
window.addEventListener('message', (event: MessageEvent<HostToWebviewMessage>) => {
  const message = event.data;
  if (typeof message === 'object' && message !== null && typeof message.type === 'string') app.handle(message);
});
host.post({ type: 'ready' });
// First-use costs paid while the host prepares the trace, not on its first paint.
preloadCodiconFont();
warmUpToolkit();
