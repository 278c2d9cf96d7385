import * as vscode from 'vscode';
import { formatDurationNano } from '../../core/model/time';
import type { CodeStatsSummary } from '../../core/stats/codeStats';
import { mergeRows } from '../../core/stats/codeStats';
import type { CodeInsights } from './codeInsights';
import type { ResolvedRow } from './documentInsights';
import type { HotSpotRanking } from './insightSettings';
import { compactCount, percentText } from './lensText';

export const HOT_SPOTS_VIEW_ID = 'spanlens.hotSpots';
/** Context key the view title's ranking toggle reads. */
export const HOT_SPOTS_RANK_CONTEXT = 'spanlens.hotSpotsRank';
const MAX_PER_SERVICE = 100;

interface ServiceNode {
  readonly kind: 'service';
  readonly serviceName: string;
  readonly spots: readonly HotSpotNode[];
  readonly rankValue: number;
}

interface HotSpotNode {
  readonly kind: 'spot';
  readonly name: string;
  readonly summary: CodeStatsSummary;
  readonly rows: readonly ResolvedRow[];
  readonly rankValue: number;
}

type HotSpotsNode = ServiceNode | HotSpotNode;

/** Functions ranked by total time (calls × mean) or p95, grouped by service; each jumps to its code. */
export class HotSpotsView implements vscode.TreeDataProvider<HotSpotsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private services: readonly ServiceNode[] = [];
  private ranking: HotSpotRanking;

  constructor(private readonly insights: CodeInsights) {
    this.ranking = insights.settings.hotSpotRanking;
    const view = vscode.window.createTreeView(HOT_SPOTS_VIEW_ID, { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(
      view,
      view.onDidChangeVisibility((event) => insights.setHotSpotsVisible(event.visible)),
      insights.onDidChangeInsights(() => this.rebuild()),
    );
    insights.setHotSpotsVisible(view.visible);
    void vscode.commands.executeCommand('setContext', HOT_SPOTS_RANK_CONTEXT, this.ranking);
    this.rebuild();
  }

  getChildren(element?: HotSpotsNode): HotSpotsNode[] {
    if (element === undefined) return [...this.services];
    return element.kind === 'service' ? [...element.spots] : [];
  }

  getTreeItem(element: HotSpotsNode): vscode.TreeItem {
    return element.kind === 'service' ? this.serviceItem(element) : this.spotItem(element);
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }

  private rebuild(): void {
    this.ranking = this.insights.settings.hotSpotRanking;
    void vscode.commands.executeCommand('setContext', HOT_SPOTS_RANK_CONTEXT, this.ranking);
    const byService = new Map<string, Map<string, ResolvedRow[]>>();
    for (const resolved of this.insights.rows()) {
      let spots = byService.get(resolved.row.serviceName);
      if (spots === undefined) byService.set(resolved.row.serviceName, (spots = new Map()));
      const key = spotKey(resolved);
      const list = spots.get(key);
      if (list === undefined) spots.set(key, [resolved]);
      else list.push(resolved);
    }
    const services: ServiceNode[] = [];
    for (const [serviceName, spots] of byService) {
      const nodes = [...spots].map(([name, rows]): HotSpotNode => {
        const summary = rows.length === 1 ? rows[0].row.summary : mergeRows(rows.map((resolved) => resolved.row));
        return { kind: 'spot', name, summary, rows, rankValue: this.rankOf(summary) };
      });
      nodes.sort((a, b) => b.rankValue - a.rankValue || a.name.localeCompare(b.name));
      const rankValue = this.ranking === 'p95' ? (nodes[0]?.rankValue ?? 0) : nodes.reduce((sum, node) => sum + node.rankValue, 0);
      services.push({ kind: 'service', serviceName, spots: nodes.slice(0, MAX_PER_SERVICE), rankValue });
    }
    this.services = services.sort((a, b) => b.rankValue - a.rankValue || a.serviceName.localeCompare(b.serviceName));
    this.changed.fire();
  }

  private rankOf(summary: CodeStatsSummary): number {
    return this.ranking === 'p95' ? summary.p95Nano : summary.totalNano;
  }

  private serviceItem(node: ServiceNode): vscode.TreeItem {
    const item = new vscode.TreeItem(node.serviceName, vscode.TreeItemCollapsibleState.Expanded);
    item.iconPath = new vscode.ThemeIcon('server-process');
    const measure = this.ranking === 'p95' ? `worst p95 ${formatDurationNano(node.rankValue)}` : `${formatDurationNano(node.rankValue)} total`;
    item.description = `${measure} · ${node.spots.length} functions`;
    item.id = `service:${node.serviceName}`;
    return item;
  }

  private spotItem(node: HotSpotNode): vscode.TreeItem {
    const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.None);
    const { summary } = node;
    const resolved = node.rows.find((row) => row.resolution.kind === 'resolved');
    const figures = `p95 ${formatDurationNano(summary.p95Nano)} · ${formatDurationNano(summary.totalNano)} total · ${compactCount(summary.calls)} calls`;
    const errors = summary.errors > 0 ? ` · ${percentText(summary.errorRate)} errors` : '';
    const slow = summary.p95Nano > this.insights.settings.slowThresholdNano;
    item.id = `spot:${node.rows[0].row.serviceName}:${node.name}`;
    if (resolved !== undefined && resolved.resolution.kind === 'resolved') {
      const { location, detail } = resolved.resolution;
      const uri = vscode.Uri.file(location.filePath);
      const line = Math.max(0, location.lineNumber - 1);
      item.description = figures + errors;
      item.iconPath = new vscode.ThemeIcon(slow ? 'flame' : 'symbol-function');
      item.resourceUri = uri;
      item.tooltip = `${node.name}\n${figures}${errors}\n${vscode.workspace.asRelativePath(uri)}:${location.lineNumber} (${detail})`;
      item.command = { title: 'Go to Code', command: 'vscode.open', arguments: [uri, { selection: new vscode.Range(line, 0, line, 0) }] };
    } else {
      const reason = node.rows.map((row) => (row.resolution.kind === 'unresolved' ? row.resolution.reason : '')).find((text) => text !== '') ?? 'not found';
      item.description = `not in this workspace: ${reason}`;
      item.iconPath = new vscode.ThemeIcon('warning');
      item.tooltip = `${node.name}\n${figures}${errors}\nNot found in this workspace: ${reason}\nspanlens.pathMappings maps paths from containers or CI onto the workspace.`;
    }
    return item;
  }
}

/** How a hot spot is named: its function, else its file and line, else its stack trace's first line. */
function spotKey(resolved: ResolvedRow): string {
  const { location } = resolved.row;
  if (location.functionName !== undefined) return location.functionName;
  if (location.filePath !== undefined) {
    const file = location.filePath.slice(Math.max(location.filePath.lastIndexOf('/'), location.filePath.lastIndexOf('\\')) + 1);
    return location.lineNumber === undefined ? file : `${file}:${location.lineNumber}`;
  }
  return location.stackTrace?.split('\n', 1)[0].trim() ?? 'unknown location';
}
