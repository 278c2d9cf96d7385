import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor } from './waitFor';
import { EXTENSION_ID, OPEN_TRACE_COMMAND, activatesAtStartup, closeAllEditors, openTraceFile, webviewTabs } from './workbench';

// This file runs first (index.ts loads the tests in name order), before any other test runs the command.
suite('Opening a trace file', () => {
  setup(closeAllEditors);

  test('the command activates SpanLens and opens the trace in a webview panel named after the file', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `extension ${EXTENSION_ID} is not installed in the extension host`);
    if (!activatesAtStartup()) assert.equal(extension.isActive, false, 'SpanLens is active before anything needed it');

    await openTraceFile('ui_01.json');

    assert.ok(extension.isActive, `${EXTENSION_ID} is not active after running ${OPEN_TRACE_COMMAND}`);
    assert.ok((await vscode.commands.getCommands(true)).includes(OPEN_TRACE_COMMAND), `${OPEN_TRACE_COMMAND} is not registered`);
    const tab = await waitFor('a webview tab whose label names ui_01.json', () => webviewTabs().find((candidate) => candidate.label.includes('ui_01.json')), {
      timeoutMs: 10_000,
      describeLast: () => JSON.stringify(vscode.window.tabGroups.all.flatMap((group) => group.tabs).map((candidate) => candidate.label)),
    });
    assert.ok(tab.isActive, 'the trace panel is not the active tab of its group');
  });
});
