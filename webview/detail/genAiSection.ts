// The GenAI section: what was asked of which model, what it cost in tokens, and the conversation itself.
// The host has already turned every value into text; long ones are cut with a "Show all" button.
import type { GenAiDetail, GenAiMessage, GenAiMessagePart, GenAiMessageSource, GenAiToolDetail } from '../../src/shared/webviewProtocol';
import { createElement } from '../dom';
import { createRow, createTable } from './attributeTable';
import { createSection } from './detailSection';
import { createTruncatedText } from './truncatedText';

const SOURCE_NOTES: Readonly<Record<GenAiMessageSource, string | undefined>> = {
  messages: undefined,
  indexed: 'Messages from the older gen_ai.prompt.N / gen_ai.completion.N attributes.',
  events: 'Messages from the older gen_ai.*.message and gen_ai.choice span events.',
  prompt: 'Messages from the older gen_ai.prompt / gen_ai.completion attributes.',
};

const numberFormat = new Intl.NumberFormat('en-US');

export function createGenAiSection(genAi: GenAiDetail): HTMLElement {
  const content: HTMLElement[] = [createSummary(genAi)];
  if (genAi.tool !== undefined) content.push(createToolCall(genAi.tool));
  if (genAi.messageSource !== undefined && SOURCE_NOTES[genAi.messageSource] !== undefined) {
    content.push(createElement('p', 'genai-note', SOURCE_NOTES[genAi.messageSource]));
  }
  if (genAi.inputMessages.length > 0) content.push(createMessages('input', 'Input', genAi.inputMessages));
  if (genAi.outputMessages.length > 0) content.push(createMessages('output', 'Output', genAi.outputMessages));
  if (genAi.omittedMessages > 0) {
    const count = genAi.omittedMessages;
    content.push(createElement('p', 'genai-note', `${numberFormat.format(count)} more message${count === 1 ? '' : 's'} not shown.`));
  }
  const title = genAi.operation === undefined ? 'GenAI' : `GenAI · ${genAi.operation}`;
  return createSection('genai', title, undefined, content);
}

function createSummary(genAi: GenAiDetail): HTMLElement {
  const table = createTable('genai-summary');
  if (genAi.operation !== undefined) table.append(createRow('Operation', genAi.operation));
  if (genAi.provider !== undefined) table.append(createRow('Provider', genAi.provider));
  const model = modelText(genAi.requestModel, genAi.responseModel);
  if (model !== undefined) table.append(createRow('Model', model));
  const tokens = tokensText(genAi.inputTokens, genAi.outputTokens);
  if (tokens !== undefined) table.append(createRow('Tokens', tokens));
  if (genAi.finishReasons.length > 0) table.append(createRow('Finish reason', genAi.finishReasons.join(', ')));
  for (const setting of genAi.settings) {
    const row = createRow(setting.label, setting.text);
    row.title = setting.key;
    table.append(row);
  }
  return table;
}

/** `gpt-4o-mini → gpt-4o-mini-2024-07-18` when the answering model differs from the one asked for. */
function modelText(requested: string | undefined, responded: string | undefined): string | undefined {
  if (requested !== undefined && responded !== undefined && requested !== responded) return `${requested} → ${responded}`;
  return responded ?? requested;
}

function tokensText(input: number | undefined, output: number | undefined): string | undefined {
  const parts: string[] = [];
  if (input !== undefined) parts.push(`${numberFormat.format(input)} in`);
  if (output !== undefined) parts.push(`${numberFormat.format(output)} out`);
  if (input !== undefined && output !== undefined) parts.push(`${numberFormat.format(input + output)} total`);
  return parts.length === 0 ? undefined : parts.join(' · ');
}

function createToolCall(tool: GenAiToolDetail): HTMLElement {
  const block = createElement('div', 'genai-tool');
  block.append(createElement('h4', 'genai-subtitle', 'Tool call'));
  const table = createTable('genai-tool');
  if (tool.name !== undefined) table.append(createRow('Tool', tool.name));
  if (tool.callId !== undefined) table.append(createRow('Call ID', tool.callId));
  if (tool.type !== undefined) table.append(createRow('Type', tool.type));
  if (tool.description !== undefined) table.append(createRow('Description', tool.description));
  if (tool.argumentsText !== undefined) table.append(createRow('Arguments', tool.argumentsText));
  if (tool.resultText !== undefined) table.append(createRow('Result', tool.resultText));
  block.append(table);
  return block;
}

function createMessages(kind: 'input' | 'output', title: string, messages: readonly GenAiMessage[]): HTMLElement {
  const block = createElement('div', 'genai-messages');
  block.dataset.messages = kind;
  const heading = createElement('h4', 'genai-subtitle', title);
  heading.append(createElement('span', 'detail-section-count', String(messages.length)));
  block.append(heading);
  for (const message of messages) block.append(createMessage(message));
  return block;
}

function createMessage(message: GenAiMessage): HTMLElement {
  const element = createElement('div', 'genai-message');
  element.dataset.role = message.role;
  const header = createElement('div', 'genai-message-header');
  header.append(createElement('span', 'genai-role', message.role));
  if (message.finishReason !== undefined) header.append(createElement('span', 'genai-finish-reason', message.finishReason));
  element.append(header);
  for (const part of message.parts) element.append(createPart(part));
  return element;
}

function createPart(part: GenAiMessagePart): HTMLElement {
  const element = createElement('div', 'genai-part');
  element.dataset.kind = part.kind;
  switch (part.kind) {
    case 'text':
      if (part.label !== undefined) element.append(createElement('div', 'genai-part-label', part.label));
      element.append(createTruncatedText(part.text, 'genai-text'));
      break;
    case 'toolCall': {
      const label = createElement('div', 'genai-part-label', 'Tool call ');
      label.append(createElement('span', 'genai-tool-name', part.name));
      if (part.id !== undefined) label.append(createElement('span', 'genai-call-id', part.id));
      element.append(label);
      if (part.argumentsText !== undefined) element.append(createTruncatedText(part.argumentsText, 'genai-code'));
      break;
    }
    case 'toolResult': {
      const label = createElement('div', 'genai-part-label', 'Tool result');
      if (part.id !== undefined) label.append(createElement('span', 'genai-call-id', part.id));
      element.append(label, createTruncatedText(part.resultText, 'genai-code'));
      break;
    }
    case 'data':
      element.append(createElement('div', 'genai-part-label', part.label), createTruncatedText(part.text, 'genai-code'));
      break;
  }
  return element;
}
