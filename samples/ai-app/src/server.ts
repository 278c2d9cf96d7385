// The assistant's HTTP server on 127.0.0.1: POST /ask with {"requestNumber": n, "question": "..."}. The trace
// continues from the caller's traceparent header, as any instrumented service's would.

import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Span } from '@opentelemetry/api';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import {
  ATTR_CLIENT_ADDRESS,
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_NETWORK_PROTOCOL_VERSION,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_PATH,
  ATTR_URL_SCHEME,
  ATTR_USER_AGENT_ORIGINAL,
} from '@opentelemetry/semantic-conventions';
import { answerQuestion } from './assistant';
import { codeSite } from './codeLocation';
import { RateLimitError } from './llm';
import type { Simulation } from './requestScope';
import { createRequestScope } from './requestScope';
import { inSpan } from './spans';
import { ToolTimeoutError } from './tools';

export const ASK_PATH = '/ask';
const MAX_BODY_BYTES = 64 * 1024;
const MAX_QUESTION_CHARS = 2000;

export interface AskServer {
  readonly port: number;
  close(): Promise<void>;
}

interface AskRequest {
  readonly requestNumber: number;
  readonly question: string;
}

interface Reply {
  readonly status: number;
  readonly body: unknown;
}

/** The request body was unusable; answered with 400 or 413. */
class BadRequestError extends Error {
  override readonly name = 'BadRequestError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

const HANDLE_ASK = codeSite(__filename, 'handleAsk', 'stable');

export async function startAskServer(simulation: Simulation, port: number): Promise<AskServer> {
  const server = http.createServer((request, response) => {
    if (request.method === 'POST' && request.url === ASK_PATH) {
      handleAsk(simulation, request, response).catch(() => {
        // Only a broken connection gets here (the span records it); there is no one left to answer.
        response.destroy();
      });
      return;
    }
    response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: `only POST ${ASK_PATH} is served` }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

async function handleAsk(simulation: Simulation, request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
  const parent = propagation.extract(ROOT_CONTEXT, request.headers);
  const attributes = {
    [ATTR_HTTP_REQUEST_METHOD]: 'POST',
    [ATTR_HTTP_ROUTE]: ASK_PATH,
    [ATTR_URL_PATH]: ASK_PATH,
    [ATTR_URL_SCHEME]: 'http',
    [ATTR_SERVER_ADDRESS]: '127.0.0.1',
    [ATTR_SERVER_PORT]: request.socket.localPort ?? 0,
    [ATTR_CLIENT_ADDRESS]: request.socket.remoteAddress ?? '',
    [ATTR_NETWORK_PROTOCOL_VERSION]: request.httpVersion,
    [ATTR_USER_AGENT_ORIGINAL]: request.headers['user-agent'] ?? '',
  };
  await context.with(parent, () =>
    inSpan(simulation.tracers.assistant, { name: `POST ${ASK_PATH}`, kind: SpanKind.SERVER, site: HANDLE_ASK, attributes }, async (span) => {
      const reply = await replyTo(simulation, request, span);
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, reply.status);
      response.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
    }),
  );
}

async function replyTo(simulation: Simulation, request: http.IncomingMessage, span: Span): Promise<Reply> {
  let ask: AskRequest;
  try {
    ask = parseAskRequest(await readBody(request));
  } catch (error) {
    if (!(error instanceof BadRequestError)) throw error;
    return { status: error.status, body: { error: error.message } };
  }
  try {
    const answer = await answerQuestion(createRequestScope(simulation, ask.requestNumber), ask.question);
    return { status: 200, body: answer };
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    // A server span fails on 5xx; the exception itself is recorded on the spans it escaped from.
    span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
    span.setAttribute(ATTR_ERROR_TYPE, failure.name);
    return { status: statusFor(failure), body: { error: failure.message } };
  }
}

function statusFor(error: Error): number {
  if (error instanceof ToolTimeoutError) return 504;
  if (error instanceof RateLimitError) return 503;
  return 500;
}

function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Past the cap, keep draining without storing, so the client still gets its 413.
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => {
      if (size > MAX_BODY_BYTES) reject(new BadRequestError(`the body is larger than ${MAX_BODY_BYTES} bytes`, 413));
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
    request.on('error', reject);
  });
}

function parseAskRequest(body: string): AskRequest {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new BadRequestError('the body is not JSON', 400);
  }
  if (typeof json !== 'object' || json === null) throw new BadRequestError('the body must be a JSON object', 400);
  const { requestNumber, question } = json as Record<string, unknown>;
  if (typeof requestNumber !== 'number' || !Number.isSafeInteger(requestNumber) || requestNumber < 0) {
    throw new BadRequestError('"requestNumber" must be a whole number of 0 or more', 400);
  }
  if (typeof question !== 'string' || question.trim() === '' || question.length > MAX_QUESTION_CHARS) {
    throw new BadRequestError(`"question" must be a non-empty string of at most ${MAX_QUESTION_CHARS} characters`, 400);
  }
  return { requestNumber, question };
}
