import * as vscode from 'vscode';
import { originOf } from '../../../core/backends/http/credentials';
import type { BackendManager } from '../backendManager';
import type { CredentialStore } from '../credentialStore';

/**
 * "SpanLens: Set Backend Credential": a bearer token or a user and password, kept in SecretStorage for the
 * backend URL's origin only. Never in settings, never logged.
 */
export async function setCredentialCommand(manager: BackendManager, store: CredentialStore): Promise<void> {
  const settings = manager.settings();
  const backend = await vscode.window.showQuickPick(
    settings.backends.map((entry) => ({ label: entry.name, description: originOf(entry.url) ?? entry.url, entry })),
    { title: 'Credential for which backend?' },
  );
  if (!backend) return;
  const origin = originOf(backend.entry.url);
  if (origin === undefined) {
    void vscode.window.showErrorMessage(`SpanLens: "${backend.entry.url}" is not an http(s) URL.`);
    return;
  }
  const kind = await vscode.window.showQuickPick(
    [
      { label: 'Bearer token', method: 'bearer' as const },
      { label: 'User and password (Basic)', method: 'basic' as const },
      { label: 'Remove the saved credential', method: 'remove' as const },
    ],
    { title: `Credential for ${origin}`, placeHolder: 'It is sent only to this origin' },
  );
  if (!kind) return;
  if (kind.method === 'remove') {
    await store.remove(backend.entry.url);
    void vscode.window.showInformationMessage(`SpanLens: removed the credential for ${origin}.`);
    return;
  }
  let header: string | undefined;
  if (kind.method === 'bearer') {
    const token = await vscode.window.showInputBox({ title: `Bearer token for ${origin}`, password: true, ignoreFocusOut: true, validateInput: notEmpty });
    if (token !== undefined) header = `Bearer ${token.trim()}`;
  } else {
    const user = await vscode.window.showInputBox({ title: `User for ${origin}`, ignoreFocusOut: true, validateInput: notEmpty });
    if (user === undefined) return;
    const password = await vscode.window.showInputBox({ title: `Password for ${user} at ${origin}`, password: true, ignoreFocusOut: true });
    if (password !== undefined) header = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  }
  if (header === undefined) return;
  await store.save(backend.entry.url, header);
  void vscode.window.showInformationMessage(`SpanLens: saved a credential for ${origin}; it is sent only there.`);
}

function notEmpty(text: string): string | undefined {
  return text.trim() === '' ? 'Required' : undefined;
}
