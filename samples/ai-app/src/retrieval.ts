// Retrieval with the classic N+1 pattern: one similarity search for article IDs, then one database query per
// article, awaited one after another, so the waterfall shows a staircase of identical queries.

import { SpanKind } from '@opentelemetry/api';
import {
  ATTR_DB_COLLECTION_NAME,
  ATTR_DB_NAMESPACE,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_QUERY_SUMMARY,
  ATTR_DB_QUERY_TEXT,
  ATTR_DB_SYSTEM_NAME,
  DB_SYSTEM_NAME_VALUE_POSTGRESQL,
} from '@opentelemetry/semantic-conventions';
import { codeSite } from './codeLocation';
import type { Article } from './knowledgeBase';
import { articleById } from './knowledgeBase';
import { embedQuery } from './llm';
import type { RequestScope } from './requestScope';
import {
  GEN_AI_DATA_SOURCE_ID,
  GEN_AI_OPERATION_NAME,
  GEN_AI_OPERATION_RETRIEVAL,
  GEN_AI_REQUEST_TOP_K,
  GEN_AI_RETRIEVAL_DOCUMENTS,
  GEN_AI_RETRIEVAL_QUERY_TEXT,
} from './semconv';
import { inSpan } from './spans';
import { searchNearest, VECTOR_INDEX } from './vectorStore';

export interface RetrievedArticle {
  readonly article: Article;
  /** Similarity to the question, from the vector search. */
  readonly score: number;
}

interface ArticleHit {
  readonly id: string;
  readonly score: number;
}

const RETRIEVE_DOCUMENTS = codeSite(__filename, 'retrieveDocuments', 'stable');
const FETCH_DOCUMENT_IDS = codeSite(__filename, 'fetchDocumentIds', 'stable');
const FETCH_DOCUMENT = codeSite(__filename, 'fetchDocument', 'deprecated');

const ARTICLE_QUERY = 'SELECT id, title, body, updated_at FROM articles WHERE id = $1';

export async function retrieveDocuments(scope: RequestScope, question: string): Promise<RetrievedArticle[]> {
  return inSpan(scope.tracers.assistant, { name: 'retrieveDocuments', site: RETRIEVE_DOCUMENTS }, async (span) => {
    const embedding = await embedQuery(scope, question);
    const hits = await fetchDocumentIds(scope, question, embedding, scope.random.integer(4, 9));
    const documents: RetrievedArticle[] = [];
    for (const hit of hits) {
      documents.push({ article: await fetchDocument(scope, hit.id), score: hit.score });
    }
    span.setAttribute('retrieval.document_count', documents.length);
    return documents;
  });
}

export async function fetchDocumentIds(scope: RequestScope, question: string, embedding: readonly number[], topK: number): Promise<ArticleHit[]> {
  return inSpan(
    scope.tracers.assistant,
    {
      name: `${GEN_AI_OPERATION_RETRIEVAL} ${VECTOR_INDEX}`,
      kind: SpanKind.CLIENT,
      site: FETCH_DOCUMENT_IDS,
      attributes: {
        [GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION_RETRIEVAL,
        [GEN_AI_DATA_SOURCE_ID]: VECTOR_INDEX,
        [GEN_AI_REQUEST_TOP_K]: topK,
        [GEN_AI_RETRIEVAL_QUERY_TEXT]: question,
      },
    },
    async (span) => {
      const neighbors = await searchNearest(scope, embedding, topK);
      const hits = neighbors.map((neighbor) => ({ id: neighbor.article.id, score: Number(neighbor.score.toFixed(4)) }));
      span.setAttribute(GEN_AI_RETRIEVAL_DOCUMENTS, JSON.stringify(hits));
      return hits;
    },
  );
}

export async function fetchDocument(scope: RequestScope, id: string): Promise<Article> {
  return inSpan(
    scope.tracers.assistant,
    {
      name: 'SELECT articles',
      kind: SpanKind.CLIENT,
      site: FETCH_DOCUMENT,
      attributes: {
        [ATTR_DB_SYSTEM_NAME]: DB_SYSTEM_NAME_VALUE_POSTGRESQL,
        [ATTR_DB_NAMESPACE]: 'support',
        [ATTR_DB_COLLECTION_NAME]: 'articles',
        [ATTR_DB_OPERATION_NAME]: 'SELECT',
        [ATTR_DB_QUERY_SUMMARY]: 'SELECT articles',
        [ATTR_DB_QUERY_TEXT]: ARTICLE_QUERY,
      },
    },
    async () => {
      await scope.work(scope.random.latencyMillis(4, 12, 200));
      const article = articleById(id);
      if (article === undefined) throw new Error(`no article with id ${id}`);
      return article;
    },
  );
}
