import { strict as assert } from 'node:assert';
import { MAX_GENAI_MESSAGES } from '../../../src/core/genai/genAiDetail';
import { anyValueToText, buildSpanDetail, codeLocationLabel, MAX_VALUE_DEPTH } from '../../../src/core/layout/spanDetail';
import { formatUnixNanoIso } from '../../../src/core/layout/timestampText';
import type { AnyValue, Attribute, Span } from '../../../src/core/model/trace';
import type { GenAiDetail, SpanDetail } from '../../../src/shared/webviewProtocol';
import { BASE_TIME_UNIX_NANO, makeSpan, resourceFor } from './traceBuilders';

describe('span detail', () => {
  it('renders scalar values as plain text and int64 exactly', () => {
    assert.equal(anyValueToText({ type: 'string', value: '<img src=x onerror=alert(1)>' }), '<img src=x onerror=alert(1)>');
    assert.equal(anyValueToText({ type: 'int', value: '9223372036854775807' }), '9223372036854775807');
    assert.equal(anyValueToText({ type: 'double', value: 0.5 }), '0.5');
    assert.equal(anyValueToText({ type: 'bool', value: false }), 'false');
    assert.equal(anyValueToText({ type: 'bytes', value: 'AQID' }), 'AQID');
    assert.equal(anyValueToText({ type: 'empty', value: null }), '');
  });

  it('renders arrays and maps as JSON, keeping int64 digits and quoting NaN', () => {
    const value: AnyValue = {
      type: 'map',
      value: [
        { key: 'ids', value: { type: 'array', value: [{ type: 'int', value: '9007199254740993' }, { type: 'int', value: '-2' }] } },
        { key: 'ratio', value: { type: 'double', value: Number.NaN } },
        { key: 'say "hi"', value: { type: 'string', value: 'a\nb' } },
        { key: 'none', value: { type: 'empty', value: null } },
        { key: 'ok', value: { type: 'bool', value: true } },
      ],
    };
    const text = anyValueToText(value);
    assert.equal(text, '{"ids": [9007199254740993, -2], "ratio": "NaN", "say \\"hi\\"": "a\\nb", "none": null, "ok": true}');
  });

  it('caps nesting depth instead of recursing without bound', () => {
    let value: AnyValue = { type: 'string', value: 'deep' };
    for (let i = 0; i < 10_000; i++) value = { type: 'array', value: [value] };
    const text = anyValueToText(value);
    assert.equal(text, `${'['.repeat(MAX_VALUE_DEPTH)}"…"${']'.repeat(MAX_VALUE_DEPTH)}`);
  });

  it('builds the detail of a span with events, links, resource and scope', () => {
    const span = makeSpan(
      { index: 3, parent: 1, name: 'GET /users', service: 'api', startOffsetNano: 5_000n, durationNano: 2_500_000n },
      {
        kind: 'server',
        status: { code: 'error', message: 'upstream timeout' },
        attributes: [{ key: 'http.status_code', value: { type: 'int', value: '504' } }],
        events: [{ timeUnixNano: BASE_TIME_UNIX_NANO + 1_005_000n, name: 'retry', attributes: [{ key: 'attempt', value: { type: 'int', value: '2' } }] }],
        links: [{ traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), attributes: [] }],
        resource: resourceFor('api', [{ key: 'host.name', value: { type: 'string', value: 'node-1' } }]),
        scope: { name: 'io.opentelemetry.http', version: '1.2.0', attributes: [] },
      },
    );
    const detail = buildSpanDetail(span, 7);
    assert.equal(detail.position, 7);
    assert.equal(detail.spanId, '0000000000000004');
    assert.equal(detail.parentSpanId, '0000000000000002');
    assert.equal(detail.name, 'GET /users');
    assert.equal(detail.service, 'api');
    assert.equal(detail.kind, 'server');
    assert.equal(detail.statusCode, 'error');
    assert.equal(detail.statusMessage, 'upstream timeout');
    assert.equal(detail.startTimeUnixNano, (BASE_TIME_UNIX_NANO + 5_000n).toString());
    assert.equal(detail.durationNano, '2500000');
    assert.deepEqual(detail.attributes, [{ key: 'http.status_code', type: 'int', text: '504' }]);
    assert.deepEqual(detail.resource.map((a) => a.key), ['service.name', 'host.name']);
    assert.deepEqual(detail.scope, { name: 'io.opentelemetry.http', version: '1.2.0', attributes: [] });
    assert.deepEqual(detail.events, [
      {
        offsetNano: 1_000_000,
        timeUnixNano: (BASE_TIME_UNIX_NANO + 1_005_000n).toString(),
        name: 'retry',
        attributes: [{ key: 'attempt', type: 'int', text: '2' }],
      },
    ]);
    assert.equal(detail.codeLocation, undefined);
    assert.equal(detail.genAi, undefined);
    assert.deepEqual(detail.links, [{ traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), attributes: [] }]);
  });

  it('formats absolute start times to the nanosecond', () => {
    assert.equal(formatUnixNanoIso(BASE_TIME_UNIX_NANO), '2023-11-14T22:13:20.123456789Z');
    assert.equal(formatUnixNanoIso('1000000'), '1970-01-01T00:00:00.001000000Z');
    assert.equal(formatUnixNanoIso('not a number'), 'not a number');
  });
});

