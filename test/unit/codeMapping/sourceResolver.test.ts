import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import type { FunctionSymbolLookup, SourceLocation, SourceResolution } from '../../../src/core/codeMapping/sourceResolver';
import { SourceResolver } from '../../../src/core/codeMapping/sourceResolver';
import type { SpanCodeLocation } from '../../../src/core/codeMapping/spanCodeLocation';
import { NO_CODE_LOCATION } from '../../../src/core/codeMapping/spanCodeLocation';
import { WorkspaceFileIndex } from '../../../src/core/codeMapping/workspaceFileIndex';

const repoRoot = path.resolve(__dirname, '..', '..', '..');

function at(fields: Partial<SpanCodeLocation>): SpanCodeLocation {
  return { ...NO_CODE_LOCATION, ...fields };
}

/** Stands in for the editor's symbol providers, which the integration tests exercise for real. */
class FakeSymbols implements FunctionSymbolLookup {
  readonly calls: { name: string; hintPath: string | undefined }[] = [];
  failure: Error | undefined;

  constructor(private readonly declarations: Record<string, SourceLocation>) {}

  findFunction(qualifiedName: string, hint: { readonly filePath?: string }): Promise<SourceLocation | undefined> {
    this.calls.push({ name: qualifiedName, hintPath: hint.filePath });
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return Promise.resolve(this.declarations[qualifiedName]);
  }
}

function workspace(roots: readonly string[], files: readonly string[]): WorkspaceFileIndex {
  const index = new WorkspaceFileIndex(roots);
  index.add(files);
  return index;
}

function expectResolved(resolution: SourceResolution): Extract<SourceResolution, { kind: 'resolved' }> {
  assert.equal(resolution.kind, 'resolved', resolution.kind === 'unresolved' ? resolution.reason : '');
  return resolution as Extract<SourceResolution, { kind: 'resolved' }>;
}

function expectUnresolved(resolution: SourceResolution): string {
  assert.equal(resolution.kind, 'unresolved', resolution.kind === 'resolved' ? resolution.detail : '');
  return (resolution as Extract<SourceResolution, { kind: 'unresolved' }>).reason;
}

const FILES = [
  '/ws/samples/ai-app/src/server.ts',
  '/ws/samples/ai-app/src/retrieval.ts',
  '/ws/src/index.ts',
  '/ws/lib/index.ts',
  '/ws/src/main/java/com/example/shop/CartService.java',
  '/ws/test/CartService.java',
];

