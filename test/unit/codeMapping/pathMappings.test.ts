import { strict as assert } from 'node:assert';
import { isPathUnder, joinPath, mapRemotePath, normalizePath } from '../../../src/core/codeMapping/pathMappings';

describe('normalizePath', () => {
  it('applies . and .. and drops empty and trailing segments', () => {
    assert.equal(normalizePath('/app//src/./lib/../x.ts/'), '/app/src/x.ts');
    assert.equal(normalizePath('/../x.ts'), '/x.ts');
    assert.equal(normalizePath('./src/x.ts'), 'src/x.ts');
    assert.equal(normalizePath('../../lib/x.ts'), '../../lib/x.ts');
    assert.equal(normalizePath('a/../../x.ts'), '../x.ts');
  });

  it('turns Windows paths into forward slashes with a lower-case drive letter', () => {
    assert.equal(normalizePath('C:\\app\\src\\x.ts'), 'c:/app/src/x.ts');
    assert.equal(normalizePath('c:/app/src/..\\x.ts'), 'c:/app/x.ts');
    assert.equal(normalizePath('D:\\'), 'd:/');
    assert.equal(normalizePath('src\\x.ts'), 'src/x.ts');
  });

  it('reads file URLs, percent-decoded', () => {
    assert.equal(normalizePath('file:///home/me/my%20app/x.ts'), '/home/me/my app/x.ts');
    assert.equal(normalizePath('file:///C:/app/x.ts'), 'c:/app/x.ts');
    assert.equal(normalizePath('FILE:///c%3A/app/x.ts'), 'c:/app/x.ts');
    assert.equal(normalizePath('file:///app/x.ts?v=3#L2'), '/app/x.ts');
    assert.equal(normalizePath('file:///app/100%bad.ts'), '/app/100%bad.ts');
  });

  it('makes webpack URLs relative to the bundled project', () => {
    assert.equal(normalizePath('webpack:///./src/x.ts'), 'src/x.ts');
    assert.equal(normalizePath('webpack://my-app/./src/x.ts?4a2b'), 'src/x.ts');
    assert.equal(normalizePath('webpack-internal:///./src/x.ts'), 'src/x.ts');
  });

  it('keeps case, and gives the empty string for empty or overlong paths', () => {
    assert.equal(normalizePath('/App/X.ts'), '/App/X.ts');
    assert.equal(normalizePath('   '), '');
    assert.equal(normalizePath(`/${'a'.repeat(5000)}`), '');
  });
});

describe('isPathUnder and joinPath', () => {
  it('compares on segment boundaries', () => {
    assert.equal(isPathUnder('/app/x.ts', '/app'), true);
    assert.equal(isPathUnder('/app', '/app'), true);
    assert.equal(isPathUnder('/apple/x.ts', '/app'), false);
    assert.equal(isPathUnder('/x.ts', '/'), true);
    assert.equal(isPathUnder('c:/x.ts', 'c:/'), true);
    assert.equal(isPathUnder('/x.ts', ''), false);
  });

  it('joins and normalizes', () => {
    assert.equal(joinPath('/ws', 'src/x.ts'), '/ws/src/x.ts');
    assert.equal(joinPath('/', 'x.ts'), '/x.ts');
    assert.equal(joinPath('/ws/a', '../b/x.ts'), '/ws/b/x.ts');
  });
});

describe('mapRemotePath', () => {
  const mappings = [
    { remoteRoot: '/app', localRoot: '/home/me/service' },
    { remoteRoot: '/app/vendor/', localRoot: '/home/me/vendor' },
    { remoteRoot: 'C:\\build\\agent', localRoot: '/home/me/ci' },
  ];

  it('moves a path from its remote root onto the local one', () => {
    assert.equal(mapRemotePath('/app/src/server.ts', mappings), '/home/me/service/src/server.ts');
    assert.equal(mapRemotePath('file:///app/src/server.ts', mappings), '/home/me/service/src/server.ts');
  });

  it('prefers the longest remote root', () => {
    assert.equal(mapRemotePath('/app/vendor/lib/x.ts', mappings), '/home/me/vendor/lib/x.ts');
  });

  it('matches remote roots on a segment boundary only', () => {
    assert.equal(mapRemotePath('/apple/x.ts', mappings), undefined);
    assert.equal(mapRemotePath('/other/x.ts', mappings), undefined);
    assert.equal(mapRemotePath('/app/x.ts', []), undefined);
  });

  it('maps Windows remote paths onto POSIX local roots', () => {
    assert.equal(mapRemotePath('C:\\build\\agent\\src\\x.ts', mappings), '/home/me/ci/src/x.ts');
    assert.equal(mapRemotePath('c:/build/agent/src/x.ts', mappings), '/home/me/ci/src/x.ts');
  });

  it('maps the root itself, and gives relative results for relative local roots', () => {
    assert.equal(mapRemotePath('/app', mappings), '/home/me/service');
    assert.equal(mapRemotePath('/srv/code/src/x.ts', [{ remoteRoot: '/srv/code', localRoot: 'samples/ai-app' }]), 'samples/ai-app/src/x.ts');
    assert.equal(mapRemotePath('/srv/code/src/x.ts', [{ remoteRoot: '/srv/code', localRoot: '.' }]), 'src/x.ts');
  });
});
