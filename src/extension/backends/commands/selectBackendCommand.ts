import * as vscode from 'vscode';
import { BACKEND_LABELS, REMOTE_BACKEND_TYPES } from '../../../core/backends/traceBackend';
import type { RemoteBackendType } from '../../../core/backends/traceBackend';
import type { BackendManager } from '../backendManager';

/** "SpanLens: Select Backend": pick a configured backend, or add one to the user settings. */
export async function selectBackendCommand(manager: BackendManager): Promise<void> {
  const settings = manager.settings();
  const current = manager.activeConfig(settings)?.name;
  const items: (vscode.QuickPickItem & { name?: string })[] = manager.allConfigs(settings).map((backend) => ({
    label: `${backend.name === current ? '$(check) ' : ''}${backend.name}`,
    description:
      backend.type === 'local'
        ? `${BACKEND_LABELS.local} · ${backend.url}`
        : `${BACKEND_LABELS[backend.type]} · ${backend.url}${backend.tenant ? ` · tenant ${backend.tenant}` : ''}`,
    name: backend.name,
  }));
  items.push({ label: '$(add) Add a backend…', description: 'Jaeger, Zipkin or Tempo' });
  const picked = await vscode.window.showQuickPick(items, {
    title: 'SpanLens: Select Backend',
    placeHolder: settings.ignoredWorkspaceValues ? 'Workspace backends are ignored: this workspace is not trusted' : 'Where traces come from',
  });
  if (!picked) return;
  const name = picked.name ?? (await addBackend(settings.backends.map((backend) => backend.name)));
  if (name !== undefined) await manager.setActive(name);
}

async function addBackend(takenNames: readonly string[]): Promise<string | undefined> {
  const type = await vscode.window.showQuickPick(
    REMOTE_BACKEND_TYPES.map((key) => ({ label: BACKEND_LABELS[key], type: key })),
    { title: 'Backend type' },
  );
  if (!type) return undefined;
  const defaults: Record<RemoteBackendType, string> = { jaeger: 'http://localhost:16686', zipkin: 'http://localhost:9411', tempo: 'http://localhost:3200' };
  const url = await vscode.window.showInputBox({
    title: `${type.label} URL`,
    value: defaults[type.type],
    ignoreFocusOut: true,
    validateInput: (text) => (/^https?:\/\/\S+$/i.test(text.trim()) ? undefined : 'Enter an http:// or https:// URL'),
  });
  if (url === undefined) return undefined;
  const name = await vscode.window.showInputBox({
    title: 'Name for this backend',
    value: `${type.label.toLowerCase()}-${new URL(url.trim()).hostname}`,
    ignoreFocusOut: true,
    validateInput: (text) => (text.trim() === '' ? 'Enter a name' : takenNames.includes(text.trim()) ? 'That name is taken' : undefined),
  });
  if (name === undefined) return undefined;
  const config = vscode.workspace.getConfiguration('spanlens');
  const existing = config.inspect<unknown[]>('backends')?.globalValue ?? [];
  await config.update('backends', [...existing, { name: name.trim(), type: type.type, url: url.trim() }], vscode.ConfigurationTarget.Global);
  return name.trim();
}
