// The GenAI section of the span detail: operation, model, usage, settings, the prompt and completion
// messages and the tool call, read from every naming generation instrumentations still send:
// - current: gen_ai.input.messages / gen_ai.output.messages / gen_ai.system_instructions, as JSON strings or
//   structured values (also on a gen_ai.client.inference.operation.details span event), and gen_ai.tool.*;
// - indexed: gen_ai.prompt.N.role / .content and gen_ai.completion.N.* (OpenLLMetry and others);
// - events: span events gen_ai.{system,user,assistant,tool}.message and gen_ai.choice (semantic conventions
//   up to v1.36), their body in the event attributes or as JSON in gen_ai.event.content;
// - gen_ai.prompt / gen_ai.completion holding a whole conversation, on the span or on gen_ai.content.* events.
import type { AnyValue, Span, SpanEvent } from '../model/trace';
import type {
  GenAiDetail,
  GenAiMessage,
  GenAiMessagePart,
  GenAiMessageSource,
  GenAiSetting,
  GenAiToolDetail,
} from '../../shared/webviewProtocol';
import { ExactNumber, jsonToText, parseJson, parseJsonContainer, plainOfAnyValue, prettyText } from '../layout/jsonText';

/** Messages per list (input, output) beyond this are counted, not kept. */
export const MAX_GENAI_MESSAGES = 200;
/** Parts per message beyond this are summarized in one closing part. */
export const MAX_GENAI_PARTS = 200;

const SETTINGS: readonly (readonly [key: string, label: string])[] = [
  ['gen_ai.request.temperature', 'Temperature'],
  ['gen_ai.request.max_tokens', 'Max tokens'],
  ['gen_ai.request.top_p', 'Top p'],
  ['gen_ai.request.top_k', 'Top k'],
  ['gen_ai.request.frequency_penalty', 'Frequency penalty'],
  ['gen_ai.request.presence_penalty', 'Presence penalty'],
  ['gen_ai.request.stop_sequences', 'Stop sequences'],
  ['gen_ai.request.seed', 'Seed'],
  ['gen_ai.request.choice.count', 'Choices'],
  ['gen_ai.output.type', 'Output type'],
  ['gen_ai.usage.cache_read.input_tokens', 'Cached input tokens'],
  ['gen_ai.usage.cache_creation.input_tokens', 'Cache write tokens'],
  ['gen_ai.response.id', 'Response ID'],
  ['gen_ai.conversation.id', 'Conversation ID'],
  ['gen_ai.agent.name', 'Agent'],
  ['gen_ai.agent.id', 'Agent ID'],
  ['gen_ai.data_source.id', 'Data source'],
  ['gen_ai.embeddings.dimension.count', 'Embedding dimensions'],
  ['gen_ai.retrieval.query.text', 'Query'],
  ['gen_ai.retrieval.documents', 'Documents'],
  ['gen_ai.tool.definitions', 'Tool definitions'],
];

const MESSAGE_EVENT_ROLES: ReadonlyMap<string, string> = new Map([
  ['gen_ai.system.message', 'system'],
  ['gen_ai.user.message', 'user'],
  ['gen_ai.assistant.message', 'assistant'],
  ['gen_ai.tool.message', 'tool'],
]);
const CHOICE_EVENT = 'gen_ai.choice';
const DETAILS_EVENT = 'gen_ai.client.inference.operation.details';
const PROMPT_EVENT = 'gen_ai.content.prompt';
const COMPLETION_EVENT = 'gen_ai.content.completion';
const INDEXED_KEY = /^gen_ai\.(prompt|completion)\.(\d{1,6})\.(.+)$/;
const INDEXED_TOOL_CALL_FIELD = /^tool_calls\.(\d{1,4})\.(id|name|arguments)$/;

type Plain = Record<string, unknown>;

interface Messages {
  readonly input: GenAiMessage[];
  readonly output: GenAiMessage[];
  omitted: number;
}

