import * as vscode from 'vscode';

/** The embedded receiver's settings, read once per start. */
export interface ReceiverSettings {
  readonly enabled: boolean;
  readonly bindAddress: string;
  readonly httpPort: number;
  readonly grpcPort: number;
  readonly maxBodyBytes: number;
  readonly maxSpans: number;
  readonly maxStoreBytes: number;
  readonly injectDebugEnvironment: boolean;
}

const MIB = 1024 * 1024;

export function readReceiverSettings(): ReceiverSettings {
  const config = vscode.workspace.getConfiguration('spanlens');
  const port = (key: string, fallback: number): number => {
    const value = config.get<number>(key, fallback);
    return Number.isInteger(value) && value >= 0 && value <= 65535 ? value : fallback;
  };
  return {
    enabled: config.get<boolean>('receiver.enabled', true),
    bindAddress: config.get<string>('receiver.bindAddress', '127.0.0.1').trim() || '127.0.0.1',
    httpPort: port('receiver.httpPort', 4318),
    grpcPort: port('receiver.grpcPort', 4317),
    maxBodyBytes: Math.max(1, config.get<number>('receiver.maxBodyMB', 64)) * MIB,
    maxSpans: Math.max(1000, config.get<number>('store.maxSpans', 1_000_000)),
    maxStoreBytes: Math.max(16, config.get<number>('store.maxMB', 512)) * MIB,
    injectDebugEnvironment: config.get<boolean>('receiver.injectDebugEnvironment', false),
  };
}
