// The chat front end's HTTP client: posts one question to the assistant on 127.0.0.1, propagating the trace in
// a traceparent header. Its spans are the roots of the sample's traces.

import * as http from 'node:http';
import type { Tracer } from '@opentelemetry/api';
import { context, propagation, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_FULL,
} from '@opentelemetry/semantic-conventions';
import { codeSite } from './codeLocation';
import { questionFor } from './knowledgeBase';
import { ASK_PATH } from './server';
import { inSpan } from './spans';
import { SERVICES } from './telemetry';

export interface AskClient {
  readonly tracer: Tracer;
  readonly port: number;
  readonly agent: http.Agent;
}

const SEND_QUESTION = codeSite(__filename, 'sendQuestion', 'stable');

export function createAskClient(tracer: Tracer, port: number): AskClient {
  return { tracer, port, agent: new http.Agent({ keepAlive: true }) };
}

/** Asks request `requestNumber`'s question; resolves to the HTTP status. */
export async function sendQuestion(client: AskClient, requestNumber: number): Promise<number> {
  const url = `http://127.0.0.1:${client.port}${ASK_PATH}`;
  const attributes = {
    [ATTR_HTTP_REQUEST_METHOD]: 'POST',
    [ATTR_URL_FULL]: url,
    'url.template': ASK_PATH,
    [ATTR_SERVER_ADDRESS]: '127.0.0.1',
    [ATTR_SERVER_PORT]: client.port,
  };
  return inSpan(client.tracer, { name: `POST ${ASK_PATH}`, kind: SpanKind.CLIENT, site: SEND_QUESTION, attributes }, async (span) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': `${SERVICES.frontend.name}/${SERVICES.frontend.version}` };
    propagation.inject(context.active(), headers);
    const body = JSON.stringify({ requestNumber, question: questionFor(requestNumber).text });
    const status = await post(client, headers, body);
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
    if (status >= 400) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${status}` });
      span.setAttribute(ATTR_ERROR_TYPE, String(status));
    }
    return status;
  });
}

function post(client: AskClient, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port: client.port, path: ASK_PATH, method: 'POST', agent: client.agent, headers }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}
