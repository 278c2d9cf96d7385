// The request pipeline behind POST /ask: retrieve articles, rerank them, let the model call a tool, then let
// it answer from the tool's result.

import { codeSite } from './codeLocation';
import type { ChatMessage } from './llm';
import { ARTICLES_HEADING, CHAT_RESPONSE_MODEL, chatWithRetry } from './llm';
import { rerank } from './rerank';
import type { RequestScope } from './requestScope';
import { retrieveDocuments } from './retrieval';
import { inSpan } from './spans';
import { executeTool, TOOL_DEFINITIONS } from './tools';

export interface Answer {
  readonly text: string;
  /** IDs of the articles the answer draws on. */
  readonly sources: readonly string[];
  readonly model: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
}

const ANSWER_QUESTION = codeSite(__filename, 'answerQuestion', 'stable');

export async function answerQuestion(scope: RequestScope, question: string): Promise<Answer> {
  return inSpan(scope.tracers.assistant, { name: 'answerQuestion', site: ANSWER_QUESTION }, async () => {
    const candidates = await retrieveDocuments(scope, question);
    const passages = await rerank(scope, question, candidates);
    const context = [ARTICLES_HEADING, ...passages.map((passage) => passage.article.title)].join('\n');
    const messages: ChatMessage[] = [{ role: 'user', parts: [{ type: 'text', content: question }, { type: 'text', content: context }] }];

    const first = await chatWithRetry(scope, messages, TOOL_DEFINITIONS);
    let final = first;
    if (first.toolCall !== undefined) {
      const result = await executeTool(scope, first.toolCall);
      messages.push(first.message, { role: 'tool', parts: [{ type: 'tool_call_response', id: first.toolCall.id, result }] });
      final = await chatWithRetry(scope, messages, TOOL_DEFINITIONS);
    }
    const text = final.message.parts.map((part) => (part.type === 'text' ? part.content : '')).join('');
    return {
      text,
      sources: passages.map((passage) => passage.article.id),
      model: CHAT_RESPONSE_MODEL,
      inputTokens: first.inputTokens + (final === first ? 0 : final.inputTokens),
      outputTokens: first.outputTokens + (final === first ? 0 : final.outputTokens),
    };
  });
}
