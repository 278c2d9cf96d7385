import type * as vscode from 'vscode';

/**
 * Adds the OTLP environment to every launch configuration, as JetBrains Rider's OpenTelemetry plugin
 * does, so a debugged app exports to the embedded receiver. Only while the setting is on; variables the
 * configuration sets itself win.
 */
export class DebugEnvironmentProvider implements vscode.DebugConfigurationProvider {
  constructor(private readonly environment: () => Record<string, string> | undefined) {}

  resolveDebugConfiguration(_folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.DebugConfiguration {
    const environment = this.environment();
    if (environment === undefined || config.request !== 'launch') return config;
    const existing = typeof config.env === 'object' && config.env !== null ? (config.env as Record<string, string>) : {};
    return { ...config, env: { ...environment, ...existing } };
  }
}
