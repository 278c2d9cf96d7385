// A simulated chat model and embedding model, traced as GenAI client spans. Nothing leaves the process: the
// "model" recognizes the sample's questions, asks for the matching tool, then answers from the tool's result.
// Message shapes follow the GenAI input/output messages JSON schema, recorded as JSON strings because span
// attributes in the JS SDK cannot hold structured values.

import type { Span } from '@opentelemetry/api';
import { SpanKind } from '@opentelemetry/api';
import { codeSite } from './codeLocation';
import { QUESTIONS } from './knowledgeBase';
import type { RequestScope } from './requestScope';
import {
  GEN_AI_CONVERSATION_ID,
  GEN_AI_EMBEDDINGS_DIMENSION_COUNT,
  GEN_AI_INPUT_MESSAGES,
  GEN_AI_OPERATION_CHAT,
  GEN_AI_OPERATION_EMBEDDINGS,
  GEN_AI_OPERATION_NAME,
  GEN_AI_OUTPUT_MESSAGES,
  GEN_AI_OUTPUT_TYPE,
  GEN_AI_PROVIDER_NAME,
  GEN_AI_REQUEST_MAX_TOKENS,
  GEN_AI_REQUEST_MODEL,
  GEN_AI_REQUEST_TEMPERATURE,
  GEN_AI_RESPONSE_FINISH_REASONS,
  GEN_AI_RESPONSE_ID,
  GEN_AI_RESPONSE_MODEL,
  GEN_AI_SYSTEM,
  GEN_AI_SYSTEM_INSTRUCTIONS,
  GEN_AI_TOOL_DEFINITIONS,
  GEN_AI_USAGE_INPUT_TOKENS,
  GEN_AI_USAGE_OUTPUT_TOKENS,
} from './semconv';
import { inSpan } from './spans';

export const PROVIDER = 'openai';
export const CHAT_MODEL = 'gpt-4o-mini';
export const CHAT_RESPONSE_MODEL = 'gpt-4o-mini-2024-07-18';
export const EMBEDDING_MODEL = 'text-embedding-3-small';
export const EMBEDDING_DIMENSIONS = 1536;
/** First line of the user-message part that lists the retrieved articles, one title per line. */
export const ARTICLES_HEADING = 'Articles:';

const TEMPERATURE = 0.2;
const MAX_TOKENS = 512;
const RATE_LIMIT_PROBABILITY = 0.07;
const SYSTEM_INSTRUCTIONS = 'You are a support assistant. Answer from the provided articles and tool results; call a tool when account data is needed.';

export type MessagePart =
  | { readonly type: 'text'; readonly content: string }
  | { readonly type: 'tool_call'; readonly id: string; readonly name: string; readonly arguments: Readonly<Record<string, string>> }
  | { readonly type: 'tool_call_response'; readonly id: string; readonly result: Readonly<Record<string, unknown>> };

export interface ChatMessage {
  readonly role: 'user' | 'assistant' | 'tool';
  readonly parts: readonly MessagePart[];
}

export interface ToolDefinition {
  readonly type: 'function';
  readonly name: string;
  readonly description: string;
  readonly parameters: Readonly<Record<string, unknown>>;
}

export interface ToolCall {
  readonly id: string;
  readonly name: string;
  readonly arguments: Readonly<Record<string, string>>;
}

