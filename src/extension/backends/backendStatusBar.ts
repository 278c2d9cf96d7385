import * as vscode from 'vscode';
import type { BackendManager } from './backendManager';

/** Shows the active backend and its last known health; a click picks another backend. */
export class BackendStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('spanlens.backend', vscode.StatusBarAlignment.Left, 20);
  private readonly disposables: vscode.Disposable[] = [this.item];

  constructor(private readonly manager: BackendManager) {
    this.item.name = 'SpanLens Backend';
    this.item.command = 'spanlens.selectBackend';
    this.disposables.push(manager.onDidChange(() => this.update()));
    this.update();
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }

  private update(): void {
    const settings = this.manager.settings();
    const active = this.manager.activeConfig(settings);
    if (!active) {
      if (settings.backends.length === 0) {
        this.item.hide();
        return;
      }
      this.item.text = '$(pulse) SpanLens: pick a backend';
      this.item.tooltip = 'Several backends are configured; click to choose one';
      this.item.backgroundColor = undefined;
      this.item.show();
      return;
    }
    const health = this.manager.health(active.name);
    const icon = health === undefined ? '$(pulse)' : health.ok ? '$(check)' : '$(warning)';
    this.item.text = `${icon} ${active.name}`;
    this.item.tooltip = `SpanLens backend: ${active.name} (${active.type} at ${active.url})\n${
      health === undefined ? 'Not tested yet: run "SpanLens: Test Connection"' : health.ok ? `Healthy: ${health.detail}` : `Failing: ${health.detail}`
    }`;
    this.item.backgroundColor = health !== undefined && !health.ok ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }
}
