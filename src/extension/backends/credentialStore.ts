import type * as vscode from 'vscode';
import { originOf } from '../../core/backends/http/credentials';
import type { BackendCredential } from '../../core/backends/http/credentials';

const KEY_PREFIX = 'spanlens.credential:';

/**
 * Credentials live in the editor's SecretStorage, keyed by the origin they were saved for; they are
 * never written to settings or logs, and the HTTP client sends each only to its own origin.
 */
export class CredentialStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  readonly onDidChange = (listener: () => void): vscode.Disposable =>
    this.secrets.onDidChange((event) => {
      if (event.key.startsWith(KEY_PREFIX)) listener();
    });

  async forUrl(url: string): Promise<BackendCredential | undefined> {
    const origin = originOf(url);
    if (origin === undefined) return undefined;
    const header = await this.secrets.get(KEY_PREFIX + origin);
    return header === undefined ? undefined : { origin, header };
  }

  async save(url: string, header: string): Promise<string> {
    const origin = requireOrigin(url);
    await this.secrets.store(KEY_PREFIX + origin, header);
    return origin;
  }

  async remove(url: string): Promise<string> {
    const origin = requireOrigin(url);
    await this.secrets.delete(KEY_PREFIX + origin);
    return origin;
  }
}

function requireOrigin(url: string): string {
  const origin = originOf(url);
  if (origin === undefined) throw new Error(`"${url}" is not an http(s) URL`);
  return origin;
}
