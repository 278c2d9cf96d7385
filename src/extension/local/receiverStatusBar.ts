import * as vscode from 'vscode';
import type { LocalTracing } from './localTracing';

const REFRESH_MILLIS = 500;

/** Shows where the receiver listens and how many spans the local store holds; refreshes at most twice a second. */
export class ReceiverStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('spanlens.receiver', vscode.StatusBarAlignment.Left, 19);
  private readonly disposables: vscode.Disposable[] = [this.item];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly local: LocalTracing) {
    this.item.name = 'SpanLens OTLP Receiver';
    this.disposables.push(local.onDidChange(() => this.schedule()));
    void this.update();
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }

  private schedule(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.update();
    }, REFRESH_MILLIS);
  }

  private async update(): Promise<void> {
    const addresses = this.local.addresses;
    const stats = (await this.local.openedStore())?.stats();
    const spans = stats === undefined ? '' : ` · ${formatCount(stats.spans)} spans`;
    if (addresses === undefined) {
      this.item.text = `$(debug-disconnect) OTLP off${spans}`;
      this.item.tooltip = 'SpanLens OTLP receiver is stopped. Click to start it.';
      this.item.command = 'spanlens.startReceiver';
    } else {
      const ports = [addresses.http ? `:${addresses.http.port}` : undefined, addresses.grpc ? `gRPC :${addresses.grpc.port}` : undefined].filter(Boolean).join(' ');
      this.item.text = `$(radio-tower) OTLP ${ports}${spans}`;
      const evicted = stats && stats.evictedSpans + stats.droppedSpans > 0 ? `\n${stats.evictedSpans} spans evicted, ${stats.droppedSpans} dropped` : '';
      this.item.tooltip = `SpanLens OTLP receiver\nHTTP: ${addresses.http?.url ?? 'off'}\ngRPC: ${addresses.grpc?.url ?? 'off'}${
        stats ? `\n${stats.traces} traces, ${stats.spans} spans in the local store` : ''
      }${evicted}\nClick to copy the OTLP environment variables.`;
      this.item.command = 'spanlens.copyOtlpEnvironment';
    }
    this.item.show();
  }
}

function formatCount(count: number): string {
  if (count < 1000) return String(count);
  if (count < 1_000_000) return `${(count / 1000).toFixed(count < 10_000 ? 1 : 0)}k`;
  return `${(count / 1_000_000).toFixed(1)}M`;
}
