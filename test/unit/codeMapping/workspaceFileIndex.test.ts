import { strict as assert } from 'node:assert';
import { WorkspaceFileIndex } from '../../../src/core/codeMapping/workspaceFileIndex';

describe('WorkspaceFileIndex', () => {
  it('knows its files whatever the separators, and hands them back as added', () => {
    const index = new WorkspaceFileIndex(['C:\\ws']);
    index.add(['C:\\ws\\src\\x.ts']);
    assert.equal(index.has('c:/ws/src/x.ts'), true);
    assert.equal(index.has('file:///C:/ws/src/./x.ts'), true);
    assert.equal(index.get('c:/ws/src/x.ts'), 'C:\\ws\\src\\x.ts');
    assert.equal(index.has('c:/ws/src/X.ts'), false);
  });

  it('ignores files outside its roots and relative paths', () => {
    const index = new WorkspaceFileIndex(['/ws', '/other/']);
    index.add(['/ws/a.ts', '/other/b.ts', '/elsewhere/c.ts', 'src/d.ts', '/wsx/e.ts']);
    assert.deepEqual(
      ['/ws/a.ts', '/other/b.ts', '/elsewhere/c.ts', 'src/d.ts', '/wsx/e.ts'].map((path) => index.has(path)),
      [true, true, false, false, false],
    );
    assert.equal(index.size, 2);
    assert.deepEqual(index.roots, ['/ws', '/other']);
  });

  it('bumps its version on changes only', () => {
    const index = new WorkspaceFileIndex(['/ws']);
    const versions = [index.version];
    index.add(['/ws/a.ts', '/ws/b.ts']);
    versions.push(index.version);
    index.add(['/ws/a.ts', '/outside/c.ts']);
    versions.push(index.version);
    index.remove(['/ws/missing.ts']);
    versions.push(index.version);
    index.remove(['/ws/a.ts']);
    versions.push(index.version);
    index.setRoots(['/ws']);
    versions.push(index.version);
    index.clear();
    versions.push(index.version);
    index.clear();
    versions.push(index.version);
    assert.deepEqual(versions, [0, 1, 1, 1, 2, 2, 3, 3]);
  });

  it('removes files one by one, by folder, or all at once', () => {
    const index = new WorkspaceFileIndex(['/ws']);
    index.add(['/ws/src/a.ts', '/ws/src/lib/b.ts', '/ws/srcs/c.ts', '/ws/d.ts']);
    index.remove(['/ws/d.ts']);
    index.removeFolder('/ws/src');
    assert.deepEqual(['/ws/src/a.ts', '/ws/src/lib/b.ts', '/ws/srcs/c.ts', '/ws/d.ts'].map((path) => index.has(path)), [false, false, true, false]);
    assert.equal(index.findBySuffix('/app/src/a.ts'), undefined);
    index.clear();
    assert.equal(index.size, 0);
    assert.equal(index.findBySuffix('c.ts'), undefined);
  });

  it('drops files under removed roots', () => {
    const index = new WorkspaceFileIndex(['/one', '/two']);
    index.add(['/one/x.ts', '/two/x.ts']);
    const before = index.version;
    index.setRoots(['/two']);
    assert.equal(index.has('/one/x.ts'), false);
    assert.equal(index.findBySuffix('/app/x.ts')?.path, '/two/x.ts');
    assert.ok(index.version > before);
  });

  describe('findBySuffix', () => {
    const index = new WorkspaceFileIndex(['/ws', '/lib']);
    index.add([
      '/ws/samples/ai-app/src/server.ts',
      '/ws/src/server/index.ts',
      '/ws/src/client/index.ts',
      '/ws/test/fixtures/deep/src/client/index.ts',
      '/ws/Readme.md',
      '/lib/pkg/util.ts',
      '/ws/pkg/util.ts',
    ]);

    it('finds the file sharing the most trailing segments', () => {
      assert.deepEqual(index.findBySuffix('/app/src/server.ts'), {
        path: '/ws/samples/ai-app/src/server.ts',
        matchedSegments: 2,
        candidates: 1,
        alternatives: [],
      });
      assert.equal(index.findBySuffix('C:\\build\\src\\server\\index.ts')?.path, '/ws/src/server/index.ts');
      assert.equal(index.findBySuffix('C:\\build\\src\\server\\index.ts')?.matchedSegments, 3);
    });

    it('prefers a longer match to a shallower file', () => {
      const match = index.findBySuffix('/app/fixtures/deep/src/client/index.ts');
      assert.equal(match?.path, '/ws/test/fixtures/deep/src/client/index.ts');
      assert.equal(match?.candidates, 1);
    });

    it('breaks ties towards fewer segments, then code-unit order, and counts them', () => {
      const byName = index.findBySuffix('/somewhere/else/index.ts');
      assert.deepEqual(byName, {
        path: '/ws/src/client/index.ts',
        matchedSegments: 1,
        candidates: 3,
        alternatives: ['/ws/src/server/index.ts', '/ws/test/fixtures/deep/src/client/index.ts'],
      });
      const acrossRoots = index.findBySuffix('/app/pkg/util.ts');
      assert.equal(acrossRoots?.path, '/lib/pkg/util.ts');
      assert.deepEqual(acrossRoots?.alternatives, ['/ws/pkg/util.ts']);
      assert.equal(acrossRoots?.candidates, 2);
    });

    it('gives the same answer whatever the order files were added in', () => {
      const reversed = new WorkspaceFileIndex(['/ws']);
      reversed.add(['/ws/b/x.ts', '/ws/a/x.ts', '/ws/deep/er/x.ts', '/ws/c/x.ts']);
      const forward = new WorkspaceFileIndex(['/ws']);
      forward.add(['/ws/a/x.ts', '/ws/c/x.ts', '/ws/deep/er/x.ts', '/ws/b/x.ts']);
      assert.deepEqual(reversed.findBySuffix('x.ts'), forward.findBySuffix('x.ts'));
      assert.deepEqual(forward.findBySuffix('x.ts')?.alternatives, ['/ws/b/x.ts', '/ws/c/x.ts', '/ws/deep/er/x.ts']);
    });

    it('compares case-sensitively and needs the file name to match', () => {
      assert.equal(index.findBySuffix('/app/README.md'), undefined);
      assert.equal(index.findBySuffix('/app/Readme.md')?.path, '/ws/Readme.md');
      assert.equal(index.findBySuffix('/app/SRC/server.ts')?.matchedSegments, 1);
      assert.equal(index.findBySuffix(''), undefined);
    });

    it('stops at .. segments, which name no folder', () => {
      assert.equal(index.findBySuffix('../src/server.ts')?.matchedSegments, 2);
      assert.equal(index.findBySuffix('../server.ts')?.matchedSegments, 1);
    });

    it('matches Windows workspace files', () => {
      const windows = new WorkspaceFileIndex(['C:\\Users\\me\\proj']);
      windows.add(['C:\\Users\\me\\proj\\src\\server.ts']);
      assert.equal(windows.findBySuffix('/app/src/server.ts')?.path, 'C:\\Users\\me\\proj\\src\\server.ts');
      assert.equal(windows.findBySuffix('/app/src/server.ts')?.matchedSegments, 2);
    });
  });

  it('indexes 100k files and answers suffix lookups quickly', function () {
    this.timeout(20_000);
    const index = new WorkspaceFileIndex(['/ws']);
    const paths: string[] = [];
    for (let i = 0; i < 100_000; i++) {
      // A thousand packages with a hundred files each, every package holding an index.ts.
      paths.push(`/ws/packages/p${i % 1000}/src/${i < 1000 ? 'index' : `file${i}`}.ts`);
    }
    const addStarted = performance.now();
    index.add(paths);
    const addMillis = performance.now() - addStarted;
    assert.equal(index.size, 100_000);

    const lookupStarted = performance.now();
    for (let i = 0; i < 1000; i++) {
      assert.equal(index.findBySuffix(`/app/packages/p${i}/src/file${i + 1000}.ts`)?.path, `/ws/packages/p${i}/src/file${i + 1000}.ts`);
    }
    const uniqueMillis = performance.now() - lookupStarted;
    const sharedStarted = performance.now();
    for (let i = 0; i < 100; i++) assert.equal(index.findBySuffix(`/app/packages/p${i}/src/index.ts`)?.matchedSegments, 4);
    const sharedMillis = performance.now() - sharedStarted;
    // Far above what this takes even on a busy shared core, far below what scanning every file per lookup would.
    assert.ok(addMillis < 5000, `adding 100k files took ${addMillis.toFixed(0)} ms`);
    assert.ok(uniqueMillis < 500, `1000 unique-name lookups took ${uniqueMillis.toFixed(0)} ms`);
    assert.ok(sharedMillis < 2000, `100 lookups among 1000 same-name files took ${sharedMillis.toFixed(0)} ms`);
  });
});
