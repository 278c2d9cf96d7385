import * as vscode from 'vscode';
import { OtlpWorkerClient } from '../../core/otlpWorker/otlpWorkerClient';
import { otlpEnvironment } from '../../core/receiver/otlpEnvironment';
import { OtlpReceiver } from '../../core/receiver/otlpReceiver';
import type { ReceiverAddresses } from '../../core/receiver/otlpReceiver';
import { ReceiverError } from '../../core/receiver/receiverError';
import { LocalTraceStore } from '../../core/store/localTraceStore';
import { describeError, log } from '../output';
import { readReceiverSettings } from './receiverSettings';

/**
 * The zero-setup default: the embedded trace store, and the OTLP receiver that fills it. Opening the store
 * replays its log, so it happens after activation, never inside it.
 */
export class LocalTracing implements vscode.Disposable {
  private readonly processor = new OtlpWorkerClient();
  private storePromise: Promise<LocalTraceStore> | undefined;
  private receiver: OtlpReceiver | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private storeListener: { dispose(): void } | undefined;
  /** Fires when the receiver starts or stops, or the store's contents change (coalesced by listeners). */
  readonly onDidChange = this.changed.event;

  constructor(private readonly storageDirectory: vscode.Uri) {}

  /** The store, opened (and replayed) on first use. */
  store(): Promise<LocalTraceStore> {
    this.storePromise ??= this.openStore();
    return this.storePromise;
  }

  /** The store if it is already open, for cheap status reads. */
  async openedStore(): Promise<LocalTraceStore | undefined> {
    return this.storePromise;
  }

  get addresses(): ReceiverAddresses | undefined {
    return this.receiver?.addresses;
  }

  environment(): Record<string, string> | undefined {
    const addresses = this.addresses;
    return addresses === undefined ? undefined : otlpEnvironment(addresses);
  }

  /** Starts the receiver; a taken port gets a message that offers another one. Never throws. */
  async start(): Promise<boolean> {
    if (this.receiver?.running) return true;
    const settings = readReceiverSettings();
    let store: LocalTraceStore;
    try {
      store = await this.store();
    } catch (error) {
      void vscode.window.showErrorMessage(`SpanLens: the local trace store could not be opened: ${describeError(error)}`);
      return false;
    }
    const receiver = new OtlpReceiver({
      sink: store,
      processor: this.processor,
      host: settings.bindAddress,
      httpPort: settings.httpPort,
      grpcPort: settings.grpcPort,
      maxBodyBytes: settings.maxBodyBytes,
    });
    try {
      const addresses = await receiver.start();
      this.receiver = receiver;
      receiver.onError((error) => log().error(`OTLP receiver: ${describeError(error)}`));
      log().info(`OTLP receiver listening: HTTP ${addresses.http?.url ?? 'off'}, gRPC ${addresses.grpc?.url ?? 'off'}`);
      this.changed.fire();
      return true;
    } catch (error) {
      log().warn(`OTLP receiver did not start: ${describeError(error)}`);
      // Not awaited: the message settles only when dismissed.
      void this.explainStartFailure(error);
      return false;
    }
  }

  /** Opens a store directory written by `spanlens serve`, read-only, as another backend. */
  openDirectory(directory: string): Promise<LocalTraceStore> {
    return LocalTraceStore.open({ directory, readOnly: true, decoder: this.processor, onWarning: (message) => log().warn(`${directory}: ${message}`) });
  }

  async stop(): Promise<void> {
    const receiver = this.receiver;
    this.receiver = undefined;
    await receiver?.stop();
    this.changed.fire();
  }

  async clear(): Promise<void> {
    const store = await this.store();
    await store.clear();
  }

  dispose(): void {
    this.storeListener?.dispose();
    void this.receiver?.stop();
    this.receiver = undefined;
    void this.storePromise?.then((store) => store.close()).catch(() => undefined);
    void this.processor.close();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }

  private async openStore(): Promise<LocalTraceStore> {
    const settings = readReceiverSettings();
    await vscode.workspace.fs.createDirectory(this.storageDirectory);
    const started = performance.now();
    const store = await LocalTraceStore.open({
      directory: this.storageDirectory.fsPath,
      maxSpans: settings.maxSpans,
      maxBytes: settings.maxStoreBytes,
      decoder: this.processor,
      onWarning: (message) => log().warn(`Local trace store: ${message}`),
    });
    const stats = store.stats();
    log().info(`Local trace store: ${stats.spans} spans in ${stats.traces} traces replayed in ${(performance.now() - started).toFixed(0)} ms`);
    this.storeListener = store.onDidChange(() => this.changed.fire());
    return store;
  }

  private async explainStartFailure(error: unknown): Promise<void> {
    if (error instanceof ReceiverError && error.kind === 'portInUse' && error.port !== undefined) {
      const setting = error.protocol === 'grpc' ? 'spanlens.receiver.grpcPort' : 'spanlens.receiver.httpPort';
      const choice = await vscode.window.showWarningMessage(
        `SpanLens: ${error.message}. Another collector may be running there.`,
        'Use Another Port',
        'Open Settings',
      );
      if (choice === 'Use Another Port') {
        const port = await vscode.window.showInputBox({
          title: `Port for ${error.protocol === 'grpc' ? 'OTLP/gRPC' : 'OTLP/HTTP'}`,
          value: String(error.port + 10),
          validateInput: (text) => (/^\d+$/.test(text) && Number(text) > 0 && Number(text) < 65536 ? undefined : 'A port from 1 to 65535'),
        });
        if (port !== undefined) {
          await vscode.workspace.getConfiguration('spanlens').update(setting, Number(port), vscode.ConfigurationTarget.Global);
          await this.start();
        }
      } else if (choice === 'Open Settings') {
        await vscode.commands.executeCommand('workbench.action.openSettings', setting);
      }
      return;
    }
    void vscode.window.showErrorMessage(`SpanLens: the OTLP receiver did not start: ${describeError(error)}`);
  }
}
