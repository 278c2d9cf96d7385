// The vector store's side of a similarity search. It runs in process but reports as its own service
// ("vector-store"), so traces from the sample span two services plus the front end.

import { SpanKind } from '@opentelemetry/api';
import { codeSite } from './codeLocation';
import type { Article } from './knowledgeBase';
import { ARTICLES } from './knowledgeBase';
import type { RequestScope } from './requestScope';
import { inSpan } from './spans';

export const VECTOR_INDEX = 'support-articles';

export interface Neighbor {
  readonly article: Article;
  readonly score: number;
}

const SEARCH_NEAREST = codeSite(__filename, 'searchNearest', 'stable');

/** The `topK` articles closest to `embedding`, best first. */
export async function searchNearest(scope: RequestScope, embedding: readonly number[], topK: number): Promise<Neighbor[]> {
  return inSpan(
    scope.tracers.vectorStore,
    {
      name: `search ${VECTOR_INDEX}`,
      kind: SpanKind.SERVER,
      site: SEARCH_NEAREST,
      attributes: { 'vector_store.index': VECTOR_INDEX, 'vector_store.top_k': topK, 'vector_store.dimensions': embedding.length },
    },
    async () => {
      await scope.work(scope.random.latencyMillis(18, 45, 400));
      const scored = ARTICLES.map((article) => ({ article, score: 0.55 + 0.4 * scope.random.next() }));
      scored.sort((a, b) => b.score - a.score);
      return scored.slice(0, topK);
    },
  );
}
