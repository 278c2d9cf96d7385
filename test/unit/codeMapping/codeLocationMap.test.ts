import { strict as assert } from 'node:assert';
import { CodeLocationMap } from '../../../src/core/codeMapping/codeLocationMap';
import type { SpanCodeLocation } from '../../../src/core/codeMapping/spanCodeLocation';
import { NO_CODE_LOCATION } from '../../../src/core/codeMapping/spanCodeLocation';

function at(fields: Partial<SpanCodeLocation>): SpanCodeLocation {
  return { ...NO_CODE_LOCATION, ...fields };
}

const BASE = at({ functionName: 'a.b', filePath: '/app/a.ts', lineNumber: 3, columnNumber: 5, fileOrigin: 'code' });
const STACK = 'Error\n    at b (/app/a.ts:3:5)';

/** BASE and locations that differ from it, or from each other, in one field only. */
const VARIANTS: readonly SpanCodeLocation[] = [
  BASE,
  { ...BASE, functionName: 'a.c' },
  { ...BASE, functionName: undefined },
  { ...BASE, filePath: '/app/b.ts' },
  { ...BASE, filePath: undefined },
  { ...BASE, lineNumber: 4 },
  { ...BASE, lineNumber: undefined },
  { ...BASE, columnNumber: 6 },
  { ...BASE, columnNumber: undefined },
  { ...BASE, fileOrigin: 'datadog' },
  { ...BASE, fileOrigin: undefined },
  { ...BASE, stackTrace: STACK },
  { ...BASE, stackTrace: `${STACK}\n    at c (/app/c.ts:1:1)` },
  { ...BASE, stackTrace: STACK, lineNumber: 4 },
  { ...BASE, stackTrace: STACK, lineNumber: undefined },
  // A string that reads like another field's value is not that value.
  { ...BASE, stackTrace: '3', lineNumber: undefined },
  at({ stackTrace: STACK }),
  at({}),
];

describe('CodeLocationMap', () => {
  it('tells apart locations that differ in any one field, and finds each by an equal copy', () => {
    const map = new CodeLocationMap<number>();
    VARIANTS.forEach((location, i) => map.set(location, i));
    assert.equal(map.size, VARIANTS.length);
    assert.deepEqual(
      VARIANTS.map((location) => map.get({ ...location })),
      VARIANTS.map((_, i) => i),
    );
  });

  it('misses locations it was not given', () => {
    const map = new CodeLocationMap<number>();
    map.set(BASE, 1);
    assert.equal(map.get({ ...BASE, lineNumber: 30 }), undefined);
    assert.equal(map.get({ ...BASE, columnNumber: undefined }), undefined);
    assert.equal(map.get({ ...BASE, stackTrace: STACK }), undefined);
    assert.equal(map.get(at({})), undefined);
  });

  it('replaces the value of a location already present without growing', () => {
    const map = new CodeLocationMap<string>();
    map.set(BASE, 'first');
    map.set({ ...BASE }, 'second');
    assert.equal(map.size, 1);
    assert.equal(map.get(BASE), 'second');
  });

  it('deletes one location, leaving the ones that share its function, file and line', () => {
    const map = new CodeLocationMap<number>();
    VARIANTS.forEach((location, i) => map.set(location, i));
    assert.equal(map.delete({ ...BASE }), true);
    assert.equal(map.delete(BASE), false);
    assert.equal(map.get(BASE), undefined);
    assert.equal(map.size, VARIANTS.length - 1);
    assert.deepEqual(
      VARIANTS.slice(1).map((location) => map.get(location)),
      VARIANTS.slice(1).map((_, i) => i + 1),
    );
    for (const location of VARIANTS) map.delete(location);
    assert.equal(map.size, 0);
    map.set(BASE, 7);
    assert.equal(map.get(BASE), 7);
  });

  it('drops the oldest first, and a location set again after a delete counts as new', () => {
    const map = new CodeLocationMap<number>();
    const lines = [1, 2, 3].map((lineNumber) => ({ ...BASE, lineNumber }));
    lines.forEach((location, i) => map.set(location, i));
    map.delete(lines[0]);
    map.set(lines[0], 0);
    map.deleteOldest();
    assert.deepEqual(
      lines.map((location) => map.get(location)),
      [0, undefined, 2],
    );
    map.clear();
    assert.equal(map.size, 0);
    assert.equal(map.get(lines[2]), undefined);
    map.deleteOldest();
    assert.equal(map.size, 0);
  });

  it('answers a location object it has seen before as an equal copy is answered, also after deletes, clears and new values', () => {
    const map = new CodeLocationMap<number>();
    const shared = { ...BASE };
    map.set({ ...BASE }, 1);
    // Asked by the same object several times, as callers that share one object per location ask.
    for (let i = 0; i < 3; i++) assert.equal(map.get(shared), 1);
    map.set({ ...BASE }, 2);
    assert.equal(map.get(shared), 2);
    map.delete({ ...BASE });
    assert.equal(map.get(shared), undefined);
    map.set({ ...BASE }, 3);
    for (let i = 0; i < 3; i++) assert.equal(map.get(shared), 3);
    map.set({ ...BASE, lineNumber: 9 }, 4);
    map.deleteOldest();
    assert.equal(map.get(shared), undefined);
    map.set(shared, 5);
    for (let i = 0; i < 3; i++) assert.equal(map.get(shared), 5);
    map.clear();
    assert.equal(map.get(shared), undefined);
    map.set({ ...BASE }, 6);
    assert.equal(map.get(shared), 6);
    assert.equal(map.get({ ...BASE, lineNumber: 9 }), undefined);
  });
});