const str = (key: string, value: string): Attribute => ({ key, value: { type: 'string', value } });
const int = (key: string, value: number | string): Attribute => ({ key, value: { type: 'int', value: String(value) } });
const dbl = (key: string, value: number): Attribute => ({ key, value: { type: 'double', value } });
const strings = (key: string, values: readonly string[]): Attribute => ({
  key,
  value: { type: 'array', value: values.map((value) => ({ type: 'string', value })) },
});
const mapValue = (entries: Record<string, AnyValue>): AnyValue => ({
  type: 'map',
  value: Object.entries(entries).map(([key, value]) => ({ key, value })),
});
const text = (value: string): AnyValue => ({ type: 'string', value });

function genAiOf(attributes: readonly Attribute[], events: Span['events'] = []): GenAiDetail {
  const detail = buildSpanDetail(makeSpan({ index: 0, name: 'chat gpt-4o-mini' }, { attributes, events }), 0);
  assert.ok(detail.genAi, 'the span has a GenAI section');
  return detail.genAi;
}

function event(name: string, attributes: readonly Attribute[], offsetNano = 1_000n): Span['events'][number] {
  return { timeUnixNano: BASE_TIME_UNIX_NANO + offsetNano, name, attributes };
}

describe('span detail: GenAI', () => {
  it('reads the current names, as the sample app sends them (JSON strings)', () => {
    const genAi = genAiOf([
      str('gen_ai.operation.name', 'chat'),
      str('gen_ai.provider.name', 'openai'),
      str('gen_ai.system', 'ignored-when-provider-is-set'),
      str('gen_ai.request.model', 'gpt-4o-mini'),
      dbl('gen_ai.request.temperature', 0.2),
      int('gen_ai.request.max_tokens', 512),
      str('gen_ai.system_instructions', JSON.stringify([{ type: 'text', content: 'You are a support assistant.' }])),
      str(
        'gen_ai.input.messages',
        JSON.stringify([
          { role: 'user', parts: [{ type: 'text', content: 'Where is order 1234?' }] },
          { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_1', name: 'get_order_status', arguments: { order_id: '1234' } }] },
          { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_1', result: { status: 'delayed' } }] },
          { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_2', response: 'rainy, 57°F' }] },
        ]),
      ),
      str('gen_ai.response.model', 'gpt-4o-mini-2024-07-18'),
      strings('gen_ai.response.finish_reasons', ['stop']),
      int('gen_ai.usage.input_tokens', 1840),
      int('gen_ai.usage.output_tokens', 260),
      str(
        'gen_ai.output.messages',
        JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: 'It is delayed.' }], finish_reason: 'stop' }]),
      ),
    ]);
    assert.equal(genAi.operation, 'chat');
    assert.equal(genAi.provider, 'openai');
    assert.equal(genAi.requestModel, 'gpt-4o-mini');
    assert.equal(genAi.responseModel, 'gpt-4o-mini-2024-07-18');
    assert.equal(genAi.inputTokens, 1840);
    assert.equal(genAi.outputTokens, 260);
    assert.deepEqual(genAi.finishReasons, ['stop']);
    assert.deepEqual(genAi.settings, [
      { key: 'gen_ai.request.temperature', label: 'Temperature', text: '0.2' },
      { key: 'gen_ai.request.max_tokens', label: 'Max tokens', text: '512' },
    ]);
    assert.equal(genAi.messageSource, 'messages');
    assert.deepEqual(genAi.inputMessages, [
      { role: 'system', parts: [{ kind: 'text', text: 'You are a support assistant.' }] },
      { role: 'user', parts: [{ kind: 'text', text: 'Where is order 1234?' }] },
      { role: 'assistant', parts: [{ kind: 'toolCall', id: 'call_1', name: 'get_order_status', argumentsText: '{\n  "order_id": "1234"\n}' }] },
      { role: 'tool', parts: [{ kind: 'toolResult', id: 'call_1', resultText: '{\n  "status": "delayed"\n}' }] },
      { role: 'tool', parts: [{ kind: 'toolResult', id: 'call_2', resultText: 'rainy, 57°F' }] },
    ]);
    assert.deepEqual(genAi.outputMessages, [{ role: 'assistant', finishReason: 'stop', parts: [{ kind: 'text', text: 'It is delayed.' }] }]);
    assert.equal(genAi.tool, undefined);
  });

  it('reads structured message values and falls back to gen_ai.system for the provider', () => {
    const messages: AnyValue = {
      type: 'array',
      value: [
        mapValue({
          role: text('user'),
          parts: { type: 'array', value: [mapValue({ type: text('text'), content: text('hi') }), mapValue({ type: text('blob'), modality: text('image'), content: text('AAAA') })] },
        }),
      ],
    };
    const genAi = genAiOf([str('gen_ai.system', 'anthropic'), { key: 'gen_ai.input.messages', value: messages }]);
    assert.equal(genAi.provider, 'anthropic');
    assert.deepEqual(genAi.inputMessages, [
      {
        role: 'user',
        parts: [
          { kind: 'text', text: 'hi' },
          { kind: 'data', label: 'blob', text: '{\n  "modality": "image",\n  "content": "AAAA"\n}' },
        ],
      },
    ]);
  });

  it('reads the indexed gen_ai.prompt.N / gen_ai.completion.N attributes in numeric order', () => {
    const genAi = genAiOf([
      str('gen_ai.system', 'openai'),
      int('gen_ai.usage.prompt_tokens', 31),
      int('gen_ai.usage.completion_tokens', 9),
      str('gen_ai.prompt.10.role', 'user'),
      str('gen_ai.prompt.10.content', 'eleventh'),
      str('gen_ai.prompt.0.role', 'system'),
      str('gen_ai.prompt.0.content', 'Be brief.'),
      str('gen_ai.prompt.2.role', 'tool'),
      str('gen_ai.prompt.2.content', '{"temp":12}'),
      str('gen_ai.prompt.2.tool_call_id', 'call_9'),
      str('gen_ai.completion.0.role', 'assistant'),
      str('gen_ai.completion.0.finish_reason', 'tool_calls'),
      str('gen_ai.completion.0.tool_calls.1.name', 'second'),
      str('gen_ai.completion.0.tool_calls.0.name', 'get_weather'),
      str('gen_ai.completion.0.tool_calls.0.id', 'call_10'),
      str('gen_ai.completion.0.tool_calls.0.arguments', '{"city":"Paris"}'),
    ]);
    assert.equal(genAi.messageSource, 'indexed');
    assert.equal(genAi.inputTokens, 31);
    assert.equal(genAi.outputTokens, 9);
    assert.deepEqual(genAi.inputMessages, [
      { role: 'system', parts: [{ kind: 'text', text: 'Be brief.' }] },
      { role: 'tool', parts: [{ kind: 'toolResult', id: 'call_9', resultText: '{\n  "temp": 12\n}' }] },
      { role: 'user', parts: [{ kind: 'text', text: 'eleventh' }] },
    ]);
    assert.deepEqual(genAi.outputMessages, [
      {
        role: 'assistant',
        finishReason: 'tool_calls',
        parts: [
          { kind: 'toolCall', id: 'call_10', name: 'get_weather', argumentsText: '{\n  "city": "Paris"\n}' },
          { kind: 'toolCall', id: undefined, name: 'second', argumentsText: undefined },
        ],
      },
    ]);
    assert.deepEqual(genAi.finishReasons, ['tool_calls'], 'finish reasons come from the completions when the span has none');
  });

  it('reads the event-based form, with bodies in gen_ai.event.content or flattened into attributes', () => {
    const genAi = genAiOf(
      [str('gen_ai.system', 'az.ai.inference'), str('gen_ai.request.model', 'gpt-4')],
      [
        event('gen_ai.system.message', [str('gen_ai.system', 'az.ai.inference'), str('gen_ai.event.content', '{"content":"Be brief."}')]),
        event('gen_ai.user.message', [str('content', 'Weather in Paris?')]),
        event('gen_ai.assistant.message', [
          str('gen_ai.event.content', JSON.stringify({ tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Paris"}' } }] })),
        ]),
        event('gen_ai.tool.message', [str('gen_ai.event.content', JSON.stringify({ content: 'rainy, 57°F', id: 'call_1' }))]),
        event('gen_ai.choice', [
          str('gen_ai.event.content', JSON.stringify({ index: 0, finish_reason: 'stop', message: { content: 'Rainy, 57°F.' } })),
        ]),
        event('exception', [str('exception.message', 'unrelated')]),
      ],
    );
    assert.equal(genAi.messageSource, 'events');
    assert.deepEqual(genAi.inputMessages, [
      { role: 'system', parts: [{ kind: 'text', text: 'Be brief.' }] },
      { role: 'user', parts: [{ kind: 'text', text: 'Weather in Paris?' }] },
      { role: 'assistant', parts: [{ kind: 'toolCall', id: 'call_1', name: 'get_weather', argumentsText: '{\n  "location": "Paris"\n}' }] },
      { role: 'tool', parts: [{ kind: 'toolResult', id: 'call_1', resultText: 'rainy, 57°F' }] },
    ]);
    assert.deepEqual(genAi.outputMessages, [{ role: 'assistant', finishReason: 'stop', parts: [{ kind: 'text', text: 'Rainy, 57°F.' }] }]);
    assert.deepEqual(genAi.finishReasons, ['stop']);
  });

  it('reads whole conversations in gen_ai.prompt and gen_ai.completion, on the span or on content events', () => {
    const onSpan = genAiOf([str('gen_ai.prompt', JSON.stringify([{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }])), str('gen_ai.completion', 'Hi there')]);
    assert.equal(onSpan.messageSource, 'prompt');
    assert.deepEqual(onSpan.inputMessages, [{ role: 'user', parts: [{ kind: 'text', text: 'Hello' }] }]);
    assert.deepEqual(onSpan.outputMessages, [{ role: 'assistant', parts: [{ kind: 'text', text: 'Hi there' }] }]);

    const onEvents = genAiOf([], [event('gen_ai.content.prompt', [str('gen_ai.prompt', 'Plain prompt')]), event('gen_ai.content.completion', [str('gen_ai.completion', '[{"role":"assistant","content":"Done"}]')])]);
    assert.deepEqual(onEvents.inputMessages, [{ role: 'user', parts: [{ kind: 'text', text: 'Plain prompt' }] }]);
    assert.deepEqual(onEvents.outputMessages, [{ role: 'assistant', parts: [{ kind: 'text', text: 'Done' }] }]);
  });

  it('prefers the current names when several generations are present', () => {
    const genAi = genAiOf([
      str('gen_ai.prompt.0.content', 'old'),
      str('gen_ai.input.messages', '[{"role":"user","parts":[{"type":"text","content":"new"}]}]'),
    ]);
    assert.equal(genAi.messageSource, 'messages');
    assert.deepEqual(genAi.inputMessages, [{ role: 'user', parts: [{ kind: 'text', text: 'new' }] }]);
  });

  it('reads messages from an operation-details event when the span has none', () => {
    const genAi = genAiOf(
      [str('gen_ai.operation.name', 'chat')],
      [event('gen_ai.client.inference.operation.details', [str('gen_ai.output.messages', '[{"role":"assistant","parts":[{"type":"text","content":"ok"}]}]')])],
    );
    assert.deepEqual(genAi.outputMessages, [{ role: 'assistant', parts: [{ kind: 'text', text: 'ok' }] }]);
  });

  it('shows a tool execution span: name, call ID, and pretty-printed arguments and result', () => {
    const genAi = genAiOf([
      str('gen_ai.operation.name', 'execute_tool'),
      str('gen_ai.tool.name', 'get_invoice'),
      str('gen_ai.tool.call.id', 'call_abc'),
      str('gen_ai.tool.type', 'function'),
      str('gen_ai.tool.call.arguments', '{"invoice_id":"INV-7"}'),
      str('gen_ai.tool.call.result', 'not json <b>'),
    ]);
    assert.deepEqual(genAi.tool, {
      name: 'get_invoice',
      callId: 'call_abc',
      type: 'function',
      description: undefined,
      argumentsText: '{\n  "invoice_id": "INV-7"\n}',
      resultText: 'not json <b>',
    });
    assert.equal(genAi.messageSource, undefined);
    assert.deepEqual(genAi.inputMessages, []);
  });

  it('keeps hostile strings as inert text and survives hostile shapes', () => {
    const xss = '<img src=x onerror="window.__pwned=1">';
    let deep = '"bottom"';
    for (let i = 0; i < 5000; i++) deep = `[${deep}]`;
    const genAi = genAiOf(
      [
        str('gen_ai.operation.name', xss),
        // Built as text: JSON.stringify itself would overflow on this nesting.
        str('gen_ai.input.messages', `[{"role": ${JSON.stringify(xss)}, "parts": [{"type": "text", "content": ${JSON.stringify(xss)}}, {"type": "tool_call", "name": ${JSON.stringify(xss)}, "arguments": ${deep}}]}]`),
        str('gen_ai.output.messages', '[{"role": "assistant", "parts": [ {"type": "text", "content": "unterminated'),
        int('gen_ai.usage.input_tokens', '99999999999999999999'),
      ],
      [event('gen_ai.user.message', [str('gen_ai.event.content', '{"__proto__": {"polluted": true}, "content": "x"}')])],
    );
    assert.equal(genAi.operation, xss);
    const [message] = genAi.inputMessages;
    assert.equal(message.role, xss);
    assert.deepEqual(message.parts[0], { kind: 'text', text: xss });
    const call = message.parts[1];
    assert.ok(call.kind === 'toolCall' && call.name === xss);
    assert.ok(call.argumentsText !== undefined && call.argumentsText.includes('"…"'), 'deep nesting is cut');
    assert.ok(!call.argumentsText.includes('bottom'));
    // Unparseable JSON is shown as the string it is.
    assert.deepEqual(genAi.outputMessages, [{ role: 'assistant', parts: [{ kind: 'text', text: '[{"role": "assistant", "parts": [ {"type": "text", "content": "unterminated' }] }]);
    assert.equal(genAi.inputTokens, undefined, 'a count beyond 2^53 is not shown as a wrong number');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('keeps at most MAX_GENAI_MESSAGES messages per list and counts the rest', () => {
    const many = Array.from({ length: MAX_GENAI_MESSAGES + 25 }, (_, i) => ({ role: 'user', parts: [{ type: 'text', content: `m${i}` }] }));
    const genAi = genAiOf([str('gen_ai.input.messages', JSON.stringify(many))]);
    assert.equal(genAi.inputMessages.length, MAX_GENAI_MESSAGES);
    assert.equal(genAi.omittedMessages, 25);
  });

  it('leaves spans without gen_ai attributes or events alone', () => {
    const detail = buildSpanDetail(makeSpan({ index: 0 }, { attributes: [str('gen_ai_like', 'x')], events: [event('genai', [])] }), 0);
    assert.equal(detail.genAi, undefined);
  });
});

describe('span detail: code location', () => {
  function codeOf(attributes: readonly Attribute[], events: Span['events'] = []): SpanDetail['codeLocation'] {
    return buildSpanDetail(makeSpan({ index: 0 }, { attributes, events }), 0).codeLocation;
  }

  it('fills the code location from the stable attributes and labels it by file, line and function', () => {
    const code = codeOf([str('code.file.path', '/srv/app/src/server.ts'), int('code.line.number', 89), int('code.column.number', 3), str('code.function.name', 'server.handleAsk')]);
    assert.deepEqual(code, { functionName: 'server.handleAsk', filePath: '/srv/app/src/server.ts', lineNumber: 89, columnNumber: 3 });
    assert.ok(code);
    assert.equal(codeLocationLabel(code), 'server.ts:89 · handleAsk');
  });

  it('reads the deprecated attributes and keeps qualifiers that are not the file name', () => {
    const code = codeOf([str('code.filepath', 'C:\\src\\Handler.java'), int('code.lineno', 12), str('code.namespace', 'com.example.Handler'), str('code.function', 'serve')]);
    assert.deepEqual(code, { functionName: 'com.example.Handler.serve', filePath: 'C:\\src\\Handler.java', lineNumber: 12 });
    assert.ok(code);
    assert.equal(codeLocationLabel(code), 'Handler.java:12 · com.example.Handler.serve');
  });

  it('offers a function name alone, a stack trace alone, or nothing', () => {
    const functionOnly = codeOf([str('code.function.name', 'retrieval.searchArticles')]);
    assert.deepEqual(functionOnly, { functionName: 'retrieval.searchArticles' });
    assert.ok(functionOnly);
    assert.equal(codeLocationLabel(functionOnly), 'retrieval.searchArticles');

    const stackOnly = codeOf([], [event('exception', [str('exception.stacktrace', 'Error: boom\n    at handle (/app/src/x.ts:3:9)')])]);
    assert.deepEqual(stackOnly, { fromStackTrace: true });
    assert.ok(stackOnly);
    assert.equal(codeLocationLabel(stackOnly), 'Find in stack trace');

    assert.equal(codeOf([str('http.route', '/ask')]), undefined);
  });

  it('keeps a hostile file path as text', () => {
    const code = codeOf([str('code.file.path', '<img src=x onerror=alert(1)>/a"b.ts'), int('code.line.number', 1)]);
    assert.ok(code);
    assert.equal(codeLocationLabel(code), 'a"b.ts:1');
  });
});
