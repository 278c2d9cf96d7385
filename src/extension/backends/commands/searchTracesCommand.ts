import * as vscode from 'vscode';
import { parseDurationInput } from '../../../core/backends/durations';
import type { TraceQuery, TraceSummary } from '../../../core/backends/traceBackend';
import { formatDurationNano } from '../../../core/model/time';
import { pickOrType } from '../../common/pickOrType';
import type { ActiveBackend, BackendManager } from '../backendManager';
import { openBackendTrace } from '../openBackendTrace';
import { requireActiveBackend } from '../requireActiveBackend';
import { withBackendProgress } from '../withBackendProgress';

const LOOKBACKS: readonly { label: string; millis: number }[] = [
  { label: 'Last 15 minutes', millis: 15 * 60_000 },
  { label: 'Last hour', millis: 3_600_000 },
  { label: 'Last 6 hours', millis: 6 * 3_600_000 },
  { label: 'Last 24 hours', millis: 24 * 3_600_000 },
  { label: 'Last 2 days', millis: 48 * 3_600_000 },
  { label: 'Last 7 days', millis: 7 * 24 * 3_600_000 },
];

const ANY = '$(circle-slash) Any';
const LAST_TRACEQL_KEY = 'spanlens.lastTraceQL';

/**
 * "SpanLens: Search Traces": service, operation, minimum duration, attribute filters and lookback, or raw
 * TraceQL where the backend speaks it; then a pick of the results, which opens in the waterfall.
 */
export async function searchTracesCommand(
  extensionUri: vscode.Uri,
  manager: BackendManager,
  memento: vscode.Memento,
  queryArgument?: unknown,
): Promise<void> {
  const active = await requireActiveBackend(manager);
  if (!active) return;
  let query: TraceQuery | undefined;
  if (queryArgument !== undefined) {
    const parsed = queryFromArgument(queryArgument);
    if (typeof parsed === 'string') {
      void vscode.window.showErrorMessage(`SpanLens: ${parsed}`);
      return;
    }
    query = parsed;
  } else {
    query = await buildQuery(active, memento);
  }
  if (!query) return;
  const result = await withBackendProgress(`SpanLens: searching ${active.config.name}`, (signal) => active.backend.searchTraces(query, { signal }), active.reportHealth);
  if (!result) return;
  if (result.summaries.length === 0) {
    void vscode.window.showInformationMessage(`SpanLens: no traces in ${active.config.name} matched.`);
    return;
  }
  const picked = await vscode.window.showQuickPick(
    result.summaries.map((summary) => ({ ...describeSummary(summary), summary })),
    {
      title: `${result.summaries.length} traces from ${active.config.name}${result.warnings.length ? ` (${result.warnings.join('; ')})` : ''}`,
      placeHolder: 'Pick a trace to open in the waterfall',
      matchOnDescription: true,
      matchOnDetail: true,
    },
  );
  if (picked) await openBackendTrace(extensionUri, active, picked.summary.traceId);
}

async function buildQuery(active: ActiveBackend, memento: vscode.Memento): Promise<TraceQuery | undefined> {
  const { backend } = active;
  const capabilities = backend.capabilities;
  if (capabilities.traceQL) {
    const mode = await vscode.window.showQuickPick(
      [
        { label: '$(filter) Build a search', description: 'service, operation, duration, attributes', traceQL: false },
        { label: '$(code) Write TraceQL', description: '{ span.http.status_code >= 500 }', traceQL: true },
      ],
      { title: `Search ${active.config.name}` },
    );
    if (!mode) return undefined;
    if (mode.traceQL) {
      const traceQL = await vscode.window.showInputBox({
        title: 'TraceQL query',
        value: memento.get<string>(LAST_TRACEQL_KEY, '{ }'),
        prompt: 'For example { resource.service.name = "api" && span:duration > 100ms }',
        ignoreFocusOut: true,
        validateInput: (text) => (text.trim() === '' ? 'Enter a TraceQL query' : undefined),
      });
      if (traceQL === undefined) return undefined;
      await memento.update(LAST_TRACEQL_KEY, traceQL);
      const lookbackMillis = await pickLookback();
      return lookbackMillis === undefined ? undefined : { traceQL, lookbackMillis, limit: searchLimit() };
    }
  }

  const services = await withBackendProgress(`SpanLens: listing services of ${active.config.name}`, (signal) => backend.listServices({ signal }), active.reportHealth);
  if (!services) return undefined;
  const serviceChoices = capabilities.searchNeedsService ? [...services] : [ANY, ...services];
  const servicePick = await pickOrType({ title: 'Service', placeholder: 'Pick or type a service', values: serviceChoices });
  if (servicePick === undefined) return undefined;
  const service = servicePick === ANY ? undefined : servicePick;

  let operation: string | undefined;
  if (service !== undefined && capabilities.operations) {
    const operations = await withBackendProgress(`SpanLens: listing operations of ${service}`, (signal) => backend.listOperations(service, { signal }));
    if (!operations) return undefined;
    const names = [...new Set(operations.map((op) => op.name))].sort();
    const operationPick = await pickOrType({ title: 'Operation', placeholder: 'Pick or type an operation', values: [ANY, ...names] });
    if (operationPick === undefined) return undefined;
    operation = operationPick === ANY ? undefined : operationPick;
  }

  const minDurationText = await vscode.window.showInputBox({
    title: 'Minimum duration',
    prompt: 'Leave empty for any duration; e.g. 100ms, 1.5s',
    ignoreFocusOut: true,
    validateInput: (text) => {
      if (text.trim() === '') return undefined;
      const parsed = parseDurationInput(text);
      return parsed.ok ? undefined : parsed.message;
    },
  });
  if (minDurationText === undefined) return undefined;
  const minDuration = minDurationText.trim() === '' ? undefined : parseDurationInput(minDurationText);

  const attributes = capabilities.attributeSearch ? await pickAttributes(active) : {};
  if (!attributes) return undefined;

  const lookbackMillis = await pickLookback();
  if (lookbackMillis === undefined) return undefined;
  return {
    service,
    operation,
    minDurationNano: minDuration?.ok ? minDuration.nanos : undefined,
    attributes,
    lookbackMillis,
    limit: searchLimit(),
  };
}