/** Undefined for a span with no gen_ai.* attribute and no GenAI event. */
export function buildGenAiDetail(span: Span): GenAiDetail | undefined {
  const attributes = new Map<string, AnyValue>();
  for (const { key, value } of span.attributes) {
    if (key.startsWith('gen_ai.')) attributes.set(key, value);
  }
  const hasEvents = span.events.some((event) => event.name.startsWith('gen_ai.'));
  if (attributes.size === 0 && !hasEvents) return undefined;

  const found = readMessages(attributes, span.events);
  const messages = found?.messages ?? { input: [], output: [], omitted: 0 };
  let finishReasons = stringList(attributes.get('gen_ai.response.finish_reasons'));
  if (finishReasons.length === 0) {
    finishReasons = messages.output.flatMap((message) => (message.finishReason === undefined ? [] : [message.finishReason]));
  }
  const settings: GenAiSetting[] = [];
  for (const [key, label] of SETTINGS) {
    const value = attributes.get(key);
    if (value !== undefined && value.type !== 'empty') settings.push({ key, label, text: settingText(value) });
  }
  return {
    operation: stringOf(attributes.get('gen_ai.operation.name')),
    provider: stringOf(attributes.get('gen_ai.provider.name')) ?? stringOf(attributes.get('gen_ai.system')),
    requestModel: stringOf(attributes.get('gen_ai.request.model')),
    responseModel: stringOf(attributes.get('gen_ai.response.model')),
    inputTokens: countOf(attributes.get('gen_ai.usage.input_tokens')) ?? countOf(attributes.get('gen_ai.usage.prompt_tokens')),
    outputTokens: countOf(attributes.get('gen_ai.usage.output_tokens')) ?? countOf(attributes.get('gen_ai.usage.completion_tokens')),
    finishReasons,
    settings,
    inputMessages: messages.input,
    outputMessages: messages.output,
    tool: toolDetail(attributes),
    messageSource: found?.source,
    omittedMessages: messages.omitted,
  };
}

/** The first naming generation that yields any message. */
function readMessages(
  attributes: ReadonlyMap<string, AnyValue>,
  events: readonly SpanEvent[],
): { readonly source: GenAiMessageSource; readonly messages: Messages } | undefined {
  const readers: readonly (readonly [GenAiMessageSource, () => Messages])[] = [
    ['messages', () => currentMessages(attributes, events)],
    ['indexed', () => indexedMessages(attributes)],
    ['events', () => eventMessages(events)],
    ['prompt', () => promptMessages(attributes, events)],
  ];
  for (const [source, read] of readers) {
    const messages = read();
    if (messages.input.length > 0 || messages.output.length > 0 || messages.omitted > 0) return { source, messages };
  }
  return undefined;
}

function emptyMessages(): Messages {
  return { input: [], output: [], omitted: 0 };
}

function addMessage(messages: Messages, list: 'input' | 'output', message: GenAiMessage | undefined): void {
  if (message === undefined) return;
  if (messages[list].length >= MAX_GENAI_MESSAGES) messages.omitted++;
  else messages[list].push(message);
}

function currentMessages(attributes: ReadonlyMap<string, AnyValue>, events: readonly SpanEvent[]): Messages {
  let system = attributes.get('gen_ai.system_instructions');
  let input = attributes.get('gen_ai.input.messages');
  let output = attributes.get('gen_ai.output.messages');
  if (system === undefined && input === undefined && output === undefined) {
    // Instrumentations that keep content off the span may record it on an operation-details event.
    const details = events.find((event) => event.name === DETAILS_EVENT);
    for (const { key, value } of details?.attributes ?? []) {
      if (key === 'gen_ai.system_instructions') system = value;
      else if (key === 'gen_ai.input.messages') input = value;
      else if (key === 'gen_ai.output.messages') output = value;
    }
  }
  const messages = emptyMessages();
  if (system !== undefined) {
    const instructions = plainOfValue(system);
    // An array of parts, or a bare string from producers that skip the parts schema.
    const parts = Array.isArray(instructions) ? instructions.map(partOf) : contentParts(instructions);
    if (parts.length > 0) addMessage(messages, 'input', { role: 'system', parts: capParts(parts) });
  }
  for (const [value, list, role] of [
    [input, 'input', 'user'],
    [output, 'output', 'assistant'],
  ] as const) {
    if (value === undefined) continue;
    const plain = plainOfValue(value);
    for (const item of Array.isArray(plain) ? plain : [plain]) addMessage(messages, list, messageOf(item, role));
  }
  return messages;
}

