import { strict as assert } from 'node:assert';
import {
  CodeLocationReader,
  codeLocationOfSpan,
  MAX_STACK_TRACE_CHARS,
  NO_CODE_LOCATION,
  spanCodeLocation,
} from '../../../src/core/codeMapping/spanCodeLocation';
import type { SpanCodeLocation } from '../../../src/core/codeMapping/spanCodeLocation';
import type { AnyValue, Attribute, Span, SpanEvent } from '../../../src/core/model/trace';
import { EMPTY_SCOPE } from '../../../src/core/model/trace';

const str = (key: string, value: string): Attribute => ({ key, value: { type: 'string', value } });
const int = (key: string, value: string): Attribute => ({ key, value: { type: 'int', value } });
const other = (key: string, value: AnyValue): Attribute => ({ key, value });

function location(fields: Partial<SpanCodeLocation>): SpanCodeLocation {
  return { ...NO_CODE_LOCATION, ...fields };
}

function spanWith(attributes: readonly Attribute[], events: readonly SpanEvent[] = []): Span {
  return {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    parentSpanId: undefined,
    name: 'work',
    kind: 'internal',
    status: { code: 'unset' },
    startTimeUnixNano: 1_760_000_000_000_000_000n,
    durationNano: 1000n,
    attributes,
    events,
    links: [],
    resource: { serviceName: 'svc', attributes: [] },
    scope: EMPTY_SCOPE,
  };
}

const exceptionEvent = (stackTrace: AnyValue, name = 'exception'): SpanEvent => ({
  timeUnixNano: 1_760_000_000_000_000_500n,
  name,
  attributes: [str('exception.type', 'Error'), other('exception.stacktrace', stackTrace)],
});

const JS_STACK = 'Error: boom\n    at Cart.load (/srv/app/cart.ts:17:3)\n    at main (/srv/app/main.ts:5:1)';

