import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { browserBridgeFromEnvironment } from './browserBridge';
import { REPO_BACKEND_ENV_VAR, USER_BACKEND_ENV_VAR, recordingBackendFromEnvironment } from './recordingBackend';
import type { RecordedRequest } from './recordingBackend';
import { sleep, waitFor } from './waitFor';
import { readWorkspaceJson } from './workbench';

// Runs only in the runner's untrusted pass: the folder (a copy of test/integration/workspace-untrusted) names
// "repo-backend", a server of the repository's choosing; the user's own settings name "user-backend".
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
// Time for a request SpanLens wrongly sent to reach the repository's server.
const SETTLE_MS = 2000;

async function executeWithin(command: string, args: readonly unknown[], timeoutMs = 20_000): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${command} did not settle within ${timeoutMs / 1000} s (is it awaiting a notification?)`)), timeoutMs);
  });
  try {
    await Promise.race([vscode.commands.executeCommand(command, ...args), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function describeRequests(requests: readonly RecordedRequest[]): string {
  if (requests.length === 0) return 'nothing';
  return requests.map((request) => `${request.method} ${request.path}`).join(', ');
}

suite('An untrusted workspace', () => {
  const repoBackend = recordingBackendFromEnvironment(REPO_BACKEND_ENV_VAR);
  const userBackend = recordingBackendFromEnvironment(USER_BACKEND_ENV_VAR);

  /** The commands await their requests, so a leak shows at once; `settleMs` waits for stragglers. */
  async function assertRepoBackendUntouched(settleMs = 0): Promise<void> {
    await sleep(settleMs);
    const requests = await repoBackend.requests();
    assert.equal(requests.length, 0, `the workspace's backend received requests: ${describeRequests(requests)}`);
  }

  setup(async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  teardown(async () => {
    await vscode.commands.executeCommand('notifications.hideList');
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  test('VS Code opened the folder untrusted, with settings naming the recording servers', async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the workspace is trusted: the untrusted pass of run.mjs is misconfigured');
    const settings = (await readWorkspaceJson('.vscode/settings.json')) as Record<string, { url: string }[]>;
    assert.equal(settings['spanlens.backends'][0].url, repoBackend.url, "the runner did not point the workspace's backend at its recording server");
    const spanlens = vscode.workspace.getConfiguration('spanlens');
    // Not restricted, so VS Code reads it even untrusted: proof that it loaded this folder's settings file.
    assert.equal(spanlens.inspect('searchLimit')?.workspaceValue, 7, "VS Code did not read the workspace's .vscode/settings.json");
    const userBackends = spanlens.inspect<{ name: string; url: string }[]>('backends')?.globalValue;
    assert.deepEqual(userBackends?.map((backend) => [backend.name, backend.url]), [['user-backend', userBackend.url]], 'the user settings were not read');
  });

  test("Open Trace by ID and Test Connection query the user's backend, never the workspace's", async () => {
    await executeWithin('spanlens.openTraceById', [TRACE_ID]);
    await assertRepoBackendUntouched();
    // The server answers 404, so the command ends with "not found" after asking for the trace.
    const afterOpen = await userBackend.requests();
    assert.ok(
      afterOpen.some((request) => request.path.includes(TRACE_ID)),
      `the user backend was not asked for the trace; it received: ${describeRequests(afterOpen)}`,
    );

    await executeWithin('spanlens.testConnection', []);
    await assertRepoBackendUntouched();
    const afterTest = await userBackend.requests();
    assert.ok(afterTest.length > afterOpen.length, 'Test Connection sent no request to the user backend');

    await assertRepoBackendUntouched(SETTLE_MS);
  });

  test('with no user backend, the commands fall back to the embedded local store and still never query the workspace backend', async () => {
    const spanlens = vscode.workspace.getConfiguration('spanlens');
    const userBackends = spanlens.inspect('backends')?.globalValue;
    await spanlens.update('backends', [], vscode.ConfigurationTarget.Global);
    try {
      await waitFor('the user backend to be removed from the settings', () => {
        const current = vscode.workspace.getConfiguration('spanlens').inspect<unknown[]>('backends')?.globalValue;
        return current?.length === 0 ? true : undefined;
      });
      const userRequestsBefore = (await userBackend.requests()).length;
      await executeWithin('spanlens.testConnection', []);
      await executeWithin('spanlens.openTraceById', [TRACE_ID]);
      await assertRepoBackendUntouched();

      const bridge = browserBridgeFromEnvironment();
      if (bridge) {
        // The web test host hides toasts (smoke-test mode), so read the warning from the notification center.
        await vscode.commands.executeCommand('notifications.showList');
        let messages: string[] = [];
        await waitFor('a SpanLens message that the local store lacks the trace', async () => {
          const items = await bridge.query('.notifications-center .notification-list-item', {
            target: 'workbench',
            children: ['.notification-list-item-message'],
          });
          messages = items.map((item) => item.children['.notification-list-item-message'] ?? '');
          return messages.some((message) => message.startsWith('SpanLens:') && message.includes(`${TRACE_ID} is not in the Local store`)) ? true : undefined;
        }, { describeLast: () => JSON.stringify(messages) });
      }
      await assertRepoBackendUntouched(SETTLE_MS);
      assert.equal((await userBackend.requests()).length, userRequestsBefore, 'the removed user backend was still queried');
    } finally {
      await spanlens.update('backends', userBackends, vscode.ConfigurationTarget.Global);
    }
  });
});
