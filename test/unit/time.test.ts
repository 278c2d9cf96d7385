import { strict as assert } from 'node:assert';
import { formatDurationNano, microsToNano, parseUint64 } from '../../src/core/model/time';

describe('time', () => {
  it('keeps Unix nanoseconds above 2^53 exact', () => {
    assert.equal(parseUint64('1700000000123456789'), 1700000000123456789n);
    assert.equal(microsToNano(1700000000123456), 1700000000123456000n);
    assert.equal(parseUint64('12a'), undefined);
  });
  it('formats durations in human units', () => {
    assert.equal(formatDurationNano(142_000_000), '142 ms');
    assert.equal(formatDurationNano(1_234_000_000), '1.23 s');
    assert.equal(formatDurationNano(830_000), '830 µs');
    assert.equal(formatDurationNano(12), '12 ns');
  });
});
