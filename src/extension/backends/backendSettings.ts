import type * as vscode from 'vscode';
import type { BackendType } from '../../core/backends/traceBackend';

/** The name the embedded local store goes by in the backend list and in `spanlens.activeBackend`. */
export const LOCAL_BACKEND_NAME = 'Local';

/** One entry of `spanlens.backends`, checked. */
export interface ConfiguredBackend {
  readonly name: string;
  readonly type: BackendType;
  readonly url: string;
  readonly tenant?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface BackendSettings {
  readonly backends: readonly ConfiguredBackend[];
  /** Name from `spanlens.activeBackend`, if set. */
  readonly activeName: string | undefined;
  /** Entries that were skipped, and why. */
  readonly problems: readonly string[];
  /** True when workspace values were present but ignored because the workspace is not trusted. */
  readonly ignoredWorkspaceValues: boolean;
}

const TYPES: ReadonlySet<string> = new Set(['jaeger', 'zipkin', 'tempo']);

/**
 * Reads the backend list. In an untrusted workspace only the user's own settings count: a cloned
 * repository's settings must not be able to point the user's saved credentials at its own server.
 */
export function readBackendSettings(config: vscode.WorkspaceConfiguration, workspaceTrusted: boolean): BackendSettings {
  const backendsInspect = config.inspect<unknown>('backends');
  const activeInspect = config.inspect<unknown>('activeBackend');
  const fromWorkspace = (inspect: typeof backendsInspect): boolean =>
    inspect?.workspaceValue !== undefined || inspect?.workspaceFolderValue !== undefined;
  const ignoredWorkspaceValues = !workspaceTrusted && (fromWorkspace(backendsInspect) || fromWorkspace(activeInspect));
  const rawBackends = workspaceTrusted ? config.get<unknown>('backends') : backendsInspect?.globalValue;
  const rawActive = workspaceTrusted ? config.get<unknown>('activeBackend') : activeInspect?.globalValue;

  const problems: string[] = [];
  const backends: ConfiguredBackend[] = [];
  const names = new Set<string>();
  const list = Array.isArray(rawBackends) ? rawBackends : [];
  if (rawBackends !== undefined && !Array.isArray(rawBackends)) problems.push('spanlens.backends must be a list of backends');
  list.forEach((entry: unknown, index) => {
    const checked = checkEntry(entry, index);
    if (typeof checked === 'string') problems.push(checked);
    else if (names.has(checked.name)) problems.push(`spanlens.backends[${index}]: the name "${checked.name}" is used twice`);
    else {
      names.add(checked.name);
      backends.push(checked);
    }
  });
  const activeName = typeof rawActive === 'string' && rawActive.trim() !== '' ? rawActive.trim() : undefined;
  return { backends, activeName, problems, ignoredWorkspaceValues };
}

function checkEntry(entry: unknown, index: number): ConfiguredBackend | string {
  const where = `spanlens.backends[${index}]`;
  if (typeof entry !== 'object' || entry === null) return `${where} must be an object with name, type and url`;
  const record = entry as Record<string, unknown>;
  const { name, type, url, tenant, headers } = record;
  if (typeof type !== 'string' || !TYPES.has(type)) return `${where}: "type" must be jaeger, zipkin or tempo`;
  if (name === LOCAL_BACKEND_NAME) return `${where}: the name "${LOCAL_BACKEND_NAME}" is reserved for the embedded store`;
  if (typeof url !== 'string' || url.trim() === '') return `${where}: "url" is missing`;
  const label = typeof name === 'string' && name.trim() !== '' ? name.trim() : `${type} ${url}`;
  const cleanHeaders: Record<string, string> = {};
  if (headers !== undefined) {
    if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) return `${where}: "headers" must map header names to values`;
    for (const [key, value] of Object.entries(headers)) {
      if (typeof value !== 'string') return `${where}: header "${key}" must have a string value`;
      cleanHeaders[key] = value;
    }
  }
  return {
    name: label,
    type: type as BackendType,
    url: url.trim(),
    tenant: typeof tenant === 'string' && tenant.trim() !== '' ? tenant.trim() : undefined,
    headers: cleanHeaders,
  };
}