function indexedMessages(attributes: ReadonlyMap<string, AnyValue>): Messages {
  const prompts = new Map<number, IndexedMessage>();
  const completions = new Map<number, IndexedMessage>();
  for (const [key, value] of attributes) {
    const match = INDEXED_KEY.exec(key);
    if (match === null) continue;
    const byIndex = match[1] === 'prompt' ? prompts : completions;
    const index = Number(match[2]);
    let message = byIndex.get(index);
    if (message === undefined) {
      message = { fields: {}, calls: new Map() };
      byIndex.set(index, message);
    }
    const field = match[3];
    const toolField = INDEXED_TOOL_CALL_FIELD.exec(field);
    if (toolField !== null) {
      const callIndex = Number(toolField[1]);
      const call = message.calls.get(callIndex) ?? {};
      call[toolField[2]] = plainOfAnyValue(value);
      message.calls.set(callIndex, call);
    } else if (field === 'role' || field === 'content' || field === 'finish_reason' || field === 'tool_call_id') {
      message.fields[field] = plainOfAnyValue(value);
    }
  }
  const messages = emptyMessages();
  for (const [byIndex, list, role] of [
    [prompts, 'input', 'user'],
    [completions, 'output', 'assistant'],
  ] as const) {
    for (const { fields, calls } of sortedValues(byIndex)) {
      const toolCalls = sortedValues(calls);
      addMessage(messages, list, messageOf(toolCalls.length === 0 ? fields : { ...fields, tool_calls: toolCalls }, role));
    }
  }
  return messages;
}

interface IndexedMessage {
  readonly fields: Plain;
  readonly calls: Map<number, Plain>;
}

function sortedValues<T>(byIndex: ReadonlyMap<number, T>): T[] {
  return [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, value]) => value);
}

function eventMessages(events: readonly SpanEvent[]): Messages {
  const messages = emptyMessages();
  for (const event of events) {
    const role = MESSAGE_EVENT_ROLES.get(event.name);
    if (role !== undefined) {
      addMessage(messages, 'input', messageOf(eventBody(event), role));
    } else if (event.name === CHOICE_EVENT) {
      const body = eventBody(event);
      const message = messageOf(isRecord(body.message) ? body.message : body, 'assistant');
      const finishReason = stringValue(body.finish_reason) ?? message?.finishReason;
      if (message !== undefined) addMessage(messages, 'output', finishReason === undefined ? message : { ...message, finishReason });
    }
  }
  return messages;
}

function promptMessages(attributes: ReadonlyMap<string, AnyValue>, events: readonly SpanEvent[]): Messages {
  let prompt = attributes.get('gen_ai.prompt');
  let completion = attributes.get('gen_ai.completion');
  for (const event of events) {
    if (event.name !== PROMPT_EVENT && event.name !== COMPLETION_EVENT) continue;
    for (const { key, value } of event.attributes) {
      if (key === 'gen_ai.prompt') prompt ??= value;
      else if (key === 'gen_ai.completion') completion ??= value;
    }
  }
  const messages = emptyMessages();
  for (const [value, list, role] of [
    [prompt, 'input', 'user'],
    [completion, 'output', 'assistant'],
  ] as const) {
    if (value === undefined) continue;
    let plain = plainOfAnyValue(value);
    if (typeof plain === 'string') plain = parseJson(plain) ?? plain;
    for (const item of Array.isArray(plain) ? plain : [plain]) addMessage(messages, list, messageOf(item, role));
  }
  return messages;
}