export interface ChatResponse {
  readonly message: ChatMessage;
  readonly finishReason: 'stop' | 'tool_calls';
  /** Set when the model asks for a tool instead of answering. */
  readonly toolCall: ToolCall | undefined;
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** The provider refused the call (HTTP 429): too many tokens per minute. */
export class RateLimitError extends Error {
  override readonly name = 'RateLimitError';
}

const EMBED_QUERY = codeSite(__filename, 'embedQuery', 'stable');
const CALL_LLM = codeSite(__filename, 'callLlm', 'stable');

export async function embedQuery(scope: RequestScope, text: string): Promise<number[]> {
  return inSpan(
    scope.tracers.assistant,
    {
      name: `${GEN_AI_OPERATION_EMBEDDINGS} ${EMBEDDING_MODEL}`,
      kind: SpanKind.CLIENT,
      site: EMBED_QUERY,
      attributes: {
        [GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION_EMBEDDINGS,
        [GEN_AI_PROVIDER_NAME]: PROVIDER,
        [GEN_AI_SYSTEM]: PROVIDER,
        [GEN_AI_REQUEST_MODEL]: EMBEDDING_MODEL,
        [GEN_AI_EMBEDDINGS_DIMENSION_COUNT]: EMBEDDING_DIMENSIONS,
      },
    },
    async (span) => {
      await scope.work(scope.random.latencyMillis(35, 90, 600));
      span.setAttributes({ [GEN_AI_RESPONSE_MODEL]: EMBEDDING_MODEL, [GEN_AI_USAGE_INPUT_TOKENS]: tokenCount(text) });
      return Array.from({ length: EMBEDDING_DIMENSIONS }, () => scope.random.next() * 2 - 1);
    },
  );
}

/** One chat completion; a rate-limited first attempt is retried once after a back-off. */
export async function chatWithRetry(scope: RequestScope, messages: readonly ChatMessage[], tools: readonly ToolDefinition[]): Promise<ChatResponse> {
  try {
    return await callLlm(scope, messages, tools);
  } catch (error) {
    if (!(error instanceof RateLimitError)) throw error;
    await scope.work(scope.random.latencyMillis(500, 900, 2000));
    return callLlm(scope, messages, tools);
  }
}

export async function callLlm(scope: RequestScope, messages: readonly ChatMessage[], tools: readonly ToolDefinition[]): Promise<ChatResponse> {
  return inSpan(
    scope.tracers.assistant,
    {
      name: `${GEN_AI_OPERATION_CHAT} ${CHAT_MODEL}`,
      kind: SpanKind.CLIENT,
      site: CALL_LLM,
      attributes: {
        [GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION_CHAT,
        [GEN_AI_PROVIDER_NAME]: PROVIDER,
        [GEN_AI_SYSTEM]: PROVIDER,
        [GEN_AI_REQUEST_MODEL]: CHAT_MODEL,
        [GEN_AI_REQUEST_TEMPERATURE]: TEMPERATURE,
        [GEN_AI_REQUEST_MAX_TOKENS]: MAX_TOKENS,
        [GEN_AI_OUTPUT_TYPE]: 'text',
        [GEN_AI_CONVERSATION_ID]: `conv-${scope.requestNumber}`,
        [GEN_AI_SYSTEM_INSTRUCTIONS]: JSON.stringify([{ type: 'text', content: SYSTEM_INSTRUCTIONS }]),
        [GEN_AI_INPUT_MESSAGES]: JSON.stringify(messages),
        [GEN_AI_TOOL_DEFINITIONS]: JSON.stringify(tools),
      },
    },
    async (span) => {
      if (scope.random.chance(RATE_LIMIT_PROBABILITY)) {
        await scope.work(scope.random.latencyMillis(60, 150, 500));
        throw new RateLimitError(`Rate limit reached for ${CHAT_MODEL} in organization org-sample on tokens per min (TPM): Limit 200000. Please try again in 600ms.`);
      }
      const response = respond(scope, messages, tools);
      await scope.work(scope.random.latencyMillis(320, 900, 4000) + response.outputTokens * 12);
      recordResponse(span, scope, response);
      return response;
    },
  );
}

function respond(scope: RequestScope, messages: readonly ChatMessage[], tools: readonly ToolDefinition[]): ChatResponse {
  const inputTokens = tokenCount(SYSTEM_INSTRUCTIONS) + tokenCount(JSON.stringify(messages)) + tokenCount(JSON.stringify(tools));
  const question = QUESTIONS.find((candidate) => messages.some((message) => message.role === 'user' && textOf(message).includes(candidate.text)));
  const toolResult = messages.flatMap((message) => message.parts).find((part) => part.type === 'tool_call_response');
  if (question !== undefined && toolResult === undefined && tools.some((tool) => tool.name === question.tool)) {
    const toolCall: ToolCall = { id: `call_${scope.random.hex(24)}`, name: question.tool, arguments: question.toolArguments };
    const message: ChatMessage = { role: 'assistant', parts: [{ type: 'tool_call', ...toolCall }] };
    return { message, finishReason: 'tool_calls', toolCall, inputTokens, outputTokens: 14 + tokenCount(JSON.stringify(toolCall.arguments)) };
  }
  const answer = composeAnswer(messages, toolResult);
  const message: ChatMessage = { role: 'assistant', parts: [{ type: 'text', content: answer }] };
  return { message, finishReason: 'stop', toolCall: undefined, inputTokens, outputTokens: tokenCount(answer) };
}

function composeAnswer(messages: readonly ChatMessage[], toolResult: MessagePart | undefined): string {
  const context = messages.flatMap((message) => message.parts).find((part) => part.type === 'text' && part.content.startsWith(ARTICLES_HEADING));
  const article = context?.type === 'text' ? context.content.split('\n')[1] : undefined;
  const facts = toolResult?.type === 'tool_call_response' ? Object.entries(toolResult.result) : [];
  const details = facts.map(([key, value]) => `${key.replace(/_/g, ' ')}: ${String(value)}`).join('; ');
  const sentences = [
    details.length > 0 ? `Here is what I found on your account (${details}).` : 'I could not find account details for this request.',
    article === undefined ? 'Let me know if you need anything else.' : `The help-center article "${article}" explains the next steps.`,
  ];
  return sentences.join(' ');
}

function recordResponse(span: Span, scope: RequestScope, response: ChatResponse): void {
  span.setAttributes({
    [GEN_AI_RESPONSE_MODEL]: CHAT_RESPONSE_MODEL,
    [GEN_AI_RESPONSE_ID]: `chatcmpl-${scope.random.hex(24)}`,
    [GEN_AI_RESPONSE_FINISH_REASONS]: [response.finishReason],
    [GEN_AI_USAGE_INPUT_TOKENS]: response.inputTokens,
    [GEN_AI_USAGE_OUTPUT_TOKENS]: response.outputTokens,
    [GEN_AI_OUTPUT_MESSAGES]: JSON.stringify([{ ...response.message, finish_reason: response.finishReason }]),
  });
}

function textOf(message: ChatMessage): string {
  return message.parts.map((part) => (part.type === 'text' ? part.content : '')).join('\n');
}

/** Roughly four characters per token, as for English text with OpenAI's tokenizers. */
function tokenCount(text: string): number {
  return Math.ceil(text.length / 4);
}
