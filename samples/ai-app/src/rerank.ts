// Reranking with a cross-encoder: the sample's slow function. Most calls take about 200 ms, but one in five
// finds the model evicted from the cache and spends seconds loading it, so rerank's p95 (near 3 s) is over ten
// times its median and above the LLM calls'. Its two helpers report only code.function.name.

import { codeSite } from './codeLocation';
import type { RetrievedArticle } from './retrieval';
import type { RequestScope } from './requestScope';
import { inSpan } from './spans';

export const RERANK_MODEL = 'bge-reranker-v2-m3';
const TOP_N = 3;
const COLD_MODEL_PROBABILITY = 0.2;

const RERANK = codeSite(__filename, 'rerank', 'stable');
const SCORE_CANDIDATES = codeSite(__filename, 'scoreCandidates', 'function-name-only');
const SELECT_TOP_PASSAGES = codeSite(__filename, 'selectTopPassages', 'function-name-only');

/** The `TOP_N` articles most relevant to `question`, best first. */
export async function rerank(scope: RequestScope, question: string, candidates: readonly RetrievedArticle[]): Promise<RetrievedArticle[]> {
  const attributes = { 'rerank.model': RERANK_MODEL, 'rerank.candidates': candidates.length, 'rerank.top_n': TOP_N };
  return inSpan(scope.tracers.assistant, { name: 'rerank', site: RERANK, attributes }, async (span) => {
    const modelCached = !scope.random.chance(COLD_MODEL_PROBABILITY);
    span.setAttribute('rerank.model_cached', modelCached);
    const scored = await scoreCandidates(scope, question, candidates, modelCached);
    return selectTopPassages(scope, scored);
  });
}

async function scoreCandidates(scope: RequestScope, question: string, candidates: readonly RetrievedArticle[], modelCached: boolean): Promise<RetrievedArticle[]> {
  return inSpan(scope.tracers.assistant, { name: 'scoreCandidates', site: SCORE_CANDIDATES }, async () => {
    const millis = modelCached ? scope.random.latencyMillis(180, 380, 1500) : scope.random.latencyMillis(2200, 3800, 8000);
    await scope.work(millis);
    // A cross-encoder sees question and passage together; simulate it by blending in a fresh relevance judgment.
    return candidates.map((candidate) => ({ ...candidate, score: 0.5 * candidate.score + 0.5 * relevance(scope, question, candidate) }));
  });
}

async function selectTopPassages(scope: RequestScope, scored: readonly RetrievedArticle[]): Promise<RetrievedArticle[]> {
  return inSpan(scope.tracers.assistant, { name: 'selectTopPassages', site: SELECT_TOP_PASSAGES }, async () => {
    await scope.work(scope.random.latencyMillis(2, 6, 50));
    return [...scored].sort((a, b) => b.score - a.score).slice(0, TOP_N);
  });
}

function relevance(scope: RequestScope, question: string, candidate: RetrievedArticle): number {
  const questionWords = new Set(question.toLowerCase().match(/[a-z]+/g) ?? []);
  const titleWords = candidate.article.title.toLowerCase().match(/[a-z]+/g) ?? [];
  const overlap = titleWords.filter((word) => questionWords.has(word)).length / Math.max(1, titleWords.length);
  return 0.7 * overlap + 0.3 * scope.random.next();
}
