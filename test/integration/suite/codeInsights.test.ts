import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as vscode from 'vscode';
import { browserBridgeFromEnvironment } from './browserBridge';
import { waitFor } from './waitFor';
import { EXTENSION_ID, closeAllEditors, runAndAcceptFirstPick, webviewTabs } from './workbench';

const ENDPOINT = 'http://127.0.0.1:4318';
/** `p95 142 ms · p50 12 ms · 4 calls`, after an optional slow marker. */
const LENS_FIGURES = /^(?:\$\(flame\) )?p95 [\d.]+ (?:ns|µs|ms|s|min) · p50 [\d.]+ (?:ns|µs|ms|s|min) · [\d.]+k? calls?\b/;

/** Runs samples/ai-app against the embedded receiver with container-style paths (/app/src/…). */
function runSampleApp(extensionPath: string): Promise<string> {
  const args = ['--import', 'tsx', 'samples/ai-app/src/main.ts', '--once', '--requests', '6', '--seed', '11', '--time-scale', '0.05', '--endpoint', ENDPOINT, '--path-prefix', '/app'];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: extensionPath, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`the sample app failed: ${error.message}\n${stdout}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

function sampleFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.find((candidate) => candidate.name === 'ai-app');
  if (folder === undefined) throw new Error('The trusted pass opens samples/ai-app as the workspace folder "ai-app" (see run.mjs).');
  return vscode.Uri.joinPath(folder.uri, 'src', name);
}

/** 0-based line of `function <name>(` in a sample file: where the span's code.line.number points. */
async function declarationLine(uri: vscode.Uri, functionName: string): Promise<number> {
  const document = await vscode.workspace.openTextDocument(uri);
  const pattern = new RegExp(`^\\s*(?:export\\s+)?(?:async\\s+)?function\\s+${functionName}\\s*\\(`);
  for (let line = 0; line < document.lineCount; line++) if (pattern.test(document.lineAt(line).text)) return line;
  throw new Error(`${uri.fsPath} declares no function ${functionName}`);
}

async function lensesOf(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  return (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
}

/** Waits for a SpanLens lens on `functionName`'s declaration line and returns it. */
async function lensOn(file: string, functionName: string, timeoutMs = 30_000): Promise<vscode.CodeLens> {
  const uri = sampleFile(file);
  const line = await declarationLine(uri, functionName);
  let seen: vscode.CodeLens[] = [];
  return waitFor(
    `a latency lens over ${functionName} (${file}:${line + 1})`,
    async () => {
      seen = (await lensesOf(uri)).filter((lens) => lens.command?.command === 'spanlens.showSlowestTraces');
      return seen.find((lens) => lens.range.start.line === line);
    },
    { timeoutMs, describeLast: () => JSON.stringify(seen.map((lens) => `${lens.range.start.line + 1}: ${lens.command?.title ?? ''}`)) },
  );
}

suite('Code insights over the sample app', () => {
  suiteSetup(async function () {
    this.timeout(120_000);
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    await extension.activate();
    // TypeScript's language features answer symbol queries once a file of the project is open.
    await vscode.window.showTextDocument(sampleFile('rerank.ts'));
    await waitFor('the receiver to answer on 127.0.0.1:4318', async () => {
      try {
        return (await fetch(`${ENDPOINT}/v1/traces`, { method: 'GET' })).status === 405 ? true : undefined;
      } catch {
        return undefined;
      }
    });
    const output = await runSampleApp(extension.extensionPath);
    assert.match(output, /[1-9]\d* spans exported/, `the sample app exported nothing: ${output}`);
  });

  suiteTeardown(closeAllEditors);

  test('lenses over the traced functions of rerank.ts, server.ts and llm.ts show their latency', async () => {
    for (const [file, functionName] of [
      ['rerank.ts', 'rerank'],
      ['server.ts', 'handleAsk'],
      ['llm.ts', 'embedQuery'],
      ['llm.ts', 'callLlm'],
    ] as const) {
      const lens = await lensOn(file, functionName);
      assert.match(lens.command?.title ?? '', LENS_FIGURES, `${file} ${functionName}`);
      assert.match(lens.command?.title ?? '', / · 1h$/, `the lens of ${functionName} does not name the window`);
    }
    const callLlm = await lensOn('llm.ts', 'callLlm');
    const chatTitle = callLlm.command?.title ?? '';
    assert.match(chatTitle, / · gpt-4o-mini-\d{4}-\d\d-\d\d · [\d.]+k?→[\d.]+k? tokens\/call · /, `the chat lens lacks model and tokens: ${chatTitle}`);
    // rerank is the sample's slow function: one call in five loads a model for seconds (scaled by 0.05 here).
    const untraced = await declarationLine(sampleFile('rerank.ts'), 'relevance');
    assert.ok(!(await lensesOf(sampleFile('rerank.ts'))).some((lens) => lens.range.start.line === untraced), 'a function without spans has a lens');
  });

  test('spans that give only a function name resolve through the TypeScript language features', async () => {
    for (const functionName of ['scoreCandidates', 'selectTopPassages']) {
      const lens = await lensOn('rerank.ts', functionName, 45_000);
      assert.match(lens.command?.title ?? '', LENS_FIGURES);
    }
  });

  test('container paths (/app/src/…) map onto the workspace by their suffix, as the hover says', async () => {
    const uri = sampleFile('rerank.ts');
    const line = await declarationLine(uri, 'rerank');
    await lensOn('rerank.ts', 'rerank');
    const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(line, 25))) ?? [];
    const text = hovers
      .flatMap((hover) => hover.contents)
      .map((content) => (typeof content === 'string' ? content : content.value))
      .join('\n')
      .replace(/\\(.)/g, '$1');
    assert.ok(text.includes('/app/src/rerank.ts'), `the hover does not say where the data came from: ${text}`);
    assert.ok(text.includes(uri.fsPath), `the hover does not name the workspace file: ${text}`);
    assert.match(text, /Slowest traces/);
    assert.match(text, /command:spanlens\.openSpan\?/);
  });

  test('lens settings take effect without a reload: the slow threshold marks, and turning lenses off removes them', async () => {
    const uri = sampleFile('rerank.ts');
    const line = await declarationLine(uri, 'rerank');
    await lensOn('rerank.ts', 'rerank');
    const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('spanlens');
    const titleOnRerank = async (): Promise<string | undefined> => (await lensesOf(uri)).find((lens) => lens.range.start.line === line)?.command?.title;
    try {
      await config().update('slowThresholdMs', 0, vscode.ConfigurationTarget.Global);
      await waitFor('the slow marker on rerank with a 0 ms threshold', async () => ((await titleOnRerank())?.startsWith('$(flame) ') ? true : undefined));
      await config().update('slowThresholdMs', 3_600_000, vscode.ConfigurationTarget.Global);
      await waitFor('no slow marker with a 1 h threshold', async () => (/^p95 /.test((await titleOnRerank()) ?? '') ? true : undefined));
      await config().update('codeLens.enabled', false, vscode.ConfigurationTarget.Global);
      await waitFor('no lens with spanlens.codeLens.enabled off', async () => ((await titleOnRerank()) === undefined ? true : undefined));
    } finally {
      await config().update('slowThresholdMs', undefined, vscode.ConfigurationTarget.Global);
      await config().update('codeLens.enabled', undefined, vscode.ConfigurationTarget.Global);
    }
    await lensOn('rerank.ts', 'rerank');
  });

  test('a lens click lists the slowest traces, and the pick opens the waterfall with that span selected', async () => {
    await closeAllEditors();
    const uri = sampleFile('rerank.ts');
    await vscode.window.showTextDocument(uri);
    const lens = await lensOn('rerank.ts', 'rerank');
    const command = lens.command;
    assert.ok(command);
    await runAndAcceptFirstPick(command.command, ...(command.arguments ?? []));
    const tab = await waitFor('a waterfall tab', () => webviewTabs()[0], { describeLast: () => JSON.stringify(vscode.window.tabGroups.all.map((group) => group.tabs.map((t) => t.label))) });
    const codeGroup = vscode.window.tabGroups.all.find((group) => group.tabs.some((candidate) => candidate.input instanceof vscode.TabInputText && candidate.input.uri.toString() === uri.toString()));
    assert.ok(codeGroup !== undefined && codeGroup.viewColumn !== tab.group.viewColumn, 'the waterfall did not open beside the code');

    const bridge = browserBridgeFromEnvironment();
    if (bridge === undefined) return;
    const selected = await waitFor('a selected .span-row', async () => (await bridge.query('.span-row.selected', { children: ['.span-name'] }))[0]);
    assert.equal(selected.children['.span-name'], 'rerank');
    const position = selected.attributes['data-position'];
    const functionName = await waitFor('code.function.name in #span-detail', async () => {
      const rows = await bridge.query(`#span-detail[data-position="${position}"] .attribute-row`, { children: ['.attribute-key', '.attribute-value'] });
      return rows.find((row) => row.children['.attribute-key'] === 'code.function.name')?.children['.attribute-value'] ?? undefined;
    });
    assert.equal(functionName, 'rerank.rerank');
  });

  test('the Hot Spots view ranks the sample functions by service, and an entry jumps to its code', async function () {
    const bridge = browserBridgeFromEnvironment();
    if (bridge === undefined) this.skip();
    await closeAllEditors();
    await vscode.commands.executeCommand('spanlens.hotSpots.focus');
    const row = '[id="workbench.view.extension.spanlens"] .monaco-list-row';
    const rows = await waitFor('rerank.rerank in the Hot Spots view', async () => {
      const found = await bridge.query(row, { target: 'workbench', children: ['.label-name', '.label-description'] });
      return found.some((candidate) => candidate.children['.label-name'] === 'rerank.rerank') ? found : undefined;
    });
    const names = rows.map((candidate) => candidate.children['.label-name']);
    assert.ok(names.includes('ai-assistant') && names.includes('chat-frontend'), `services are not the groups: ${JSON.stringify(names)}`);
    const rerank = rows.find((candidate) => candidate.children['.label-name'] === 'rerank.rerank');
    assert.match(rerank?.children['.label-description'] ?? '', /^p95 \S+ \S+ · \S+ \S+ total · \d+ calls/);

    const index = rerank?.attributes['data-index'];
    assert.ok(index !== undefined, `the rerank.rerank row has no data-index: ${JSON.stringify(rerank?.attributes)}`);
    assert.ok(await bridge.click(`${row}[data-index="${index}"]`, { target: 'workbench' }), 'no rerank.rerank row to click');
    const uri = sampleFile('rerank.ts');
    const line = await declarationLine(uri, 'rerank');
    const editor = await waitFor('rerank.ts opened from Hot Spots', () =>
      vscode.window.activeTextEditor?.document.uri.toString() === uri.toString() ? vscode.window.activeTextEditor : undefined,
    );
    assert.equal(editor.selection.active.line, line);
  });
});
