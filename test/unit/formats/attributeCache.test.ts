import { strict as assert } from 'node:assert';
import { AttributeCache } from '../../../src/core/formats/attributeCache';

describe('AttributeCache', () => {
  it('shares one Attribute per key, type and value', () => {
    const cache = new AttributeCache();
    assert.equal(cache.string('http.method', 'GET'), cache.string('http.method', 'GET'));
    assert.notEqual(cache.string('http.method', 'GET'), cache.string('verb', 'GET'));
    assert.deepEqual(cache.int('port', 80), { key: 'port', value: { type: 'int', value: '80' } });
    assert.deepEqual(cache.double('port', 80), { key: 'port', value: { type: 'double', value: 80 } }, 'int and double 80 stay apart');
    assert.deepEqual(cache.bool('ok', true), { key: 'ok', value: { type: 'bool', value: true } });
    assert.deepEqual(cache.string('ok', 'true'), { key: 'ok', value: { type: 'string', value: 'true' } });
  });

  it('stays correct for keys with more distinct values than it keeps', () => {
    const cache = new AttributeCache();
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 2000; i++) assert.deepEqual(cache.string('url', `/items/${i}`), { key: 'url', value: { type: 'string', value: `/items/${i}` } });
    }
  });
});
