import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { browserBridgeFromEnvironment } from './browserBridge';
import { sleep, waitFor } from './waitFor';
import { closeAllEditors, openTraceFile, webviewTabs } from './workbench';

suite('Opening a file that is not a trace', () => {
  setup(async () => {
    await closeAllEditors();
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  teardown(async () => {
    await vscode.commands.executeCommand('notifications.hideList');
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  test('the command settles without throwing, opens no panel and shows an error', async () => {
    await openTraceFile('not-a-trace.txt');

    // A panel would be created right after parsing; give a wrongly opened one time to appear.
    await sleep(1000);
    assert.deepEqual(webviewTabs().map((tab) => tab.label), [], 'a webview opened for a file that is not a trace');

    const bridge = browserBridgeFromEnvironment();
    if (bridge) {
      // The web test host hides toasts (smoke-test mode), so read the error from the notification center.
      await vscode.commands.executeCommand('notifications.showList');
      const errors = await waitFor('an error in the notification center', async () => {
        const items = await bridge.query('.notifications-center .notification-list-item', {
          target: 'workbench',
          children: ['.codicon-error', '.notification-list-item-message'],
        });
        const found = items.filter((item) => item.children['.codicon-error'] !== null);
        return found.length > 0 ? found : undefined;
      });
      assert.ok(errors[0].children['.notification-list-item-message'], 'the error notification has no message');
    }
  });
});
