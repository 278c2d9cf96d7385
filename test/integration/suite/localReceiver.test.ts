import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as vscode from 'vscode';
import { browserBridgeFromEnvironment } from './browserBridge';
import { waitFor } from './waitFor';
import { EXTENSION_ID, closeAllEditors, runAndAcceptFirstPick, webviewTabs } from './workbench';

/** Runs samples/ai-app against the embedded receiver, as `npm run sample` would, and resolves to its stdout. */
function runSampleApp(extensionPath: string, endpoint: string): Promise<string> {
  const args = ['--import', 'tsx', 'samples/ai-app/src/main.ts', '--once', '--requests', '4', '--seed', '7', '--time-scale', '0.05', '--endpoint', endpoint];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: extensionPath, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`the sample app failed: ${error.message}\n${stdout}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

suite('The embedded OTLP receiver with the sample app', () => {
  setup(closeAllEditors);

  test('the sample app exports to the receiver, and its traces can be searched and opened', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    await extension.activate();
    // The local store is the active backend when none is configured.
    assert.equal(vscode.workspace.getConfiguration('spanlens').get<unknown[]>('backends')?.length ?? 0, 0);

    const endpoint = 'http://127.0.0.1:4318';
    await waitFor('the receiver to answer on 127.0.0.1:4318', async () => {
      try {
        const response = await fetch(`${endpoint}/v1/traces`, { method: 'GET' });
        return response.status === 405 ? true : undefined;
      } catch {
        return undefined;
      }
    });
    const output = await runSampleApp(extension.extensionPath, endpoint);
    const exported = /(\d+) spans exported/.exec(output);
    assert.ok(exported && Number(exported[1]) > 0, `the sample app exported nothing: ${output}`);

    await runAndAcceptFirstPick('spanlens.searchTraces', { service: 'ai-assistant', lookback: '1h' });
    await waitFor('a waterfall tab from the local store', () => webviewTabs().find((tab) => tab.label.includes('Local')), {
      describeLast: () => JSON.stringify(webviewTabs().map((tab) => tab.label)),
    });
    const bridge = browserBridgeFromEnvironment();
    if (bridge) {
      const waterfall = await waitFor('#waterfall[data-span-count]', async () => (await bridge.query('#waterfall[data-span-count]'))[0]);
      assert.ok(Number(waterfall.attributes['data-span-count']) >= 10, `a sample request has at least 10 spans, the waterfall shows ${waterfall.attributes['data-span-count']}`);
      const rows = await bridge.query('.span-row', { children: ['.span-name'] });
      assert.ok(rows.some((row) => row.children['.span-name'] === 'POST /ask'), 'the root HTTP span is not in the waterfall');
    }
  });
});
