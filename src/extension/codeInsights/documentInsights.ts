import * as vscode from 'vscode';
import type { SourceResolution } from '../../core/codeMapping/sourceResolver';
import type { CodeStatsProvenance, CodeStatsRow, CodeStatsSummary } from '../../core/stats/codeStats';
import { mergeRows } from '../../core/stats/codeStats';
import type { FunctionRange } from './functionRanges';
import { enclosingFunction } from './functionRanges';
import { SHOW_SLOWEST_TRACES_COMMAND } from './insightCommands';
import { lensText } from './lensText';

/** A statistics row and where its code is in the workspace, if anywhere. */
export interface ResolvedRow {
  readonly row: CodeStatsRow;
  readonly resolution: SourceResolution;
}

/** Statistics of one service through one function. */
export interface ServiceInsight {
  readonly serviceName: string;
  readonly summary: CodeStatsSummary;
  readonly rows: readonly ResolvedRow[];
}

/** Everything known about one function of a document: the rows that map into it, merged per service. */
export interface FunctionInsight {
  readonly uri: vscode.Uri;
  /** The symbol's name, else the name the spans give. */
  readonly name: string;
  /** 0-based line of the function's name; the lens and the hover are there. */
  readonly nameLine: number;
  readonly range: vscode.Range;
  readonly rows: readonly ResolvedRow[];
  /** By service, busiest first. */
  readonly services: readonly ServiceInsight[];
  readonly summary: CodeStatsSummary;
}

/** What a lens or hover link hands back to identify a function. */
export interface FunctionKey {
  /** Document URI as a string. */
  readonly uri: string;
  /** 0-based line of the function's name. */
  readonly line: number;
  /** Only this service's traces, when the function runs in several. */
  readonly serviceName?: string;
}

export interface DocumentInsights {
  readonly version: number;
  readonly functions: ReadonlyMap<number, FunctionInsight>;
  readonly lenses: readonly vscode.CodeLens[];
  /** Lens lines and texts; equal signatures need no lens refresh. */
  readonly signature: string;
}

export interface LensOptions {
  readonly provenance: CodeStatsProvenance;
  readonly slowThresholdNano: number;
  readonly lensesEnabled: boolean;
}

/**
 * Groups the rows that resolved into `document` by the function enclosing their line: a function reported
 * under several raw keys (file and line by one SDK, function name by another, a container path) gets one lens,
 * or one per service when it runs in several.
 */
export function buildDocumentInsights(
  document: vscode.TextDocument,
  rows: readonly ResolvedRow[],
  ranges: readonly FunctionRange[],
  options: LensOptions,
): DocumentInsights {
  const groups = new Map<number, { name: string; range: vscode.Range; rows: ResolvedRow[] }>();
  const lastLine = Math.max(0, document.lineCount - 1);
  for (const resolved of rows) {
    if (resolved.resolution.kind !== 'resolved') continue;
    const line = Math.min(lastLine, Math.max(0, resolved.resolution.location.lineNumber - 1));
    const enclosing = enclosingFunction(ranges, line);
    const nameLine = enclosing?.nameLine ?? line;
    let group = groups.get(nameLine);
    if (group === undefined) {
      const name = enclosing?.name ?? resolved.row.location.functionName ?? `line ${line + 1}`;
      group = { name, range: enclosing?.range ?? document.lineAt(line).range, rows: [] };
      groups.set(nameLine, group);
    }
    group.rows.push(resolved);
  }

  const functions = new Map<number, FunctionInsight>();
  const lenses: vscode.CodeLens[] = [];
  const signature: string[] = [];
  for (const nameLine of [...groups.keys()].sort((a, b) => a - b)) {
    const group = groups.get(nameLine) as { name: string; range: vscode.Range; rows: ResolvedRow[] };
    const services = servicesOf(group.rows);
    const insight: FunctionInsight = {
      uri: document.uri,
      name: group.name,
      nameLine,
      range: group.range,
      rows: group.rows,
      services,
      summary: services.length === 1 ? services[0].summary : mergeRows(group.rows.map((resolved) => resolved.row)),
    };
    functions.set(nameLine, insight);
    if (!options.lensesEnabled) continue;
    const lensRange = new vscode.Range(nameLine, 0, nameLine, 0);
    for (const service of services) {
      const serviceName = services.length > 1 ? service.serviceName : undefined;
      const title = lensText(service.summary, options.provenance, { slowThresholdNano: options.slowThresholdNano, serviceName });
      const key: FunctionKey = { uri: document.uri.toString(), line: nameLine, ...(serviceName === undefined ? {} : { serviceName }) };
      lenses.push(
        new vscode.CodeLens(lensRange, {
          title,
          command: SHOW_SLOWEST_TRACES_COMMAND,
          arguments: [key],
          tooltip: `Slowest traces through ${group.name}${serviceName === undefined ? '' : ` in ${serviceName}`}`,
        }),
      );
      signature.push(`${nameLine}:${title}`);
    }
  }
  return { version: document.version, functions, lenses, signature: signature.join('\n') };
}

function servicesOf(rows: readonly ResolvedRow[]): ServiceInsight[] {
  const byService = new Map<string, ResolvedRow[]>();
  for (const resolved of rows) {
    const list = byService.get(resolved.row.serviceName);
    if (list === undefined) byService.set(resolved.row.serviceName, [resolved]);
    else list.push(resolved);
  }
  const services = [...byService].map(([serviceName, serviceRows]) => ({
    serviceName,
    rows: serviceRows,
    summary: serviceRows.length === 1 ? serviceRows[0].row.summary : mergeRows(serviceRows.map((resolved) => resolved.row)),
  }));
  return services.sort((a, b) => b.summary.calls - a.summary.calls || a.serviceName.localeCompare(b.serviceName));
}
