import * as vscode from 'vscode';
import type { PathMapping } from '../../core/codeMapping/pathMappings';
import { parseWindow } from '../../core/stats/windowSetting';

export type HotSpotRanking = 'totalTime' | 'p95';

/** The `spanlens.*` settings that shape code insights, checked. */
export interface InsightSettings {
  readonly codeLensEnabled: boolean;
  readonly windowMillis: number;
  readonly slowThresholdNano: number;
  readonly pathMappings: readonly PathMapping[];
  readonly hotSpotRanking: HotSpotRanking;
  /** Settings that were ignored, and why. */
  readonly problems: readonly string[];
}

export const DEFAULT_WINDOW = '1h';
const DEFAULT_SLOW_THRESHOLD_MS = 500;

/** Whether a configuration change touches any setting read here. */
export function affectsInsightSettings(event: vscode.ConfigurationChangeEvent): boolean {
  return ['spanlens.codeLens', 'spanlens.window', 'spanlens.slowThresholdMs', 'spanlens.pathMappings', 'spanlens.hotSpots'].some((key) =>
    event.affectsConfiguration(key),
  );
}

export function readInsightSettings(): InsightSettings {
  const config = vscode.workspace.getConfiguration('spanlens');
  const problems: string[] = [];
  const windowText = config.get<unknown>('window', DEFAULT_WINDOW);
  let windowMillis = typeof windowText === 'string' ? parseWindow(windowText) : undefined;
  if (windowMillis === undefined) {
    problems.push(`spanlens.window "${String(windowText)}" is not a window like 15m, 1h, 6h, 24h or 7d; using ${DEFAULT_WINDOW}`);
    windowMillis = parseWindow(DEFAULT_WINDOW) ?? 3_600_000;
  }
  const slowMs = config.get<number>('slowThresholdMs', DEFAULT_SLOW_THRESHOLD_MS);
  const slowThresholdMs = typeof slowMs === 'number' && Number.isFinite(slowMs) && slowMs >= 0 ? slowMs : DEFAULT_SLOW_THRESHOLD_MS;
  return {
    codeLensEnabled: config.get<boolean>('codeLens.enabled', true) !== false,
    windowMillis,
    slowThresholdNano: slowThresholdMs * 1_000_000,
    pathMappings: readPathMappings(config.get<unknown>('pathMappings', []), problems),
    hotSpotRanking: config.get<string>('hotSpots.rankBy', 'totalTime') === 'p95' ? 'p95' : 'totalTime',
    problems,
  };
}

function readPathMappings(raw: unknown, problems: string[]): PathMapping[] {
  if (!Array.isArray(raw)) {
    problems.push('spanlens.pathMappings must be a list of { "remoteRoot", "localRoot" }');
    return [];
  }
  const mappings: PathMapping[] = [];
  raw.forEach((entry: unknown, index) => {
    const record = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : {};
    const { remoteRoot, localRoot } = record;
    if (typeof remoteRoot !== 'string' || remoteRoot === '' || typeof localRoot !== 'string' || localRoot === '') {
      problems.push(`spanlens.pathMappings[${index}] needs a non-empty "remoteRoot" and "localRoot"`);
      return;
    }
    const expanded = expandWorkspaceFolder(localRoot);
    if (typeof expanded !== 'string') problems.push(`spanlens.pathMappings[${index}]: ${expanded.problem}`);
    else mappings.push({ remoteRoot, localRoot: expanded });
  });
  return mappings;
}

/** Replaces `${workspaceFolder}` (the first folder) and `${workspaceFolder:name}`, as launch configurations do. */
function expandWorkspaceFolder(localRoot: string): string | { problem: string } {
  const folders = vscode.workspace.workspaceFolders ?? [];
  let problem: string | undefined;
  const expanded = localRoot.replace(/\$\{workspaceFolder(?::([^}]*))?\}/g, (_match, name: string | undefined) => {
    const folder = name === undefined ? folders[0] : folders.find((candidate) => candidate.name === name);
    if (folder === undefined) {
      problem ??= name === undefined ? '${workspaceFolder} needs an open folder' : `no workspace folder is named "${name}"`;
      return '';
    }
    return folder.uri.fsPath;
  });
  return problem === undefined ? expanded : { problem };
}
