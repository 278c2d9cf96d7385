import { strict as assert } from 'node:assert';
import { parseDurationText } from '../../../src/core/layout/durationText';

describe('duration text', () => {
  it('reads numbers with units, a bare number as milliseconds', () => {
    assert.equal(parseDurationText('250ms'), 250e6);
    assert.equal(parseDurationText(' 1.5 s '), 1.5e9);
    assert.equal(parseDurationText('40µs'), 40e3);
    assert.equal(parseDurationText('40us'), 40e3);
    assert.equal(parseDurationText('12ns'), 12);
    assert.equal(parseDurationText('2min'), 120e9);
    assert.equal(parseDurationText('.5MS'), 0.5e6);
    assert.equal(parseDurationText('7'), 7e6);
    assert.equal(parseDurationText(''), 0);
  });

  it('rejects what is not a duration', () => {
    for (const text of ['fast', '-5ms', '5 parsecs', '1e3', '5ms5']) assert.equal(parseDurationText(text), undefined, text);
  });
});
