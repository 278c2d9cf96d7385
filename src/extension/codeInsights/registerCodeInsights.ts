import * as vscode from 'vscode';
import type { BackendManager } from '../backends/backendManager';
import { WaterfallPanel } from '../waterfall/waterfallPanel';
import { CodeInsights } from './codeInsights';
import { EditorCodeNavigator } from './codeNavigator';
import { InsightCodeLensProvider } from './codeLensProvider';
import { HotSpotsView } from './hotSpotsView';
import { InsightHoverProvider } from './hoverProvider';
import {
  OPEN_SPAN_COMMAND,
  RANK_BY_P95_COMMAND,
  RANK_BY_TOTAL_TIME_COMMAND,
  REFRESH_CODE_INSIGHTS_COMMAND,
  SHOW_SLOWEST_TRACES_COMMAND,
} from './insightCommands';
import type { HotSpotRanking } from './insightSettings';
import { openLinkedTrace } from './linkedTraceOpener';
import { showSlowestTracesCommand } from './slowestTracesCommand';
import { asSpanTarget, openSpan } from './spanOpener';

/** Documents lenses and hovers apply to: local files of any language. */
const CODE_SELECTOR: vscode.DocumentSelector = { scheme: 'file' };

export interface RegisteredCodeInsights {
  readonly insights: CodeInsights;
  /** The registered lens provider, which activate() hands to the lens benchmark (see extension.ts). */
  readonly codeLensProvider: vscode.CodeLensProvider;
}

/**
 * Registers lenses, hovers, the hot spots view, the code insight commands and the waterfall's way to code.
 * Returns the service, whose `start()` (workspace scan, statistics) must run after activation, and the lens provider.
 */
export function registerCodeInsights(context: vscode.ExtensionContext, backends: BackendManager): RegisteredCodeInsights {
  const extensionUri = context.extensionUri;
  const insights = new CodeInsights(backends);
  const navigator = new EditorCodeNavigator(insights.resolver, insights.functionRanges);
  const codeLensProvider = new InsightCodeLensProvider(insights);
  context.subscriptions.push(
    insights,
    navigator,
    new HotSpotsView(insights),
    vscode.languages.registerCodeLensProvider(CODE_SELECTOR, codeLensProvider),
    vscode.languages.registerHoverProvider(CODE_SELECTOR, new InsightHoverProvider(insights)),
    vscode.commands.registerCommand(SHOW_SLOWEST_TRACES_COMMAND, (key: unknown) => showSlowestTracesCommand(extensionUri, backends, insights, key)),
    vscode.commands.registerCommand(OPEN_SPAN_COMMAND, async (target: unknown) => {
      const checked = asSpanTarget(target);
      if (checked !== undefined) await openSpan(extensionUri, backends, checked);
    }),
    vscode.commands.registerCommand(REFRESH_CODE_INSIGHTS_COMMAND, () =>
      vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'SpanLens: refreshing code insights' }, () => insights.refresh()),
    ),
    vscode.commands.registerCommand(RANK_BY_TOTAL_TIME_COMMAND, () => setRanking('totalTime')),
    vscode.commands.registerCommand(RANK_BY_P95_COMMAND, () => setRanking('p95')),
    WaterfallPanel.connect({
      revealCode: (location, column) => navigator.reveal(location, column),
      highlightCode: (location, column) => navigator.highlight(location, column),
      openLinkedTrace: (from, traceId, spanId) => openLinkedTrace(extensionUri, backends, from, traceId, spanId),
    }),
  );
  return { insights, codeLensProvider };
}

/** Writes the ranking where it is set now, the user's settings by default. */
async function setRanking(ranking: HotSpotRanking): Promise<void> {
  const config = vscode.workspace.getConfiguration('spanlens');
  const inspected = config.inspect<string>('hotSpots.rankBy');
  const target = inspected?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await config.update('hotSpots.rankBy', ranking, target);
}
