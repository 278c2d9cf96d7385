import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as ts from 'typescript';
import { parseTraceText } from '../../../src/core/formats/parseTraceText';
import type { AnyValue, Span } from '../../../src/core/model/trace';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const sampleSrc = path.join(repoRoot, 'samples', 'ai-app', 'src');
const mainPath = path.join(sampleSrc, 'main.ts');

const REQUESTS = 24;
const MILLISECOND_NANOS = 1_000_000n;
const FAST = ['--time-scale', '0.02', '--seed', '42'];

interface SampleRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

interface ReceivedBody {
  readonly contentType: string;
  readonly body: Buffer;
}

interface OtlpSink {
  readonly endpoint: string;
  readonly bodies: ReceivedBody[];
  close(): Promise<void>;
}

/** The sample's environment without the variables it reads, so the flags alone decide. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('OTEL_') && key !== 'AI_APP_PATH_PREFIX') env[key] = value;
  }
  return env;
}

function runSample(args: readonly string[]): Promise<SampleRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', mainPath, ...args], { cwd: repoRoot, env: cleanEnv(), timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

/** A stand-in OTLP/HTTP receiver that keeps every body it gets on /v1/traces. */
async function startOtlpSink(): Promise<OtlpSink> {
  const bodies: ReceivedBody[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const contentType = request.headers['content-type'] ?? '';
      if (request.method !== 'POST' || request.url !== '/v1/traces') {
        response.writeHead(404).end();
        return;
      }
      bodies.push({ contentType, body: Buffer.concat(chunks) });
      response.writeHead(200, { 'content-type': contentType }).end(contentType === 'application/json' ? '{}' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bodies,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function spansOf(bodies: readonly ReceivedBody[]): Span[] {
  return bodies.flatMap((received) => {
    assert.equal(received.contentType, 'application/json');
    const parsed = parseTraceText(received.body.toString('utf8'));
    assert.equal(parsed.format, 'otlp-json');
    assert.deepEqual(parsed.warnings, []);
    return parsed.traces.flatMap((trace) => trace.spans);
  });
}

function groupByTrace(spans: readonly Span[]): Map<string, Span[]> {
  const traces = new Map<string, Span[]>();
  for (const span of spans) traces.set(span.traceId, [...(traces.get(span.traceId) ?? []), span]);
  return traces;
}

function attr(span: Span, key: string): AnyValue['value'] | undefined {
  return span.attributes.find((attribute) => attribute.key === key)?.value.value;
}

function stringAttr(span: Span, key: string): string {
  const value = attr(span, key);
  assert.equal(typeof value, 'string', `${span.name}: ${key} should be a string, got ${JSON.stringify(value)}`);
  return value as string;
}

/** int attributes arrive as decimal strings (the model keeps int64 exact). */
function intAttr(span: Span, key: string): number {
  const value = span.attributes.find((attribute) => attribute.key === key)?.value;
  assert.equal(value?.type, 'int', `${span.name}: ${key} should be an int, got ${JSON.stringify(value)}`);
  return Number(value.value);
}

/** `module.function`, from whichever code.* attributes the span carries. */
function functionOf(span: Span): string {
  const name = attr(span, 'code.function.name');
  if (typeof name === 'string') return name;
  return `${String(attr(span, 'code.namespace'))}.${String(attr(span, 'code.function'))}`;
}

function exceptionTypes(span: Span): string[] {
  return span.events.filter((event) => event.name === 'exception').map((event) => String(event.attributes.find((a) => a.key === 'exception.type')?.value.value));
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

const parsedSources = new Map<string, ts.SourceFile>();

/** The 1-based line of `function name` in `file`, found by the TypeScript parser rather than a regex. */
function declarationLine(file: string, name: string): number | undefined {
  let source = parsedSources.get(file);
  if (source === undefined) {
    source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    parsedSources.set(file, source);
  }
  for (const statement of source.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name?.text === name) {
      return source.getLineAndCharacterOfPosition(statement.getStart(source)).line + 1;
    }
  }
  return undefined;
}

const EXPECTED_PARENT: ReadonlyMap<string, string> = new Map([
  ['server.handleAsk', 'askClient.sendQuestion'],
  ['assistant.answerQuestion', 'server.handleAsk'],
  ['retrieval.retrieveDocuments', 'assistant.answerQuestion'],
  ['llm.embedQuery', 'retrieval.retrieveDocuments'],
  ['retrieval.fetchDocumentIds', 'retrieval.retrieveDocuments'],
  ['vectorStore.searchNearest', 'retrieval.fetchDocumentIds'],
  ['retrieval.fetchDocument', 'retrieval.retrieveDocuments'],
  ['rerank.rerank', 'assistant.answerQuestion'],
  ['rerank.scoreCandidates', 'rerank.rerank'],
  ['rerank.selectTopPassages', 'rerank.rerank'],
  ['llm.callLlm', 'assistant.answerQuestion'],
  ['tools.executeTool', 'assistant.answerQuestion'],
  ['tools.queryToolBackend', 'tools.executeTool'],
]);

const DEPRECATED_STYLE = new Set(['retrieval.fetchDocument', 'tools.queryToolBackend']);
const NAME_ONLY_STYLE = new Set(['rerank.scoreCandidates', 'rerank.selectTopPassages']);
const CODE_KEYS = ['code.function.name', 'code.file.path', 'code.line.number', 'code.function', 'code.namespace', 'code.filepath', 'code.lineno'];

function codeStyleOf(span: Span): string {
  const keys = CODE_KEYS.filter((key) => attr(span, key) !== undefined).join(',');
  switch (keys) {
    case 'code.function.name,code.file.path,code.line.number':
      return 'stable';
    case 'code.function,code.namespace,code.filepath,code.lineno':
      return 'deprecated';
    case 'code.function.name':
      return 'function-name-only';
    default:
      return `mixed: ${keys}`;
  }
}

describe('samples/ai-app', function () {
  this.timeout(30_000);

  let run: SampleRun;
  let endpoint: string;
  let spans: Span[];
  let traces: Map<string, Span[]>;

  before(async () => {
    const sink = await startOtlpSink();
    endpoint = sink.endpoint;
    try {
      run = await runSample(['--once', '--requests', String(REQUESTS), '--protocol', 'http/json', '--endpoint', sink.endpoint, ...FAST]);
    } finally {
      await sink.close();
    }
    spans = spansOf(sink.bodies);
    traces = groupByTrace(spans);
  });

  it('runs the requests, exports every span and exits 0 with a one-line summary', () => {
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '');
    const failedTraces = [...traces.values()].filter((trace) => trace.some((span) => span.parentSpanId === undefined && span.status.code === 'error'));
    const summary = run.stdout.trim().split('\n').at(-1);
    assert.equal(summary, `ai-app: ${REQUESTS} requests (${failedTraces.length} failed); ${spans.length} spans exported to ${endpoint}/v1/traces (http/json)`);
    assert.equal(traces.size, REQUESTS);
  });

  it('gives each request one trace across three services, rooted at the front end', () => {
    for (const trace of traces.values()) {
      const roots = trace.filter((span) => span.parentSpanId === undefined);
      assert.equal(roots.length, 1);
      assert.equal(roots[0].name, 'POST /ask');
      assert.equal(roots[0].kind, 'client');
      assert.equal(roots[0].resource.serviceName, 'chat-frontend');
      assert.deepEqual(new Set(trace.map((span) => span.resource.serviceName)), new Set(['chat-frontend', 'ai-assistant', 'vector-store']));
    }
    for (const span of spans) {
      const names = span.resource.attributes.map((attribute) => attribute.key);
      assert.ok(names.includes('service.version') && names.includes('telemetry.sdk.language'), span.name);
      assert.equal(span.resource.attributes.find((a) => a.key === 'deployment.environment.name')?.value.value, 'development');
    }
    assert.ok(spans.filter((span) => functionOf(span) === 'vectorStore.searchNearest').every((span) => span.resource.serviceName === 'vector-store'));
  });

  it('nests the pipeline: handler, retrieval, rerank, LLM, tool, LLM', () => {
    for (const trace of traces.values()) {
      const byId = new Map(trace.map((span) => [span.spanId, span]));
      for (const span of trace) {
        if (span.parentSpanId === undefined) continue;
        const parent = byId.get(span.parentSpanId);
        assert.ok(parent, `${span.name} has no parent in its trace`);
        assert.equal(functionOf(parent), EXPECTED_PARENT.get(functionOf(span)), `parent of ${functionOf(span)}`);
      }
      const server = trace.find((span) => span.kind === 'server' && span.resource.serviceName === 'ai-assistant');
      const answer = trace.find((span) => functionOf(span) === 'assistant.answerQuestion');
      assert.ok(server && answer);
      if (intAttr(server, 'http.response.status_code') !== 200) continue;
      const steps = trace
        .filter((span) => span.parentSpanId === answer.spanId && span.status.code !== 'error')
        .sort((a, b) => Number(a.startTimeUnixNano - b.startTimeUnixNano))
        .map(functionOf);
      assert.deepEqual(steps, ['retrieval.retrieveDocuments', 'rerank.rerank', 'llm.callLlm', 'tools.executeTool', 'llm.callLlm']);
    }
  });

  it('fetches documents N+1: one sequential database query per retrieved ID', () => {
    let queries = 0;
    for (const trace of traces.values()) {
      const retrieve = trace.find((span) => functionOf(span) === 'retrieval.retrieveDocuments');
      const search = trace.find((span) => functionOf(span) === 'retrieval.fetchDocumentIds');
      assert.ok(retrieve && search);
      const fetches = trace.filter((span) => span.parentSpanId === retrieve.spanId && functionOf(span) === 'retrieval.fetchDocument').sort((a, b) => Number(a.startTimeUnixNano - b.startTimeUnixNano));
      const ids = (JSON.parse(stringAttr(search, 'gen_ai.retrieval.documents')) as { id: string }[]).map((document) => document.id);
      assert.equal(fetches.length, ids.length);
      assert.equal(fetches.length, intAttr(retrieve, 'retrieval.document_count'));
      assert.equal(fetches.length, intAttr(search, 'gen_ai.request.top_k'));
      assert.ok(fetches.length >= 4 && fetches.length <= 9, `${fetches.length} documents`);
      // The SDK takes start times from Date.now() (whole milliseconds) and durations from performance.now().
      for (let i = 1; i < fetches.length; i++) {
        const previousEnd = fetches[i - 1].startTimeUnixNano + fetches[i - 1].durationNano;
        assert.ok(fetches[i].startTimeUnixNano + MILLISECOND_NANOS >= previousEnd, 'the queries overlap: they are not one after another');
      }
      for (const fetch of fetches) {
        assert.equal(fetch.name, 'SELECT articles');
        assert.equal(fetch.kind, 'client');
        assert.equal(stringAttr(fetch, 'db.system.name'), 'postgresql');
        assert.equal(stringAttr(fetch, 'db.operation.name'), 'SELECT');
        assert.match(stringAttr(fetch, 'db.query.text'), /^SELECT .* FROM articles WHERE id = \$1$/);
      }
      queries += fetches.length;
    }
    assert.ok(queries > REQUESTS * 4);
  });

  it('records GenAI attributes on model, retrieval and tool spans', () => {
    const chats = spans.filter((span) => functionOf(span) === 'llm.callLlm');
    assert.ok(chats.length >= REQUESTS);
    for (const chat of chats) {
      assert.equal(chat.name, 'chat gpt-4o-mini');
      assert.equal(chat.kind, 'client');
      assert.equal(stringAttr(chat, 'gen_ai.operation.name'), 'chat');
      assert.equal(stringAttr(chat, 'gen_ai.provider.name'), 'openai');
      assert.equal(stringAttr(chat, 'gen_ai.system'), 'openai');
      assert.equal(stringAttr(chat, 'gen_ai.request.model'), 'gpt-4o-mini');
      assert.equal(attr(chat, 'gen_ai.request.temperature'), 0.2);
      assert.equal(intAttr(chat, 'gen_ai.request.max_tokens'), 512);
      const input = JSON.parse(stringAttr(chat, 'gen_ai.input.messages')) as { role: string; parts: { type: string }[] }[];
      assert.equal(input[0].role, 'user');
      assert.equal(input[0].parts[0].type, 'text');
      if (chat.status.code === 'error') continue;
      assert.equal(stringAttr(chat, 'gen_ai.response.model'), 'gpt-4o-mini-2024-07-18');
      assert.match(stringAttr(chat, 'gen_ai.response.id'), /^chatcmpl-[0-9a-f]{24}$/);
      assert.ok(intAttr(chat, 'gen_ai.usage.input_tokens') > 0 && intAttr(chat, 'gen_ai.usage.output_tokens') > 0);
      const finishReasons = attr(chat, 'gen_ai.response.finish_reasons') as AnyValue[];
      assert.equal(finishReasons.length, 1);
      const output = JSON.parse(stringAttr(chat, 'gen_ai.output.messages')) as { role: string; finish_reason: string }[];
      assert.equal(output[0].role, 'assistant');
      assert.equal(output[0].finish_reason, finishReasons[0].value);
    }
    for (const tool of spans.filter((span) => functionOf(span) === 'tools.executeTool')) {
      assert.equal(stringAttr(tool, 'gen_ai.operation.name'), 'execute_tool');
      assert.equal(tool.name, `execute_tool ${stringAttr(tool, 'gen_ai.tool.name')}`);
      // The call ID is the one the model asked for in the preceding chat.
      const siblings = spans.filter((span) => span.parentSpanId === tool.parentSpanId && functionOf(span) === 'llm.callLlm' && span.status.code !== 'error');
      const request = siblings.find((span) => span.startTimeUnixNano < tool.startTimeUnixNano);
      assert.ok(request);
      const asked = JSON.parse(stringAttr(request, 'gen_ai.output.messages')) as { parts: { type: string; id: string; name: string }[] }[];
      assert.deepEqual(asked[0].parts[0], { ...asked[0].parts[0], type: 'tool_call', id: stringAttr(tool, 'gen_ai.tool.call.id'), name: stringAttr(tool, 'gen_ai.tool.name') });
    }
    const embeddings = spans.filter((span) => functionOf(span) === 'llm.embedQuery');
    assert.equal(embeddings.length, REQUESTS);
    assert.ok(embeddings.every((span) => attr(span, 'gen_ai.operation.name') === 'embeddings' && intAttr(span, 'gen_ai.embeddings.dimension.count') === 1536));
    assert.ok(spans.filter((span) => functionOf(span) === 'retrieval.fetchDocumentIds').every((span) => attr(span, 'gen_ai.operation.name') === 'retrieval'));
  });

  it('fails some requests on tool timeouts and retries rate-limited LLM calls', () => {
    const timeouts = spans.filter((span) => functionOf(span) === 'tools.executeTool' && span.status.code === 'error');
    assert.ok(timeouts.length > 0, 'no tool timed out');
    for (const tool of timeouts) {
      assert.deepEqual(exceptionTypes(tool), ['ToolTimeoutError']);
      assert.equal(stringAttr(tool, 'error.type'), 'ToolTimeoutError');
      const query = spans.find((span) => span.parentSpanId === tool.spanId);
      assert.ok(query && query.status.code === 'error');
      assert.equal(stringAttr(query, 'db.response.status_code'), '57014');
      const trace = traces.get(tool.traceId) ?? [];
      const server = trace.find((span) => span.kind === 'server' && span.resource.serviceName === 'ai-assistant');
      const root = trace.find((span) => span.parentSpanId === undefined);
      assert.ok(server && root);
      assert.equal(intAttr(server, 'http.response.status_code'), 504);
      assert.equal(server.status.code, 'error');
      assert.equal(root.status.code, 'error');
      assert.equal(stringAttr(root, 'error.type'), '504');
    }
    const limited = spans.filter((span) => functionOf(span) === 'llm.callLlm' && span.status.code === 'error');
    assert.ok(limited.length > 0, 'no LLM call was rate limited');
    for (const chat of limited) {
      assert.deepEqual(exceptionTypes(chat), ['RateLimitError']);
      const retry = spans.find((span) => span.parentSpanId === chat.parentSpanId && functionOf(span) === 'llm.callLlm' && span.startTimeUnixNano > chat.startTimeUnixNano);
      assert.ok(retry, 'a rate-limited call is retried');
    }
  });

  it('points each span at its function with the stable, deprecated or name-only code attributes', () => {
    const styles = countBy(spans, codeStyleOf);
    assert.deepEqual([...styles.keys()].sort(), ['deprecated', 'function-name-only', 'stable']);
    assert.ok((styles.get('stable') ?? 0) > spans.length / 2, 'most spans use the stable names');
    const checked = new Set<string>();
    for (const span of spans) {
      const qualified = functionOf(span);
      const expectedStyle = DEPRECATED_STYLE.has(qualified) ? 'deprecated' : NAME_ONLY_STYLE.has(qualified) ? 'function-name-only' : 'stable';
      assert.equal(codeStyleOf(span), expectedStyle, qualified);
      const [namespace, functionName] = qualified.split('.');
      const file = path.join(sampleSrc, `${namespace}.ts`);
      const line = declarationLine(file, functionName);
      assert.ok(line !== undefined, `${file} declares ${functionName}`);
      if (expectedStyle === 'stable') {
        assert.equal(stringAttr(span, 'code.file.path'), file);
        assert.equal(intAttr(span, 'code.line.number'), line, qualified);
      } else if (expectedStyle === 'deprecated') {
        assert.equal(stringAttr(span, 'code.namespace'), namespace);
        assert.equal(stringAttr(span, 'code.filepath'), file);
        assert.equal(intAttr(span, 'code.lineno'), line, qualified);
      }
      checked.add(qualified);
    }
    assert.deepEqual([...checked].sort(), [...EXPECTED_PARENT.keys(), 'askClient.sendQuestion'].sort());
  });

  it('repeats the same run for the same seed, reporting container paths with --path-prefix', async () => {
    const sink = await startOtlpSink();
    let again: SampleRun;
    try {
      again = await runSample(['--requests', String(REQUESTS), '--protocol', 'http/json', '--endpoint', sink.endpoint, '--path-prefix', '/app', ...FAST]);
    } finally {
      await sink.close();
    }
    assert.equal(again.code, 0, again.stderr);
    const prefixed = spansOf(sink.bodies);
    const outcome = (span: Span): string => `${functionOf(span)} ${span.status.code}`;
    assert.deepEqual(new Map([...countBy(prefixed, outcome)].sort()), new Map([...countBy(spans, outcome)].sort()));
    let paths = 0;
    for (const span of prefixed) {
      const filePath = attr(span, 'code.file.path') ?? attr(span, 'code.filepath');
      if (filePath === undefined) continue;
      assert.match(String(filePath), /^\/app\/src\/[A-Za-z]+\.ts$/);
      assert.ok(existsSync(path.join(sampleSrc, path.posix.basename(String(filePath)))));
      paths++;
    }
    assert.ok(paths > 0);
  });

  it('exports over http/protobuf by default', async () => {
    const sink = await startOtlpSink();
    let protobufRun: SampleRun;
    try {
      protobufRun = await runSample(['--requests', '2', '--endpoint', sink.endpoint, ...FAST]);
    } finally {
      await sink.close();
    }
    assert.equal(protobufRun.code, 0, protobufRun.stderr);
    assert.match(protobufRun.stdout, /2 requests \(\d failed\); \d+ spans exported to .* \(http\/protobuf\)\n$/);
    assert.ok(sink.bodies.length > 0);
    assert.ok(sink.bodies.every((received) => received.contentType === 'application/x-protobuf'));
  });

  it('says clearly when the endpoint is unreachable and exits non-zero', async () => {
    const closed = await startOtlpSink();
    await closed.close();
    const started = Date.now();
    const failed = await runSample(['--endpoint', closed.endpoint, ...FAST]);
    assert.equal(failed.code, 1);
    assert.equal(failed.stdout, '');
    assert.match(failed.stderr, /^ai-app: cannot reach the OTLP endpoint http:\/\/127\.0\.0\.1:\d+\/v1\/traces \(http\/protobuf\): connect ECONNREFUSED/);
    assert.ok(Date.now() - started < 10_000);
  });
});
