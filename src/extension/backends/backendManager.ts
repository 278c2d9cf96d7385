import * as vscode from 'vscode';
import { createBackend } from '../../core/backends/createBackend';
import type { TraceBackend } from '../../core/backends/traceBackend';
import { readBackendSettings } from './backendSettings';
import type { BackendSettings, ConfiguredBackend } from './backendSettings';
import type { CredentialStore } from './credentialStore';
import { log } from '../output';

/** The last known health of a backend, from a test or a real request. */
export interface BackendHealth {
  readonly ok: boolean;
  readonly detail: string;
}

/** A configured backend and its live client. */
export interface ActiveBackend {
  readonly config: ConfiguredBackend;
  readonly backend: TraceBackend;
  /** Records the outcome of a request to this backend. */
  readonly reportHealth: (health: BackendHealth) => void;
}

const BYTES_PER_MB = 1024 * 1024;

/**
 * Owns the backend clients: builds them from settings, secrets and the editor's proxy settings on first
 * use, and throws them away when any of those change.
 */
export class BackendManager implements vscode.Disposable {
  private readonly clients = new Map<string, Promise<ActiveBackend>>();
  private readonly healthByName = new Map<string, BackendHealth>();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  /** Fires when the active backend or its configuration changed. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly credentials: CredentialStore) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('spanlens') || event.affectsConfiguration('http')) this.reset();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.reset()),
      credentials.onDidChange(() => this.reset()),
    );
  }

  settings(): BackendSettings {
    return readBackendSettings(vscode.workspace.getConfiguration('spanlens'), vscode.workspace.isTrusted);
  }

  /** The backend named by `spanlens.activeBackend`, or the only one configured. */
  activeConfig(settings: BackendSettings = this.settings()): ConfiguredBackend | undefined {
    if (settings.activeName !== undefined) {
      return settings.backends.find((backend) => backend.name === settings.activeName);
    }
    return settings.backends.length === 1 ? settings.backends[0] : undefined;
  }

  async active(): Promise<ActiveBackend | undefined> {
    const config = this.activeConfig();
    return config === undefined ? undefined : this.client(config);
  }

  async byName(name: string): Promise<ActiveBackend | undefined> {
    const config = this.settings().backends.find((backend) => backend.name === name);
    return config === undefined ? undefined : this.client(config);
  }

  health(name: string): BackendHealth | undefined {
    return this.healthByName.get(name);
  }

  /** Records how the last request to a backend went; the status bar shows it. */
  reportHealth(name: string, health: BackendHealth): void {
    const previous = this.healthByName.get(name);
    this.healthByName.set(name, health);
    if (previous?.ok !== health.ok || previous?.detail !== health.detail) this.changed.fire();
  }

  async setActive(name: string): Promise<void> {
    await vscode.workspace.getConfiguration('spanlens').update('activeBackend', name, vscode.ConfigurationTarget.Global);
  }

  dispose(): void {
    this.closeClients();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }

  private client(config: ConfiguredBackend): Promise<ActiveBackend> {
    const key = JSON.stringify(config);
    let client = this.clients.get(key);
    if (client === undefined) {
      client = this.createClient(config);
      this.clients.set(key, client);
      // A failed build is not cached: fixing the setting must be enough.
      client.catch(() => this.clients.delete(key));
    }
    return client;
  }

  private async createClient(config: ConfiguredBackend): Promise<ActiveBackend> {
    const spanlens = vscode.workspace.getConfiguration('spanlens');
    const http = vscode.workspace.getConfiguration('http');
    const proxyUrl = http.get<string>('proxy', '').trim();
    const strictSSL = http.get<boolean>('proxyStrictSSL', true);
    const noProxy = http.get<string[]>('noProxy', []);
    const timeoutSeconds = Math.max(1, spanlens.get<number>('requestTimeoutSeconds', 30));
    const backend = createBackend({
      type: config.type,
      url: config.url,
      tenant: config.tenant,
      headers: config.headers,
      credential: await this.credentials.forUrl(config.url),
      proxy: proxyUrl === '' ? undefined : { url: proxyUrl, strictSSL, noProxy },
      strictSSL,
      timeouts: { connectMillis: 10_000, headersMillis: timeoutSeconds * 1000, bodyMillis: timeoutSeconds * 2000 },
      maxResponseBytes: Math.max(1, spanlens.get<number>('maxResponseMB', 64)) * BYTES_PER_MB,
      userAgent: `SpanLens-VSCode/${vscode.version}`,
    });
    log().info(`Using ${backend.displayName} for backend "${config.name}"`);
    return { config, backend, reportHealth: (health) => this.reportHealth(config.name, health) };
  }

  private reset(): void {
    this.closeClients();
    this.healthByName.clear();
    this.changed.fire();
  }

  private closeClients(): void {
    const clients = [...this.clients.values()];
    this.clients.clear();
    for (const client of clients) {
      client.then((active) => active.backend.dispose()).catch(() => undefined);
    }
  }
}