describe('span code locations', () => {
  it('read the stable code attributes, column included', () => {
    assert.deepEqual(
      spanCodeLocation([str('code.function.name', 'Cart.load'), str('code.file.path', '/srv/cart.ts'), int('code.line.number', '17'), int('code.column.number', '3')]),
      location({ functionName: 'Cart.load', filePath: '/srv/cart.ts', lineNumber: 17, columnNumber: 3, fileOrigin: 'code' }),
    );
  });

  it('read the deprecated names, with code.namespace before code.function', () => {
    assert.deepEqual(
      spanCodeLocation([str('code.function', 'total'), str('code.namespace', 'pricing'), str('code.filepath', 'pricing.py'), str('code.lineno', '40'), str('code.column', '9')]),
      location({ functionName: 'pricing.total', filePath: 'pricing.py', lineNumber: 40, columnNumber: 9, fileOrigin: 'code' }),
    );
    assert.deepEqual(spanCodeLocation([str('code.function', 'bare')]), location({ functionName: 'bare' }));
  });

  it('prefer the stable names over the deprecated ones, in any order', () => {
    const stable = [str('code.function.name', 'a.b'), str('code.file.path', '/new.ts'), int('code.line.number', '2'), int('code.column.number', '4')];
    const deprecated = [str('code.function', 'c'), str('code.namespace', 'old'), str('code.filepath', '/old.ts'), int('code.lineno', '20'), int('code.column', '40')];
    const expected = location({ functionName: 'a.b', filePath: '/new.ts', lineNumber: 2, columnNumber: 4, fileOrigin: 'code' });
    assert.deepEqual(spanCodeLocation([...stable, ...deprecated]), expected);
    assert.deepEqual(spanCodeLocation([...deprecated, ...stable]), expected);
    // Each field falls back on its own.
    assert.deepEqual(
      spanCodeLocation([str('code.file.path', '/new.ts'), int('code.lineno', '20'), int('code.column', '40')]),
      location({ filePath: '/new.ts', lineNumber: 20, columnNumber: 40, fileOrigin: 'code' }),
    );
  });

  it('ignore garbage values: empty strings, zero, negative, fractional, huge and wrongly typed numbers', () => {
    assert.equal(spanCodeLocation([str('code.function.name', ''), str('code.file.path', ''), int('code.line.number', '0')]), NO_CODE_LOCATION);
    for (const bad of ['-3', '1.5', '1e3', '1234567890', '', ' 7', '0x10']) {
      assert.equal(spanCodeLocation([str('code.line.number', bad), str('code.column.number', bad)]), NO_CODE_LOCATION, bad);
    }
    assert.equal(
      spanCodeLocation([other('code.line.number', { type: 'double', value: 12 }), other('code.file.path', { type: 'bool', value: true }), other('code.function.name', { type: 'array', value: [] })]),
      NO_CODE_LOCATION,
    );
    // A line given as a decimal string is read, as some SDKs send it so.
    assert.deepEqual(spanCodeLocation([str('code.line.number', '12')]), location({ lineNumber: 12, fileOrigin: 'code' }));
    assert.equal(spanCodeLocation([str('http.route', '/cart'), str('codex.thing', 'x'), str('code', 'x')]), NO_CODE_LOCATION);
  });

  it('read the lowest Datadog code origin frame, in any attribute order', () => {
    const frames = [
      str('_dd.code_origin.type', 'entry'),
      str('_dd.code_origin.frames.1.file', '/app/views.py'),
      str('_dd.code_origin.frames.1.line', '88'),
      str('_dd.code_origin.frames.0.method', 'serve'),
      str('_dd.code_origin.frames.0.type', 'com.example.Handler'),
      str('_dd.code_origin.frames.0.file', '/app/Handler.java'),
      int('_dd.code_origin.frames.0.line', '42'),
      str('_dd.code_origin.frames.2.method', 'later'),
    ];
    const expected = location({ functionName: 'com.example.Handler.serve', filePath: '/app/Handler.java', lineNumber: 42, fileOrigin: 'datadog' });
    assert.deepEqual(spanCodeLocation(frames), expected);
    assert.deepEqual(spanCodeLocation([...frames].reverse()), expected);
    // Frame 10 is after frame 9, not before frame 2.
    assert.deepEqual(
      spanCodeLocation([str('_dd.code_origin.frames.10.file', '/ten.py'), str('_dd.code_origin.frames.9.file', '/nine.py')]),
      location({ filePath: '/nine.py', fileOrigin: 'datadog' }),
    );
    // A method without a type stands alone; fields of higher frames never mix into the lowest.
    assert.deepEqual(
      spanCodeLocation([str('_dd.code_origin.frames.1.type', 'Other'), str('_dd.code_origin.frames.0.method', 'handle'), str('_dd.code_origin.frames.1.line', '7')]),
      location({ functionName: 'handle' }),
    );
  });

  it('prefer code.* over Datadog frames for the file, and a code function name over a frame method', () => {
    const frame = [str('_dd.code_origin.frames.0.file', '/dd.py'), str('_dd.code_origin.frames.0.line', '5'), str('_dd.code_origin.frames.0.method', 'm'), str('_dd.code_origin.frames.0.type', 'T')];
    assert.deepEqual(
      spanCodeLocation([...frame, str('code.filepath', '/code.py'), int('code.lineno', '9'), str('code.function', 'f')]),
      location({ functionName: 'f', filePath: '/code.py', lineNumber: 9, fileOrigin: 'code' }),
    );
    // Without a code file the frame gives file and line; a code line and column alone say nothing next to it.
    assert.deepEqual(
      spanCodeLocation([int('code.line.number', '99'), int('code.column.number', '3'), ...frame]),
      location({ functionName: 'T.m', filePath: '/dd.py', lineNumber: 5, fileOrigin: 'datadog' }),
    );
    assert.deepEqual(
      spanCodeLocation([str('code.function.name', 'pkg.fn'), ...frame]),
      location({ functionName: 'pkg.fn', filePath: '/dd.py', lineNumber: 5, fileOrigin: 'datadog' }),
    );
  });

  it('ignore malformed Datadog keys and values', () => {
    assert.equal(
      spanCodeLocation([
        str('_dd.code_origin.frames.x.file', '/a.py'),
        str('_dd.code_origin.frames.0', '/b.py'),
        str('_dd.code_origin.frames.0.column', '3'),
        str('_dd.code_origin.frames..file', '/c.py'),
        str('_dd.code_origin.frames.0.file', ''),
        str('_dd.code_origin.frames.0.line', 'abc'),
        str('_dd.code_origin.frames.1234567.file', '/d.py'),
      ]),
      NO_CODE_LOCATION,
    );
  });

  it('keep code.stacktrace, else exception.stacktrace, only when no file is named', () => {
    assert.deepEqual(spanCodeLocation([str('exception.stacktrace', 'E'), str('code.stacktrace', JS_STACK)]), location({ stackTrace: JS_STACK }));
    assert.deepEqual(
      spanCodeLocation([str('code.function.name', 'f'), str('exception.stacktrace', JS_STACK)]),
      location({ functionName: 'f', stackTrace: JS_STACK }),
    );
    assert.deepEqual(
      spanCodeLocation([str('code.stacktrace', JS_STACK), str('code.file.path', '/a.ts')]),
      location({ filePath: '/a.ts', fileOrigin: 'code' }),
    );
    assert.deepEqual(
      spanCodeLocation([str('code.stacktrace', JS_STACK), str('_dd.code_origin.frames.0.file', '/a.py')]),
      location({ filePath: '/a.py', fileOrigin: 'datadog' }),
    );
    assert.equal(spanCodeLocation([str('code.stacktrace', '  \n ')]), NO_CODE_LOCATION);
  });

  it('cap stack traces at 16 KiB, cut at a line break', () => {
    const line = '    at handler (/srv/app/some/deep/module/path.ts:123:45)\n';
    const long = `Error: deep\n${line.repeat(1000)}`;
    const kept = spanCodeLocation([str('code.stacktrace', long)]).stackTrace ?? assert.fail('no stack trace');
    assert.equal(MAX_STACK_TRACE_CHARS, 16 * 1024);
    assert.ok(kept.length <= MAX_STACK_TRACE_CHARS && kept.length > MAX_STACK_TRACE_CHARS - line.length, `${kept.length} characters kept`);
    assert.ok(long.startsWith(kept) && kept.endsWith(':123:45)'));
    const oneLine = 'x'.repeat(MAX_STACK_TRACE_CHARS * 2);
    assert.equal(spanCodeLocation([str('code.stacktrace', oneLine)]).stackTrace, oneLine.slice(0, MAX_STACK_TRACE_CHARS));
    const exact = 'y'.repeat(MAX_STACK_TRACE_CHARS);
    assert.equal(spanCodeLocation([str('code.stacktrace', exact)]).stackTrace, exact);
  });

  it('read stack traces of exception events on model spans, attributes first, the last event otherwise', () => {
    assert.deepEqual(codeLocationOfSpan(spanWith([], [exceptionEvent({ type: 'string', value: JS_STACK })])), location({ stackTrace: JS_STACK }));
    assert.deepEqual(
      codeLocationOfSpan(spanWith([], [exceptionEvent({ type: 'string', value: 'first' }), exceptionEvent({ type: 'string', value: 'last' })])),
      location({ stackTrace: 'last' }),
    );
    assert.deepEqual(
      codeLocationOfSpan(spanWith([str('exception.stacktrace', 'attribute')], [exceptionEvent({ type: 'string', value: 'event' })])),
      location({ stackTrace: 'attribute' }),
    );
    assert.equal(codeLocationOfSpan(spanWith([], [exceptionEvent({ type: 'string', value: JS_STACK }, 'log')])), NO_CODE_LOCATION);
    assert.equal(codeLocationOfSpan(spanWith([], [exceptionEvent({ type: 'int', value: '5' })])), NO_CODE_LOCATION);
    assert.deepEqual(
      codeLocationOfSpan(spanWith([str('code.file.path', '/a.ts')], [exceptionEvent({ type: 'string', value: JS_STACK })])),
      location({ filePath: '/a.ts', fileOrigin: 'code' }),
    );
    // Attributes alone (spanCodeLocation) do not see events.
    assert.equal(spanCodeLocation(spanWith([], [exceptionEvent({ type: 'string', value: JS_STACK })]).attributes), NO_CODE_LOCATION);
  });

  it('start over after each result, so one reader serves span after span', () => {
    const reader = new CodeLocationReader();
    reader.offer('_dd.code_origin.frames.3.file', '/three.py', undefined);
    reader.offer('code.stacktrace', JS_STACK, undefined);
    reader.offerExceptionEvent('event');
    reader.offer('code.column.number', undefined, '7');
    assert.deepEqual(reader.result(), location({ filePath: '/three.py', fileOrigin: 'datadog' }));
    assert.equal(reader.result(), NO_CODE_LOCATION);
    // The next span's frame 5 is read even though the last span had frame 3.
    reader.offer('_dd.code_origin.frames.5.file', '/five.py', undefined);
    assert.deepEqual(reader.result(), location({ filePath: '/five.py', fileOrigin: 'datadog' }));
  });

  it('want only keys that may be code attributes', () => {
    for (const key of ['code.function.name', 'code.lineno', 'code.column', 'code.stacktrace', 'exception.stacktrace', '_dd.code_origin.frames.0.file']) {
      assert.ok(CodeLocationReader.wants(key), key);
    }
    for (const key of ['', 'c', 'code', 'http.method', 'exception.message', 'exception.stacktrace2', '_dd.code_origin.type', '_dd.p.tid', 'codes.function.name']) {
      assert.ok(!CodeLocationReader.wants(key), key);
    }
  });
});
