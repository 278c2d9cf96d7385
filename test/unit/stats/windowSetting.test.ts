import { strict as assert } from 'node:assert';
import { formatWindow, parseWindow } from '../../../src/core/stats/windowSetting';

describe('windowSetting', () => {
  it('reads the windows users write', () => {
    assert.equal(parseWindow('15m'), 900_000);
    assert.equal(parseWindow('1h'), 3_600_000);
    assert.equal(parseWindow(' 6H '), 21_600_000);
    assert.equal(parseWindow('24h'), 86_400_000);
    assert.equal(parseWindow('7d'), 604_800_000);
    assert.equal(parseWindow('90s'), 90_000);
    assert.equal(parseWindow('1h30m'), 5_400_000);
  });

  it('rejects what is not a window', () => {
    for (const text of ['', 'h', '1', '1x', '-1h', '0m', '1.5h', 'abc', '400d', '1h 30m']) assert.equal(parseWindow(text), undefined, text);
  });

  it('formats windows back to short text', () => {
    assert.equal(formatWindow(90_000), '90s');
    assert.equal(formatWindow(900_000), '15m');
    assert.equal(formatWindow(3_600_000), '1h');
    assert.equal(formatWindow(86_400_000), '24h');
    assert.equal(formatWindow(604_800_000), '7d');
    assert.equal(formatWindow(5_400_000), '90m');
    assert.equal(formatWindow(1_500), '1500ms');
    for (const text of ['15m', '1h', '6h', '24h', '7d', '90s']) assert.equal(formatWindow(parseWindow(text) ?? 0), text);
  });
});
