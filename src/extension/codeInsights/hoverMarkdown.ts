import * as vscode from 'vscode';
import { formatDurationNano } from '../../core/model/time';
import type { CodeStatsProvenance, CodeStatsSummary, SlowSpanRef } from '../../core/stats/codeStats';
import type { FunctionInsight } from './documentInsights';
import { OPEN_SPAN_COMMAND, SHOW_SLOWEST_TRACES_COMMAND, commandLink } from './insightCommands';
import type { SpanTarget } from './insightCommands';
import { compactCount, displayModels, percentText, tokensPerCallText } from './lensText';

const BAR_WIDTH = 24;
const HOVER_SLOWEST = 5;
const MAX_DETAILS = 3;

/** What the hover knows about the latest error's message. */
export type ErrorMessageState = { kind: 'message'; text: string } | { kind: 'none' } | { kind: 'unavailable'; reason: string };

/** The hover's markdown: figures, a latency histogram, the slowest traces as links, the latest error. */
export function hoverMarkdown(
  insight: FunctionInsight,
  provenance: CodeStatsProvenance,
  backendName: string,
  latestError: ErrorMessageState | undefined,
): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString(undefined, true);
  markdown.isTrusted = { enabledCommands: [OPEN_SPAN_COMMAND, SHOW_SLOWEST_TRACES_COMMAND] };
  const { summary } = insight;
  const services = insight.services.map((service) => service.serviceName);
  markdown.appendMarkdown(`**${escape(insight.name)}** · ${escape(services.join(', '))} · ${escape(provenance.label)}\n\n`);
  markdown.appendMarkdown(`${escape(figures(summary))}\n\n`);
  if (insight.services.length > 1) {
    for (const service of insight.services) markdown.appendMarkdown(`- ${escape(service.serviceName)}: ${escape(figures(service.summary))}\n`);
    markdown.appendMarkdown('\n');
  }
  const histogram = histogramText(summary);
  if (histogram !== undefined) markdown.appendCodeblock(histogram, 'text');

  const slowest = summary.slowest.slice(0, HOVER_SLOWEST);
  if (slowest.length > 0) {
    markdown.appendMarkdown('\n**Slowest traces**\n\n');
    for (const ref of slowest) {
      markdown.appendMarkdown(`- [${escape(refText(ref))}](${commandLink(OPEN_SPAN_COMMAND, target(backendName, ref))} "Open in the waterfall")\n`);
    }
    const key = { uri: insight.uri.toString(), line: insight.nameLine };
    markdown.appendMarkdown(`\n[$(list-flat) All slowest traces](${commandLink(SHOW_SLOWEST_TRACES_COMMAND, key)})\n`);
  }
  if (summary.latestError !== undefined) {
    const ref = summary.latestError;
    const link = `[${escape(refText(ref))}](${commandLink(OPEN_SPAN_COMMAND, target(backendName, ref))})`;
    markdown.appendMarkdown(`\n**Latest error** ${link}\n\n`);
    if (latestError?.kind === 'message') markdown.appendCodeblock(latestError.text, 'text');
    else if (latestError?.kind === 'none') markdown.appendMarkdown('_The span has error status but no message._\n');
    else if (latestError?.kind === 'unavailable') markdown.appendMarkdown(`_Its message could not be read: ${escape(latestError.reason)}_\n`);
  }
  const details = [...new Set(insight.rows.flatMap((resolved) => (resolved.resolution.kind === 'resolved' ? [resolved.resolution.detail] : [])))];
  if (details.length > 0) {
    const shown = details.slice(0, MAX_DETAILS).map(escape).join('; ');
    markdown.appendMarkdown(`\n---\n_${shown}${details.length > MAX_DETAILS ? ` (+${details.length - MAX_DETAILS} more)` : ''}_\n`);
  }
  return markdown;
}

function figures(summary: CodeStatsSummary): string {
  const parts = [
    `p50 ${formatDurationNano(summary.p50Nano)}`,
    `p95 ${formatDurationNano(summary.p95Nano)}`,
    `p99 ${formatDurationNano(summary.p99Nano)}`,
    `${compactCount(summary.calls)} calls`,
    `${percentText(summary.errorRate)} errors`,
  ];
  if (summary.selfP95Nano !== undefined) parts.push(`self p95 ${formatDurationNano(summary.selfP95Nano)}`);
  if (summary.genAi !== undefined) {
    if (summary.genAi.models.length > 0) parts.push(displayModels(summary.genAi.models).join(', '));
    const tokens = tokensPerCallText(summary.genAi.inputTokensPerCall, summary.genAi.outputTokensPerCall);
    if (tokens !== undefined) parts.push(tokens);
  }
  return parts.join(' · ');
}

/** One text bar per histogram bin: `≤ 142 ms ████████ 120`. */
export function histogramText(summary: CodeStatsSummary): string | undefined {
  const bins = summary.histogram ?? [];
  if (bins.length === 0) return undefined;
  const most = Math.max(...bins.map((bin) => bin.count));
  const labels = bins.map((bin) => `≤ ${formatDurationNano(bin.upperNano)}`);
  const labelWidth = Math.max(...labels.map((label) => label.length));
  return bins
    .map((bin, i) => {
      const width = most === 0 ? 0 : Math.round((bin.count / most) * BAR_WIDTH);
      const bar = bin.count > 0 && width === 0 ? '▏' : '█'.repeat(width);
      return `${labels[i].padStart(labelWidth)} ${bar.padEnd(BAR_WIDTH)} ${bin.count}`;
    })
    .join('\n');
}

function refText(ref: SlowSpanRef): string {
  return `${formatDurationNano(ref.durationNano)} · ${ref.spanName} · ${ref.serviceName} · ${ago(ref.startUnixMillis)}`;
}

function target(backend: string, ref: SlowSpanRef): SpanTarget {
  return { backend, traceId: ref.traceId, spanId: ref.spanId };
}

/** `12 s ago`, `5 min ago`, `3 h ago`, `2 d ago`. */
export function ago(unixMillis: number, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - unixMillis) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86_400)} d ago`;
}

/** Markdown-escapes text from spans, which may hold anything. */
function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>$]/g, '\\$&');
}