/** Attribute filters one at a time; tag names and values come from the backend where it can list them. */
async function pickAttributes(active: ActiveBackend): Promise<Record<string, string> | undefined> {
  const attributes: Record<string, string> = {};
  const { backend } = active;
  for (;;) {
    const filters = Object.entries(attributes).map(([key, value]) => `${key}=${value}`);
    const next = await vscode.window.showQuickPick(
      [
        { label: '$(search) Search', description: filters.length ? filters.join(' ') : 'no attribute filters', add: false },
        { label: '$(add) Add an attribute filter…', description: 'key = value', add: true },
      ],
      { title: 'Attribute filters', ignoreFocusOut: true },
    );
    if (!next) return undefined;
    if (!next.add) return attributes;
    let keys: string[] = [];
    if (backend.capabilities.tagCompletion) {
      const names = await withBackendProgress('SpanLens: listing attribute names', (signal) => backend.tagNames(undefined, { signal }));
      keys = names ? [...new Set(names.map((tag) => (tag.scope && tag.scope !== 'intrinsic' ? `${tag.scope}.${tag.name}` : tag.name)))] : [];
    }
    const key = await pickOrType({ title: 'Attribute name', placeholder: 'e.g. http.status_code', values: keys });
    if (key === undefined) continue;
    let values: string[] = [];
    if (backend.capabilities.tagCompletion) {
      const found = await withBackendProgress(`SpanLens: listing values of ${key}`, (signal) => backend.tagValues(key, { signal }));
      values = found ? found.map((value) => value.value) : [];
    }
    const value = await pickOrType({ title: `Value of ${key}`, placeholder: 'Pick or type a value', values });
    if (value !== undefined) attributes[key] = value;
  }
}

async function pickLookback(): Promise<number | undefined> {
  const picked = await vscode.window.showQuickPick(LOOKBACKS, { title: 'Time range', placeHolder: 'Search traces that started in…' });
  return picked?.millis;
}

/**
 * A search given by a caller (a keybinding's args, another extension, a test) instead of the pick flow:
 * `{ service?, operation?, minDuration?: "100ms", lookback?: "1h", attributes?: {k: v}, traceQL?, limit? }`.
 */
function queryFromArgument(argument: unknown): TraceQuery | string {
  if (typeof argument !== 'object' || argument === null) return 'the search argument must be an object';
  const record = argument as Record<string, unknown>;
  const text = (key: string): string | undefined => (typeof record[key] === 'string' && record[key] !== '' ? (record[key] as string) : undefined);
  const duration = (key: string): bigint | string | undefined => {
    const value = text(key);
    if (value === undefined) return undefined;
    const parsed = parseDurationInput(value);
    return parsed.ok ? parsed.nanos : `${key}: ${parsed.message}`;
  };
  const minDuration = duration('minDuration');
  const lookback = duration('lookback');
  if (typeof minDuration === 'string') return minDuration;
  if (typeof lookback === 'string') return lookback;
  const attributes: Record<string, string> = {};
  if (typeof record.attributes === 'object' && record.attributes !== null) {
    for (const [key, value] of Object.entries(record.attributes)) attributes[key] = String(value);
  }
  return {
    service: text('service'),
    operation: text('operation'),
    traceQL: text('traceQL'),
    minDurationNano: minDuration,
    lookbackMillis: lookback === undefined ? 3_600_000 : Number(lookback / 1_000_000n),
    attributes,
    limit: typeof record.limit === 'number' ? record.limit : searchLimit(),
  };
}

function searchLimit(): number {
  return Math.max(1, Math.min(1000, vscode.workspace.getConfiguration('spanlens').get<number>('searchLimit', 20)));
}

function describeSummary(summary: TraceSummary): { label: string; description: string; detail: string } {
  const root = `${summary.rootServiceName ?? '?'}: ${summary.rootSpanName ?? '(root span not found)'}`;
  const parts: string[] = [];
  if (summary.durationNano !== undefined) parts.push(formatDurationNano(Number(summary.durationNano)));
  if (summary.spanCount !== undefined) parts.push(`${summary.spanCount} spans`);
  if (summary.errorCount !== undefined) parts.push(`${summary.errorCount} errors`);
  const start = summary.startTimeUnixNano === undefined ? 'start unknown' : new Date(Number(summary.startTimeUnixNano / 1_000_000n)).toLocaleString();
  return { label: root, description: parts.join(' · '), detail: `${start} · ${summary.traceId}` };
}
