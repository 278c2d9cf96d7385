// The tools the model may call, each backed by one database query. About one call in eleven hits a lock and
// never answers in time: the tool times out, its query is cancelled, and the request fails with 504.

import { SpanKind } from '@opentelemetry/api';
import {
  ATTR_DB_COLLECTION_NAME,
  ATTR_DB_NAMESPACE,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_QUERY_SUMMARY,
  ATTR_DB_QUERY_TEXT,
  ATTR_DB_RESPONSE_STATUS_CODE,
  ATTR_DB_SYSTEM_NAME,
  DB_SYSTEM_NAME_VALUE_POSTGRESQL,
} from '@opentelemetry/semantic-conventions';
import { codeSite } from './codeLocation';
import type { ToolName } from './knowledgeBase';
import type { ToolCall, ToolDefinition } from './llm';
import type { RequestScope } from './requestScope';
import {
  GEN_AI_OPERATION_EXECUTE_TOOL,
  GEN_AI_OPERATION_NAME,
  GEN_AI_TOOL_CALL_ARGUMENTS,
  GEN_AI_TOOL_CALL_ID,
  GEN_AI_TOOL_CALL_RESULT,
  GEN_AI_TOOL_DESCRIPTION,
  GEN_AI_TOOL_NAME,
  GEN_AI_TOOL_TYPE,
} from './semconv';
import { inSpan } from './spans';

export const TOOL_TIMEOUT_MILLIS = 1500;
const TOOL_STALL_PROBABILITY = 0.09;
/** PostgreSQL's SQLSTATE for query_canceled. */
const QUERY_CANCELED = '57014';

export type ToolResult = Readonly<Record<string, string | number | boolean>>;

interface Tool {
  readonly definition: ToolDefinition;
  readonly table: string;
  readonly query: string;
  readonly run: (scope: RequestScope, args: Readonly<Record<string, string>>) => ToolResult;
}

/** The tool did not answer within TOOL_TIMEOUT_MILLIS. */
export class ToolTimeoutError extends Error {
  override readonly name = 'ToolTimeoutError';
}

/** The database cancelled the statement because its caller gave up. */
export class QueryCanceledError extends Error {
  override readonly name = 'QueryCanceledError';
}

function stringParameter(name: string, description: string): Readonly<Record<string, unknown>> {
  return { type: 'object', properties: { [name]: { type: 'string', description } }, required: [name] };
}

const TOOLS: ReadonlyMap<string, Tool> = new Map<ToolName, Tool>([
  [
    'get_order_status',
    {
      definition: { type: 'function', name: 'get_order_status', description: 'Shipping status of an order', parameters: stringParameter('order_id', 'The order number') },
      table: 'orders',
      query: 'SELECT status, carrier, estimated_delivery FROM orders WHERE id = $1',
      run: (scope, args) => ({
        order_id: args.order_id ?? '',
        status: scope.random.pick(['in transit', 'delayed at the carrier hub', 'out for delivery', 'delivered']),
        carrier: scope.random.pick(['DHL', 'UPS', 'PostNL']),
        estimated_delivery_days: scope.random.integer(1, 4),
      }),
    },
  ],
  [
    'get_invoice',
    {
      definition: { type: 'function', name: 'get_invoice', description: 'Amount, status and payments of an invoice', parameters: stringParameter('invoice_id', 'The invoice number') },
      table: 'invoices',
      query: 'SELECT amount_cents, currency, status, payment_method FROM invoices WHERE id = $1',
      run: (scope, args) => ({
        invoice_id: args.invoice_id ?? '',
        amount: `${scope.random.integer(19, 249)}.00 EUR`,
        status: scope.random.pick(['paid', 'refund pending', 'partially refunded']),
        payment_method: scope.random.pick(['card', 'SEPA direct debit', 'PayPal']),
      }),
    },
  ],
  [
    'get_service_status',
    {
      definition: { type: 'function', name: 'get_service_status', description: 'Current status and open incidents of a region', parameters: stringParameter('region', 'Region name, e.g. eu-west-1') },
      table: 'incidents',
      query: 'SELECT severity, title, started_at FROM incidents WHERE region = $1 AND resolved_at IS NULL',
      run: (scope, args) => ({
        region: args.region ?? '',
        status: scope.random.pick(['operational', 'degraded performance', 'partial outage']),
        open_incidents: scope.random.integer(0, 2),
      }),
    },
  ],
]);

