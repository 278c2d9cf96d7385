import * as vscode from 'vscode';
import { createBackend } from '../../core/backends/createBackend';
import type { RemoteBackendType, TraceBackend } from '../../core/backends/traceBackend';
import { LOCAL_BACKEND_NAME, readBackendSettings } from './backendSettings';
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

/** Where the embedded store comes from; opening it replays its log, so only on first use. */
export interface LocalBackendSource {
  store(): Promise<TraceBackend>;
  readonly url: string;
}

/**
 * Owns the backend clients: builds them from settings, secrets and the editor's proxy settings on first
 * use, and throws them away when any of those change.
 */
export class BackendManager implements vscode.Disposable {
  private readonly clients = new Map<string, Promise<ActiveBackend>>();
  private readonly healthByName = new Map<string, BackendHealth>();
  /** Store directories opened with "Open Trace Store…", by name; they last for the session. */
  private readonly openedStores = new Map<string, TraceBackend>();
  /** A session choice that overrides the setting, e.g. a store directory just opened. */
  private sessionActiveName: string | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  /** Fires when the active backend or its configuration changed. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly credentials: CredentialStore,
    private readonly local: LocalBackendSource,
  ) {
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

  /**
   * The backend named by `spanlens.activeBackend` (or chosen this session), else the only one configured,
   * else the embedded local store.
   */
  activeConfig(settings: BackendSettings = this.settings()): ConfiguredBackend | undefined {
    const name = this.sessionActiveName ?? settings.activeName;
    if (name !== undefined) return this.configNamed(name, settings);
    if (settings.backends.length === 0) return this.localConfig();
    return settings.backends.length === 1 ? settings.backends[0] : undefined;
  }

  /** Every backend a user can pick: the local store, opened store directories, then the configured ones. */
  allConfigs(settings: BackendSettings = this.settings()): ConfiguredBackend[] {
    const opened = [...this.openedStores.keys()].map((name) => ({ name, type: 'local' as const, url: name }));
    return [this.localConfig(), ...opened, ...settings.backends];
  }

  /** Makes a store directory opened this session a backend, and the active one. */
  useOpenedStore(name: string, store: TraceBackend): void {
    const previous = this.openedStores.get(name);
    if (previous !== undefined && previous !== store) void previous.dispose();
    this.openedStores.set(name, store);
    this.sessionActiveName = name;
    this.changed.fire();
  }

  async active(): Promise<ActiveBackend | undefined> {
    const config = this.activeConfig();
    return config === undefined ? undefined : this.client(config);
  }

  async byName(name: string): Promise<ActiveBackend | undefined> {
    const config = this.configNamed(name, this.settings());
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
    if (this.openedStores.has(name)) {
      this.sessionActiveName = name;
      this.changed.fire();
      return;
    }
    this.sessionActiveName = undefined;
    await vscode.workspace.getConfiguration('spanlens').update('activeBackend', name, vscode.ConfigurationTarget.Global);
    this.changed.fire();
  }

  dispose(): void {
    this.closeClients();
    for (const store of this.openedStores.values()) void store.dispose();
    this.openedStores.clear();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }

  private localConfig(): ConfiguredBackend {
    return { name: LOCAL_BACKEND_NAME, type: 'local', url: this.local.url };
  }

  private configNamed(name: string, settings: BackendSettings): ConfiguredBackend | undefined {
    if (name === LOCAL_BACKEND_NAME) return this.localConfig();
    if (this.openedStores.has(name)) return { name, type: 'local', url: name };
    return settings.backends.find((backend) => backend.name === name);
  }

  private async client(config: ConfiguredBackend): Promise<ActiveBackend> {
    const reportHealth = (health: BackendHealth): void => this.reportHealth(config.name, health);
    // Stores are owned elsewhere and outlive configuration changes, so they are not cached here.
    if (config.type === 'local') {
      const backend = this.openedStores.get(config.name) ?? (await this.local.store());
      return { config, backend, reportHealth };
    }
    return this.remoteClient(config);
  }

  private remoteClient(config: ConfiguredBackend): Promise<ActiveBackend> {
    const key = JSON.stringify(config);
    let client = this.clients.get(key);
    if (client === undefined) {
      client = this.createClient(config as ConfiguredBackend & { type: RemoteBackendType });
      this.clients.set(key, client);
      // A failed build is not cached: fixing the setting must be enough.
      client.catch(() => this.clients.delete(key));
    }
    return client;
  }

  private async createClient(config: ConfiguredBackend & { type: RemoteBackendType }): Promise<ActiveBackend> {
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
