import { strict as assert } from 'node:assert';
import { parseStackFrames } from '../../../src/core/codeMapping/stackFrames';

describe('parseStackFrames', () => {
  it('reads V8 frames: named, anonymous, async, constructors, aliases, Windows paths and file URLs', () => {
    const text = [
      'Error: boom',
      '    at retrieve (/app/src/retrieval.ts:42:13)',
      '    at async Promise.all (index 0)',
      '    at async handle (/app/src/server.ts:88:5)',
      '    at new Store (C:\\app\\src\\store.ts:7:1)',
      '    at Router.route [as get] (file:///app/src/router.mjs:12:30)',
      '    at /app/src/main.ts:3:9',
      '    at Object.<anonymous> (/app/src/boot.ts:1:1)',
      '    at Module._compile (node:internal/modules/cjs/loader:1256:14)',
      '    at eval (eval at <anonymous> (/app/src/x.ts:1:1), <anonymous>:1:1)',
      '    at Array.map (native)',
    ].join('\n');
    assert.deepEqual(parseStackFrames(text), [
      { filePath: '/app/src/retrieval.ts', lineNumber: 42, columnNumber: 13, functionName: 'retrieve' },
      { filePath: '/app/src/server.ts', lineNumber: 88, columnNumber: 5, functionName: 'handle' },
      { filePath: 'C:\\app\\src\\store.ts', lineNumber: 7, columnNumber: 1, functionName: 'Store' },
      { filePath: 'file:///app/src/router.mjs', lineNumber: 12, columnNumber: 30, functionName: 'Router.route' },
      { filePath: '/app/src/main.ts', lineNumber: 3, columnNumber: 9 },
      { filePath: '/app/src/boot.ts', lineNumber: 1, columnNumber: 1, functionName: 'Object.<anonymous>' },
    ]);
  });

  it('reads Firefox and Safari frames', () => {
    assert.deepEqual(parseStackFrames('render@http://localhost:8080/src/app.js:10:5\n@http://localhost:8080/src/main.js:2:1'), [
      { filePath: 'http://localhost:8080/src/app.js', lineNumber: 10, columnNumber: 5, functionName: 'render' },
      { filePath: 'http://localhost:8080/src/main.js', lineNumber: 2, columnNumber: 1 },
    ]);
  });

  it('reads Python tracebacks innermost first', () => {
    const text = [
      'Traceback (most recent call last):',
      '  File "/app/service/main.py", line 30, in <module>',
      '    run()',
      '  File "/app/service/handlers.py", line 12, in handle',
      '    search(q)',
      '  File "/usr/lib/python3.12/json/__init__.py", line 346, in loads',
      '    return _default_decoder.decode(s)',
      'ValueError: bad',
    ].join('\n');
    assert.deepEqual(parseStackFrames(text), [
      { filePath: '/usr/lib/python3.12/json/__init__.py', lineNumber: 346, functionName: 'loads' },
      { filePath: '/app/service/handlers.py', lineNumber: 12, functionName: 'handle' },
      { filePath: '/app/service/main.py', lineNumber: 30 },
    ]);
  });

  it('reads Java and Kotlin frames, which name only the file', () => {
    const text = [
      'java.lang.IllegalStateException: boom',
      '\tat com.example.shop.CartService.checkout(CartService.java:42)',
      '\tat com.example.shop.CartKt.total(Cart.kt:7)',
      '\tat java.base/java.lang.Thread.run(Thread.java:833)',
      '\tat app//com.example.Loader.load(Loader.java:5)',
      '\tat jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)',
      '\tat com.example.Gen.run(Unknown Source)',
      'Caused by: java.io.IOException: nope',
      '\t... 3 more',
    ].join('\n');
    assert.deepEqual(parseStackFrames(text), [
      { filePath: 'CartService.java', lineNumber: 42, functionName: 'com.example.shop.CartService.checkout' },
      { filePath: 'Cart.kt', lineNumber: 7, functionName: 'com.example.shop.CartKt.total' },
      { filePath: 'Thread.java', lineNumber: 833, functionName: 'java.lang.Thread.run' },
      { filePath: 'Loader.java', lineNumber: 5, functionName: 'com.example.Loader.load' },
    ]);
  });

  it('reads Go panics, taking the function from the line before each file', () => {
    const text = [
      'panic: runtime error: index out of range [3] with length 3',
      '',
      'goroutine 1 [running]:',
      'main.(*Server).handle(0xc000010000, 0x3)',
      '\t/app/server.go:42 +0x1d',
      'main.main()',
      '\t/app/main.go:10 +0x25',
      'created by main.start in goroutine 1',
      '\t/app/start.go:7 +0x3a',
      'exit status 2',
    ].join('\n');
    assert.deepEqual(parseStackFrames(text), [
      { filePath: '/app/server.go', lineNumber: 42, functionName: 'main.(*Server).handle' },
      { filePath: '/app/main.go', lineNumber: 10, functionName: 'main.main' },
      { filePath: '/app/start.go', lineNumber: 7, functionName: 'main.start' },
    ]);
  });

  it('reads .NET frames with and without files', () => {
    const text = [
      'System.InvalidOperationException: boom',
      '   at Shop.Cart.Checkout(Int32 id) in /app/src/Cart.cs:line 42',
      '   at Shop.Program.<Main>$(String[] args) in C:\\src\\Shop\\Program.cs:line 7',
      '   at System.Threading.Tasks.Task.Run()',
    ].join('\r\n');
    assert.deepEqual(parseStackFrames(text), [
      { filePath: '/app/src/Cart.cs', lineNumber: 42, functionName: 'Shop.Cart.Checkout' },
      { filePath: 'C:\\src\\Shop\\Program.cs', lineNumber: 7, functionName: 'Shop.Program.<Main>$' },
    ]);
  });

  it('reads Ruby backtraces, old and new quoting', () => {
    const text = [
      "/app/lib/cart.rb:42:in `checkout'",
      "\tfrom /app/lib/shop.rb:7:in 'Shop#run'",
      "\tfrom /app/bin/shop:3:in '<main>'",
    ].join('\n');
    assert.deepEqual(parseStackFrames(text), [
      { filePath: '/app/lib/cart.rb', lineNumber: 42, functionName: 'checkout' },
      { filePath: '/app/lib/shop.rb', lineNumber: 7, functionName: 'Shop#run' },
      { filePath: '/app/bin/shop', lineNumber: 3 },
    ]);
  });

  it('reads PHP traces', () => {
    const text = [
      '#0 /var/www/src/Cart.php(42): App\\Cart->checkout(Array)',
      "#1 /var/www/src/index.php(7): handle('a(1): b')",
      '#2 [internal function]: {closure}()',
      '#3 {main}',
    ].join('\n');
    assert.deepEqual(parseStackFrames(text), [
      { filePath: '/var/www/src/Cart.php', lineNumber: 42, functionName: 'App\\Cart->checkout' },
      { filePath: '/var/www/src/index.php', lineNumber: 7, functionName: 'handle' },
    ]);
  });

  it('keeps at most maxFrames frames', () => {
    const v8 = Array.from({ length: 100 }, (_, i) => `    at f${i} (/app/x.ts:${i + 1}:1)`).join('\n');
    assert.equal(parseStackFrames(v8).length, 64);
    assert.deepEqual(
      parseStackFrames(v8, 2).map((frame) => frame.functionName),
      ['f0', 'f1'],
    );
    const python = Array.from({ length: 10 }, (_, i) => `  File "/app/x.py", line ${i + 1}, in f${i}`).join('\n');
    assert.deepEqual(
      parseStackFrames(python, 2).map((frame) => frame.functionName),
      ['f9', 'f8'],
    );
    assert.deepEqual(parseStackFrames(v8, 0), []);
  });

  it('skips zero, negative and overlong line numbers and lines over 2 KiB', () => {
    const text = ['    at a (/app/x.ts:0:1)', '    at b (/app/x.ts:1234567890:1)', `    at c (/app/${'d/'.repeat(1100)}x.ts:3:1)`, '    at d (/app/x.ts:4)'].join('\n');
    assert.deepEqual(parseStackFrames(text), [{ filePath: '/app/x.ts', lineNumber: 4, functionName: 'd' }]);
  });

  it('never throws and stays fast on garbage', () => {
    const samples = [
      '',
      '\n\n\n',
      'at ',
      'at (',
      'at x (',
      '#0 (',
      'File "',
      ':1:2',
      '\t.go:1',
      '@',
      'at '.repeat(20_000),
      `at ${'('.repeat(2000)}`,
      `   at ${'a'.repeat(1000)}(${')'.repeat(1000)} in ${':line '.repeat(5)}`,
      Array.from({ length: 40 }, () => `${'1:'.repeat(1000)}in`).join('\n'),
      Array.from({ length: 40 }, () => `#1 ${'(1): '.repeat(400)}`).join('\n'),
      String.fromCharCode(...Array.from({ length: 5000 }, (_, i) => (i * 7919) % 65536)),
    ];
    const started = performance.now();
    for (const text of samples) assert.ok(Array.isArray(parseStackFrames(text)));
    const elapsedMillis = performance.now() - started;
    assert.ok(elapsedMillis < 2000, `garbage took ${elapsedMillis.toFixed(0)} ms`);
  });

  it('reads only the first 64 KiB', () => {
    const padding = 'x'.repeat(70 * 1024);
    assert.deepEqual(parseStackFrames(`${padding}\n    at late (/app/x.ts:1:1)`), []);
    assert.equal(parseStackFrames(`    at early (/app/x.ts:1:1)\n${padding}`).length, 1);
  });
});