/** An event's body: its attributes, overlaid with the JSON object in gen_ai.event.content when there is one. */
function eventBody(event: SpanEvent): Plain {
  const body: Plain = Object.fromEntries(event.attributes.map(({ key, value }) => [key, plainOfAnyValue(value)]));
  const content = body['gen_ai.event.content'];
  const parsed = typeof content === 'string' ? parseJson(content) : content;
  // Merged through entries, not assignment, so a "__proto__" key in the body stays a plain key.
  if (isRecord(parsed)) return Object.fromEntries([...Object.entries(body), ...Object.entries(parsed)]);
  if (content !== undefined && body.content === undefined) body.content = parsed ?? content;
  return body;
}

/**
 * One message in any of the shapes in use: the current {role, parts}, the older {role, content, tool_calls,
 * tool_call_id} of OpenAI-style APIs, or a bare string.
 */
function messageOf(item: unknown, defaultRole: string): GenAiMessage | undefined {
  if (item === undefined || item === null) return undefined;
  if (!isRecord(item)) return { role: defaultRole, parts: contentParts(item) };
  const role = stringValue(item.role) ?? defaultRole;
  const finishReason = stringValue(item.finish_reason);
  const parts: GenAiMessagePart[] = [];
  if (Array.isArray(item.parts)) {
    for (const part of item.parts) parts.push(partOf(part));
  } else {
    const content = item.content;
    const toolCallId = stringValue(item.tool_call_id) ?? (role === 'tool' ? stringValue(item.id) : undefined);
    if (role === 'tool' && content !== undefined && content !== null) {
      parts.push({ kind: 'toolResult', id: toolCallId, resultText: prettyText(content) });
    } else if (content !== undefined && content !== null && content !== '') {
      parts.push(...contentParts(content));
    }
    if (Array.isArray(item.tool_calls)) {
      for (const call of item.tool_calls) parts.push(toolCallOf(call));
    }
  }
  if (parts.length === 0 && finishReason === undefined) return undefined;
  return finishReason === undefined ? { role, parts: capParts(parts) } : { role, finishReason, parts: capParts(parts) };
}

/** Message content: a string (maybe a JSON list of parts), a list of parts, or any other value as JSON. */
function contentParts(content: unknown): GenAiMessagePart[] {
  if (content === undefined || content === null) return [];
  if (typeof content === 'string') {
    const parsed = parseJsonContainer(content);
    if (Array.isArray(parsed) && parsed.length > 0 && parsed.every((part) => isRecord(part) && typeof part.type === 'string')) {
      return parsed.map(partOf);
    }
    return [{ kind: 'text', text: content }];
  }
  if (Array.isArray(content)) return content.map(partOf);
  return [{ kind: 'data', label: 'content', text: jsonToText(content) }];
}

function partOf(part: unknown): GenAiMessagePart {
  if (typeof part === 'string') return { kind: 'text', text: part };
  if (!isRecord(part)) return { kind: 'data', label: 'value', text: jsonToText(part) };
  const type = stringValue(part.type) ?? 'part';
  switch (type) {
    case 'text': {
      // `content` in the semantic conventions, `text` in OpenAI-style content parts.
      const text = stringValue(part.content) ?? stringValue(part.text);
      if (text !== undefined) return { kind: 'text', text };
      break;
    }
    case 'tool_call':
    case 'function_call':
      return toolCallOf(part);
    case 'tool_call_response': {
      // The schema says `response`; its own examples and some producers say `result`.
      const result = part.response !== undefined ? part.response : part.result;
      return { kind: 'toolResult', id: stringValue(part.id), resultText: result === undefined ? '' : prettyText(result) };
    }
    default: {
      const text = stringValue(part.content);
      if (text !== undefined && Object.keys(part).length === 2) return { kind: 'text', label: type, text };
    }
  }
  const rest = Object.fromEntries(Object.entries(part).filter(([key]) => key !== 'type'));
  return { kind: 'data', label: type, text: jsonToText(rest) };
}