export const TOOL_DEFINITIONS: readonly ToolDefinition[] = [...TOOLS.values()].map((tool) => tool.definition);

const EXECUTE_TOOL = codeSite(__filename, 'executeTool', 'stable');
const QUERY_TOOL_BACKEND = codeSite(__filename, 'queryToolBackend', 'deprecated');

export async function executeTool(scope: RequestScope, call: ToolCall): Promise<ToolResult> {
  const tool = TOOLS.get(call.name);
  return inSpan(
    scope.tracers.assistant,
    {
      name: `${GEN_AI_OPERATION_EXECUTE_TOOL} ${call.name}`,
      site: EXECUTE_TOOL,
      attributes: {
        [GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION_EXECUTE_TOOL,
        [GEN_AI_TOOL_NAME]: call.name,
        [GEN_AI_TOOL_CALL_ID]: call.id,
        [GEN_AI_TOOL_TYPE]: 'function',
        [GEN_AI_TOOL_DESCRIPTION]: tool?.definition.description ?? '',
        [GEN_AI_TOOL_CALL_ARGUMENTS]: JSON.stringify(call.arguments),
      },
    },
    async (span) => {
      if (tool === undefined) throw new Error(`the model asked for an unknown tool: ${call.name}`);
      const deadline = new AbortController();
      const timer = setTimeout(() => {
        deadline.abort(new ToolTimeoutError(`${call.name} did not answer within ${TOOL_TIMEOUT_MILLIS} ms`));
      }, scope.scaledMillis(TOOL_TIMEOUT_MILLIS));
      try {
        const result = await queryToolBackend(scope, tool, call.arguments, deadline.signal);
        span.setAttribute(GEN_AI_TOOL_CALL_RESULT, JSON.stringify(result));
        return result;
      } catch (error) {
        throw deadline.signal.aborted ? deadline.signal.reason : error;
      } finally {
        clearTimeout(timer);
      }
    },
  );
}

async function queryToolBackend(scope: RequestScope, tool: Tool, args: Readonly<Record<string, string>>, signal: AbortSignal): Promise<ToolResult> {
  return inSpan(
    scope.tracers.assistant,
    {
      name: `SELECT ${tool.table}`,
      kind: SpanKind.CLIENT,
      site: QUERY_TOOL_BACKEND,
      attributes: {
        [ATTR_DB_SYSTEM_NAME]: DB_SYSTEM_NAME_VALUE_POSTGRESQL,
        [ATTR_DB_NAMESPACE]: 'support',
        [ATTR_DB_COLLECTION_NAME]: tool.table,
        [ATTR_DB_OPERATION_NAME]: 'SELECT',
        [ATTR_DB_QUERY_SUMMARY]: `SELECT ${tool.table}`,
        [ATTR_DB_QUERY_TEXT]: tool.query,
      },
    },
    async (span) => {
      const stalled = scope.random.chance(TOOL_STALL_PROBABILITY);
      const millis = stalled ? scope.random.latencyMillis(4500, 6000, 9000) : scope.random.latencyMillis(60, 180, 800);
      try {
        await scope.work(millis, signal);
      } catch {
        span.setAttribute(ATTR_DB_RESPONSE_STATUS_CODE, QUERY_CANCELED);
        throw new QueryCanceledError('canceling statement due to user request');
      }
      return tool.run(scope, args);
    },
  );
}