describe('SourceResolver', () => {
  describe('file and line', () => {
    it('resolves a workspace file as is, with its line and column', async () => {
      const resolver = new SourceResolver({ fileIndex: workspace(['/ws'], FILES) });
      const resolution = expectResolved(await resolver.resolve(at({ filePath: '/ws/src/index.ts', lineNumber: 12, columnNumber: 3, fileOrigin: 'code' })));
      assert.deepEqual(resolution.location, { filePath: '/ws/src/index.ts', lineNumber: 12, columnNumber: 3 });
      assert.equal(resolution.rule, 'file');
      assert.equal(resolution.confidence, 'high');
      assert.match(resolution.detail, /"\/ws\/src\/index\.ts" is a workspace file/);
    });

    it('says the rule is datadog when the file came from Datadog code origin frames', async () => {
      const resolver = new SourceResolver({ fileIndex: workspace(['/ws'], FILES) });
      const resolution = expectResolved(await resolver.resolve(at({ filePath: '/ws/src/index.ts', lineNumber: 5, fileOrigin: 'datadog' })));
      assert.equal(resolution.rule, 'datadog');
      assert.deepEqual(resolution.location, { filePath: '/ws/src/index.ts', lineNumber: 5 });
    });

    it('maps container paths through the path mappings first, longest remote root winning', async () => {
      const resolver = new SourceResolver({
        fileIndex: workspace(['/ws'], [...FILES, '/ws/app/src/index.ts']),
        pathMappings: [
          { remoteRoot: '/app', localRoot: '/ws/samples/ai-app' },
          { remoteRoot: '/app/lib', localRoot: '/ws/lib' },
        ],
      });
      const server = expectResolved(await resolver.resolve(at({ filePath: '/app/src/server.ts', lineNumber: 40 })));
      assert.equal(server.location.filePath, '/ws/samples/ai-app/src/server.ts');
      assert.equal(server.confidence, 'high');
      assert.match(server.detail, /maps to "\/ws\/samples\/ai-app\/src\/server\.ts" through the path mappings/);
      const lib = expectResolved(await resolver.resolve(at({ filePath: '/app/lib/index.ts', lineNumber: 1 })));
      assert.equal(lib.location.filePath, '/ws/lib/index.ts');
    });

    it('takes a relative local root against each workspace folder', async () => {
      const resolver = new SourceResolver({
        fileIndex: workspace(['/one', '/two'], ['/one/x.ts', '/two/svc/src/app.ts']),
        pathMappings: [{ remoteRoot: 'C:\\build', localRoot: 'svc' }],
      });
      const resolution = expectResolved(await resolver.resolve(at({ filePath: 'C:\\build\\src\\app.ts', lineNumber: 2 })));
      assert.equal(resolution.location.filePath, '/two/svc/src/app.ts');
      assert.equal(resolution.confidence, 'high');
    });

    it('falls back to suffix inference when a mapping points at no workspace file', async () => {
      const resolver = new SourceResolver({
        fileIndex: workspace(['/ws'], FILES),
        pathMappings: [{ remoteRoot: '/app', localRoot: '/ws/wrong' }],
      });
      const resolution = expectResolved(await resolver.resolve(at({ filePath: '/app/src/retrieval.ts', lineNumber: 3 })));
      assert.equal(resolution.location.filePath, '/ws/samples/ai-app/src/retrieval.ts');
      assert.equal(resolution.confidence, 'medium');
      const reason = expectUnresolved(await resolver.resolve(at({ filePath: '/app/src/gone.ts', lineNumber: 3 })));
      assert.equal(reason, '"/app/src/gone.ts" maps to "/ws/wrong/src/gone.ts", which is not a workspace file, and no workspace file ends with "gone.ts"');
    });

    it('infers container paths by the longest matching suffix in this repository', async () => {
      const files = ['samples', 'src'].flatMap((folder) =>
        readdirSync(path.join(repoRoot, folder), { recursive: true, encoding: 'utf8' }).map((file) => path.join(repoRoot, folder, file)),
      );
      const resolver = new SourceResolver({ fileIndex: workspace([repoRoot], files) });
      const resolution = expectResolved(await resolver.resolve(at({ filePath: '/app/src/server.ts', lineNumber: 10 })));
      assert.equal(resolution.location.filePath, path.join(repoRoot, 'samples', 'ai-app', 'src', 'server.ts'));
      assert.equal(resolution.rule, 'file');
      assert.equal(resolution.confidence, 'medium');
      assert.match(resolution.detail, /ends with the same "src\/server\.ts"/);
    });

    it('infers Windows paths onto the workspace', async () => {
      const resolver = new SourceResolver({ fileIndex: workspace(['/ws'], FILES) });
      const resolution = expectResolved(await resolver.resolve(at({ filePath: 'C:\\agent\\ai-app\\src\\server.ts', lineNumber: 4 })));
      assert.equal(resolution.location.filePath, '/ws/samples/ai-app/src/server.ts');
      assert.equal(resolution.confidence, 'medium');
    });

    it('picks among equally good files deterministically, with low confidence, and says so', async () => {
      const resolver = new SourceResolver({ fileIndex: workspace(['/ws'], FILES) });
      const resolution = expectResolved(await resolver.resolve(at({ filePath: '/app/index.ts', lineNumber: 4 })));
      assert.equal(resolution.location.filePath, '/ws/lib/index.ts');
      assert.equal(resolution.confidence, 'low');
      assert.match(resolution.detail, /but so does 1 other workspace file \("\/ws\/src\/index\.ts"\), so this is a guess/);
    });

    it('gives low confidence when only the file name matches', async () => {
      const resolver = new SourceResolver({ fileIndex: workspace(['/ws'], FILES) });
      const resolution = expectResolved(await resolver.resolve(at({ filePath: '/app/other/server.ts', lineNumber: 4 })));
      assert.equal(resolution.location.filePath, '/ws/samples/ai-app/src/server.ts');
      assert.equal(resolution.confidence, 'low');
    });

    it('resolves relative paths against each workspace folder', async () => {
      const index = workspace(['/one', '/two'], ['/one/src/server.ts', '/two/src/server.ts', '/two/src/only.ts']);
      const resolver = new SourceResolver({ fileIndex: index });
      const only = expectResolved(await resolver.resolve(at({ filePath: './src/only.ts', lineNumber: 1 })));
      assert.deepEqual([only.location.filePath, only.confidence], ['/two/src/only.ts', 'high']);
      const both = expectResolved(await resolver.resolve(at({ filePath: 'src/server.ts', lineNumber: 1 })));
      assert.deepEqual([both.location.filePath, both.confidence], ['/one/src/server.ts', 'medium']);
      assert.match(both.detail, /2 workspace folders hold "src\/server\.ts"/);
    });

    it('says why a file cannot be found', async () => {
      const resolver = new SourceResolver({ fileIndex: workspace(['/ws'], FILES) });
      assert.equal(
        expectUnresolved(await resolver.resolve(at({ filePath: '/app/src/x.ts', lineNumber: 1 }))),
        '"/app/src/x.ts" is not in the workspace and no workspace file ends with "x.ts"',
      );
      assert.match(
        expectUnresolved(await new SourceResolver({ fileIndex: workspace([], []) }).resolve(at({ filePath: '/app/x.ts', lineNumber: 1 }))),
        /no workspace folder is open/,
      );
      assert.match(
        expectUnresolved(await new SourceResolver({ fileIndex: workspace(['/ws'], []) }).resolve(at({ filePath: '/app/x.ts', lineNumber: 1 }))),
        /no workspace files are indexed/,
      );
      assert.equal(expectUnresolved(await resolver.resolve(at({}))), 'The span names no function, file or stack trace');
      const long = `/app/${'deep/'.repeat(100)}x.ts`;
      const cut = expectUnresolved(await resolver.resolve(at({ filePath: long, lineNumber: 1 })));
      assert.ok(cut.startsWith('"/app/deep/') && cut.includes('…') && cut.length < 260, cut);
    });
  });

  describe('function names', () => {
    const declarations = {
      'retrieval.retrieve': { filePath: '/ws/samples/ai-app/src/retrieval.ts', lineNumber: 21, columnNumber: 1 },
      'server.handle': { filePath: '/ws/samples/ai-app/src/server.ts', lineNumber: 30 },
    };

    it('resolves a function name through the symbol lookup', async () => {
      const symbols = new FakeSymbols(declarations);
      const resolver = new SourceResolver({ fileIndex: workspace(['/ws'], FILES), symbols });
      const resolution = expectResolved(await resolver.resolve(at({ functionName: 'retrieval.retrieve' })));
      assert.deepEqual(resolution.location, declarations['retrieval.retrieve']);
      assert.equal(resolution.rule, 'function');
      assert.equal(resolution.confidence, 'medium');
      assert.deepEqual(symbols.calls, [{ name: 'retrieval.retrieve', hintPath: undefined }]);
    });

    it('looks a file without a line up by function, with the file as hint', async () => {
      const symbols = new FakeSymbols(declarations);
      const resolver = new SourceResolver({ fileIndex: workspace(['/ws'], FILES), symbols, pathMappings: [{ remoteRoot: '/app', localRoot: '/ws/samples/ai-app' }] });
      const resolution = expectResolved(await resolver.resolve(at({ functionName: 'server.handle', filePath: '/app/src/server.ts' })));
      assert.deepEqual(resolution.location, declarations['server.handle']);
      assert.equal(resolution.rule, 'function');
      assert.equal(resolution.confidence, 'high');
      assert.deepEqual(symbols.calls, [{ name: 'server.handle', hintPath: '/ws/samples/ai-app/src/server.ts' }]);
    });

    it('shows the top of a file without a line when the function cannot be found', async () => {
      const withSymbols = new SourceResolver({ fileIndex: workspace(['/ws'], FILES), symbols: new FakeSymbols({}) });
      const missed = expectResolved(await withSymbols.resolve(at({ functionName: 'server.gone', filePath: '/ws/src/index.ts', fileOrigin: 'datadog' })));
      assert.deepEqual(missed.location, { filePath: '/ws/src/index.ts', lineNumber: 1 });
      assert.deepEqual([missed.rule, missed.confidence], ['datadog', 'low']);
      assert.match(missed.detail, /names no line, so this is the top of the file/);

      const without = new SourceResolver({ fileIndex: workspace(['/ws'], FILES) });
      const top = expectResolved(await without.resolve(at({ filePath: '/ws/src/index.ts' })));
      assert.deepEqual([top.location.lineNumber, top.rule, top.confidence], [1, 'file', 'low']);
    });

    it('uses the function when the file is not in the workspace, and says why when neither is found', async () => {
      const symbols = new FakeSymbols(declarations);
      const resolver = new SourceResolver({ fileIndex: workspace(['/ws'], FILES), symbols });
      const resolution = expectResolved(await resolver.resolve(at({ functionName: 'server.handle', filePath: '/elsewhere/handler.ts', lineNumber: 9 })));
      assert.equal(resolution.rule, 'function');
      assert.deepEqual(symbols.calls.at(-1), { name: 'server.handle', hintPath: undefined });
      assert.equal(
        expectUnresolved(await resolver.resolve(at({ functionName: 'server.gone', filePath: '/elsewhere/handler.ts', lineNumber: 9 }))),
        '"/elsewhere/handler.ts" is not in the workspace and no workspace file ends with "handler.ts"; ' +
          `no function "server.gone" was found in the workspace's symbols`,
      );
      assert.match(
        expectUnresolved(await new SourceResolver({ fileIndex: workspace(['/ws'], FILES) }).resolve(at({ functionName: 'server.handle' }))),
        /cannot be looked up by name here/,
      );
    });

    it('reports a failing lookup and goes on to the stack trace', async () => {
      const symbols = new FakeSymbols(declarations);
      symbols.failure = new Error('the TypeScript server crashed');
      const resolver = new SourceResolver({ fileIndex: workspace(['/ws'], FILES), symbols });
      const stackTrace = 'Error: x\n    at handle (/app/src/server.ts:77:3)';
      const resolution = expectResolved(await resolver.resolve(at({ functionName: 'server.handle', stackTrace })));
      assert.equal(resolution.rule, 'stacktrace');
      const reason = expectUnresolved(await resolver.resolve(at({ functionName: 'server.handle' })));
      assert.equal(reason, 'Looking up the function "server.handle" failed: the TypeScript server crashed');
    });
  });

  describe('stack traces', () => {
    it('takes the first frame inside the workspace, skipping dependencies and mere file-name matches', async () => {
      const resolver = new SourceResolver({ fileIndex: workspace(['/ws'], [...FILES, '/ws/node_modules/express/lib/router.js']) });
      const stackTrace = [
        'Error: boom',
        '    at Layer.handle (/app/node_modules/express/lib/router.js:10:1)',
        '    at next (/usr/lib/node/internal/index.ts:5:2)',
        '    at retrieve (/app/src/retrieval.ts:42:13)',
        '    at handle (/app/src/server.ts:88:5)',
      ].join('\n');
      const resolution = expectResolved(await resolver.resolve(at({ stackTrace })));
      assert.deepEqual(resolution.location, { filePath: '/ws/samples/ai-app/src/retrieval.ts', lineNumber: 42, columnNumber: 13 });
      assert.equal(resolution.rule, 'stacktrace');
      assert.equal(resolution.confidence, 'medium');
      assert.match(resolution.detail, /^Frame 3 of the stack trace, at line 42 of "\/app\/src\/retrieval\.ts"/);
    });

    it('accepts a frame matching only by file name when the rest of the path is a workspace folder', async () => {
      const resolver = new SourceResolver({ fileIndex: workspace(['/ws', '/svc'], [...FILES, '/svc/handlers.py', '/ws/tools/decoder.py']) });
      const stackTrace = [
        'Traceback (most recent call last):',
        '  File "/app/handlers.py", line 12, in handle',
        '  File "/usr/lib/python3.12/json/decoder.py", line 337, in decode',
      ].join('\n');
      const resolution = expectResolved(await resolver.resolve(at({ stackTrace })));
      assert.deepEqual(resolution.location, { filePath: '/svc/handlers.py', lineNumber: 12 });
      assert.equal(resolution.confidence, 'medium');
      assert.equal(expectResolved(await resolver.resolve(at({ filePath: '/app/handlers.py', lineNumber: 2 }))).confidence, 'medium');
    });

    it('never gives a frame more than medium confidence', async () => {
      const resolver = new SourceResolver({ fileIndex: workspace(['/ws'], FILES) });
      const resolution = expectResolved(await resolver.resolve(at({ stackTrace: '  File "/ws/src/index.ts", line 3, in main' })));
      assert.equal(resolution.confidence, 'medium');
    });

    it('finds Java frames by the package their function names', async () => {
      const resolver = new SourceResolver({ fileIndex: workspace(['/ws'], FILES) });
      const stackTrace = [
        'java.lang.IllegalStateException: empty cart',
        '\tat java.base/java.util.Objects.requireNonNull(Objects.java:233)',
        '\tat com.example.shop.CartService.checkout(CartService.java:42)',
      ].join('\n');
      const resolution = expectResolved(await resolver.resolve(at({ stackTrace })));
      assert.deepEqual(resolution.location, { filePath: '/ws/src/main/java/com/example/shop/CartService.java', lineNumber: 42 });
      assert.equal(resolution.confidence, 'medium');
    });

    it('says why no frame resolved', async () => {
      const resolver = new SourceResolver({ fileIndex: workspace(['/ws'], FILES) });
      assert.equal(
        expectUnresolved(await resolver.resolve(at({ stackTrace: 'Error\n    at a (/x/a.ts:1:1)\n    at b (/x/b.ts:2:1)' }))),
        'Its stack trace has 2 frames, none in a workspace file',
      );
      assert.equal(expectUnresolved(await resolver.resolve(at({ stackTrace: 'no frames here' }))), 'Its stack trace has no frame with a file and line');
      assert.equal(
        expectUnresolved(await new SourceResolver({ fileIndex: workspace([], []) }).resolve(at({ stackTrace: '    at a (/x/a.ts:1:1)' }))),
        'Its stack trace cannot be looked up, as no workspace folder is open',
      );
    });
  });

  describe('cache', () => {
    it('answers from the cache, synchronously, once resolved', async () => {
      const symbols = new FakeSymbols({ 'a.b': { filePath: '/ws/src/index.ts', lineNumber: 2 } });
      const resolver = new SourceResolver({ fileIndex: workspace(['/ws'], FILES), symbols });
      const location = at({ functionName: 'a.b' });
      assert.equal(resolver.cached(location), undefined);
      const [first, second] = await Promise.all([resolver.resolve(location), resolver.resolve(at({ functionName: 'a.b' }))]);
      assert.equal(first, second);
      assert.equal(resolver.cached(at({ functionName: 'a.b' })), first);
      await resolver.resolve(location);
      assert.equal(symbols.calls.length, 1);
      assert.equal(resolver.cached(at({ functionName: 'a.b', lineNumber: 3 })), undefined);
    });

    it('keys on every field of the location', async () => {
      const resolver = new SourceResolver({ fileIndex: workspace(['/ws'], FILES) });
      const file = await resolver.resolve(at({ filePath: '/ws/src/index.ts', lineNumber: 1 }));
      const datadog = await resolver.resolve(at({ filePath: '/ws/src/index.ts', lineNumber: 1, fileOrigin: 'datadog' }));
      const column = await resolver.resolve(at({ filePath: '/ws/src/index.ts', lineNumber: 1, columnNumber: 4 }));
      assert.deepEqual(
        [file, datadog, column].map((resolution) => expectResolved(resolution)).map((resolution) => [resolution.rule, resolution.location.columnNumber]),
        [['file', undefined], ['datadog', undefined], ['file', 4]],
      );
    });

    it('keys on the stack trace, and answers equal copies of a location from the cache', async () => {
      const resolver = new SourceResolver({ fileIndex: workspace(['/ws'], FILES) });
      const first = at({ functionName: 'main', stackTrace: 'Error\n    at main (/ws/src/index.ts:3:1)' });
      const second = at({ functionName: 'main', stackTrace: 'Error\n    at main (/ws/lib/index.ts:9:1)' });
      await resolver.resolve(first);
      await resolver.resolve(second);
      assert.deepEqual(
        [first, second].map((location) => expectResolved(resolver.cached({ ...location }) ?? { kind: 'unresolved', reason: 'not cached' }).location),
        [
          { filePath: '/ws/src/index.ts', lineNumber: 3, columnNumber: 1 },
          { filePath: '/ws/lib/index.ts', lineNumber: 9, columnNumber: 1 },
        ],
      );
      assert.equal(resolver.cached({ ...first, lineNumber: 3 }), undefined);
    });

    it('drops answers when the workspace files change', async () => {
      const index = workspace(['/ws'], FILES);
      const resolver = new SourceResolver({ fileIndex: index });
      const location = at({ filePath: '/app/src/new.ts', lineNumber: 1 });
      expectUnresolved(await resolver.resolve(location));
      const version = resolver.version;
      assert.notEqual(resolver.cached(location), undefined);
      index.add(['/ws/src/new.ts']);
      assert.ok(resolver.version > version);
      assert.equal(resolver.cached(location), undefined);
      assert.equal(expectResolved(await resolver.resolve(location)).location.filePath, '/ws/src/new.ts');
      index.remove(['/ws/src/new.ts']);
      expectUnresolved(await resolver.resolve(location));
    });

    it('drops answers when the path mappings change, and only then', async () => {
      const resolver = new SourceResolver({ fileIndex: workspace(['/ws'], [...FILES, '/ws/v2/src/server.ts']) });
      const location = at({ filePath: '/app/src/server.ts', lineNumber: 1 });
      assert.equal(expectResolved(await resolver.resolve(location)).confidence, 'low');
      const version = resolver.version;
      resolver.setPathMappings([]);
      assert.equal(resolver.version, version);
      resolver.setPathMappings([{ remoteRoot: '/app', localRoot: '/ws/v2' }]);
      assert.ok(resolver.version > version);
      assert.equal(resolver.cached(location), undefined);
      const mapped = expectResolved(await resolver.resolve(location));
      assert.deepEqual([mapped.location.filePath, mapped.confidence], ['/ws/v2/src/server.ts', 'high']);
      const unchanged = resolver.version;
      resolver.setPathMappings([{ remoteRoot: '/app', localRoot: '/ws/v2' }]);
      assert.equal(resolver.version, unchanged);
    });

    it('forgets everything on invalidate()', async () => {
      const symbols = new FakeSymbols({ 'a.b': { filePath: '/ws/src/index.ts', lineNumber: 2 } });
      const resolver = new SourceResolver({ fileIndex: workspace(['/ws'], FILES), symbols });
      await resolver.resolve(at({ functionName: 'a.b' }));
      const version = resolver.version;
      resolver.invalidate();
      assert.ok(resolver.version > version);
      assert.equal(resolver.cached(at({ functionName: 'a.b' })), undefined);
      await resolver.resolve(at({ functionName: 'a.b' }));
      assert.equal(symbols.calls.length, 2);
    });

    it('does not keep an answer computed before a change', async () => {
      let release: (() => void) | undefined;
      const slow: FunctionSymbolLookup = {
        findFunction: () =>
          new Promise((resolve) => {
            release = () => resolve({ filePath: '/ws/src/index.ts', lineNumber: 2 });
          }),
      };
      const resolver = new SourceResolver({ fileIndex: workspace(['/ws'], FILES), symbols: slow });
      const pending = resolver.resolve(at({ functionName: 'a.b' }));
      resolver.invalidate();
      release?.();
      expectResolved(await pending);
      assert.equal(resolver.cached(at({ functionName: 'a.b' })), undefined);
    });

    it('asks the symbol lookup again after a miss, once the retry delay has passed', async () => {
      let nowMillis = 1_000;
      const declarations: Record<string, SourceLocation> = {};
      const symbols = new FakeSymbols(declarations);
      const resolver = new SourceResolver({ fileIndex: workspace(['/ws'], FILES), symbols, symbolRetryMillis: 5_000, now: () => nowMillis });
      const location = at({ functionName: 'late.start' });
      expectUnresolved(await resolver.resolve(location));
      nowMillis += 4_999;
      assert.notEqual(resolver.cached(location), undefined);
      expectUnresolved(await resolver.resolve(location));
      assert.equal(symbols.calls.length, 1);
      declarations['late.start'] = { filePath: '/ws/src/index.ts', lineNumber: 8 };
      nowMillis += 1;
      assert.equal(resolver.cached(location), undefined);
      assert.equal(expectResolved(await resolver.resolve(location)).location.lineNumber, 8);
      nowMillis += 1_000_000;
      assert.notEqual(resolver.cached(location), undefined);
      assert.equal(symbols.calls.length, 2);
    });

    it('keeps at most maxEntries answers, dropping the oldest', async () => {
      const resolver = new SourceResolver({ fileIndex: workspace(['/ws'], FILES), maxEntries: 2 });
      const locations = [1, 2, 3].map((lineNumber) => at({ filePath: '/ws/src/index.ts', lineNumber }));
      for (const location of locations) await resolver.resolve(location);
      assert.deepEqual(
        locations.map((location) => resolver.cached(location) !== undefined),
        [false, true, true],
      );
    });
  });
});