/** {id, name, arguments}, or OpenAI's {id, type: 'function', function: {name, arguments}}. */
function toolCallOf(call: unknown): GenAiMessagePart {
  if (!isRecord(call)) return { kind: 'data', label: 'tool call', text: jsonToText(call) };
  const target = isRecord(call.function) ? call.function : call;
  const args = target.arguments;
  return {
    kind: 'toolCall',
    id: stringValue(call.id),
    name: stringValue(target.name) ?? '(unnamed tool)',
    argumentsText: args === undefined || args === null ? undefined : prettyText(args),
  };
}

function capParts(parts: GenAiMessagePart[]): GenAiMessagePart[] {
  if (parts.length <= MAX_GENAI_PARTS) return parts;
  const left = parts.length - MAX_GENAI_PARTS;
  return [...parts.slice(0, MAX_GENAI_PARTS), { kind: 'data', label: 'omitted', text: `${left} more part${left === 1 ? '' : 's'}` }];
}

function toolDetail(attributes: ReadonlyMap<string, AnyValue>): GenAiToolDetail | undefined {
  const args = attributes.get('gen_ai.tool.call.arguments');
  const result = attributes.get('gen_ai.tool.call.result');
  const tool: GenAiToolDetail = {
    name: stringOf(attributes.get('gen_ai.tool.name')),
    callId: stringOf(attributes.get('gen_ai.tool.call.id')),
    type: stringOf(attributes.get('gen_ai.tool.type')),
    description: stringOf(attributes.get('gen_ai.tool.description')),
    argumentsText: args === undefined ? undefined : prettyText(plainOfAnyValue(args)),
    resultText: result === undefined ? undefined : prettyText(plainOfAnyValue(result)),
  };
  return Object.values(tool).some((value) => value !== undefined) ? tool : undefined;
}

/** A JSON string or a structured value as a plain value; other strings stay strings. */
function plainOfValue(value: AnyValue): unknown {
  if (value.type !== 'string') return plainOfAnyValue(value);
  return parseJsonContainer(value.value) ?? value.value;
}

function settingText(value: AnyValue): string {
  if (value.type === 'array' && value.value.every((item) => item.type !== 'array' && item.type !== 'map')) {
    return `[${value.value.map((item) => jsonToText(plainOfAnyValue(item))).join(', ')}]`;
  }
  return prettyText(plainOfAnyValue(value));
}

function stringList(value: AnyValue | undefined): string[] {
  if (value === undefined) return [];
  if (value.type === 'string') {
    const parsed = parseJsonContainer(value.value);
    if (Array.isArray(parsed)) return parsed.filter((item): item is string => typeof item === 'string');
    return value.value === '' ? [] : [value.value];
  }
  if (value.type !== 'array') return [];
  return value.value.flatMap((item) => (item.type === 'string' ? [item.value] : []));
}

function stringOf(value: AnyValue | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value.type === 'string') return value.value === '' ? undefined : value.value;
  if (value.type === 'int' || value.type === 'double' || value.type === 'bool') return String(value.value);
  return undefined;
}

/** A non-negative whole count that fits a double exactly. */
function countOf(value: AnyValue | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = value.type === 'int' || value.type === 'string' ? Number(value.value) : value.type === 'double' ? value.value : Number.NaN;
  if (value.type === 'string' && !/^\d+$/.test(value.value)) return undefined;
  return Number.isSafeInteger(number) && number >= 0 ? number : undefined;
}

function stringValue(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function isRecord(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof ExactNumber);
}
