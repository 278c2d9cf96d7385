import { strict as assert } from 'node:assert';
import {
  formatByteSize,
  formatGoDuration,
  formatWaitMillis,
  millisToRfc3339,
  millisToUnixMicros,
  millisToUnixNanos,
  millisToUnixSeconds,
  nanosToMicros,
  parseDurationInput,
} from '../../../src/core/backends/durations';
import { parseGoDuration } from '../../support/backendServers/goDuration';

function nanos(text: string): bigint {
  const result = parseDurationInput(text);
  assert.ok(result.ok, `${text}: ${result.ok ? '' : result.message}`);
  return result.nanos;
}

function problem(text: string): string {
  const result = parseDurationInput(text);
  assert.ok(!result.ok, `${text} should be rejected`);
  return result.message;
}

describe('durations', () => {
  it('parses what users type, exactly', () => {
    assert.equal(nanos('100ms'), 100_000_000n);
    assert.equal(nanos('1.5s'), 1_500_000_000n);
    assert.equal(nanos('1h'), 3_600_000_000_000n);
    assert.equal(nanos('1h30m'), 5_400_000_000_000n);
    assert.equal(nanos('1h 30m'), 5_400_000_000_000n);
    assert.equal(nanos('250us'), 250_000n);
    assert.equal(nanos('250µs'), 250_000n);
    assert.equal(nanos(' 2d '), 172_800_000_000_000n);
    assert.equal(nanos('5 min'), 300_000_000_000n);
    assert.equal(nanos('0.0000000015s'), 2n, 'rounds half up to whole nanoseconds');
    assert.equal(nanos('12ns'), 12n);
    assert.equal(nanos('1.25MS'), 1_250_000n);
  });

  it('explains what is wrong with a duration', () => {
    assert.match(problem('100'), /has no unit; write it as 100ms, 100s/);
    assert.match(problem(''), /Enter a duration/);
    assert.match(problem('-5s'), /cannot be negative/);
    assert.match(problem('5 parsecs'), /is not a duration; use a number and a unit/);
    assert.match(problem('ms'), /is not a duration/);
  });

  it('formats Go durations in the largest exact unit, readable by Go and TraceQL', () => {
    const cases: [bigint, string][] = [
      [0n, '0s'],
      [100_000_000n, '100ms'],
      [1_500_000_000n, '1500ms'],
      [2_000_000_000n, '2s'],
      [90_000_000_000n, '90s'],
      [120_000_000_000n, '2m'],
      [7_200_000_000_000n, '2h'],
      [150_000n, '150us'],
      [1_001n, '1001ns'],
    ];
    for (const [value, text] of cases) {
      assert.equal(formatGoDuration(value), text);
      assert.equal(parseGoDuration(text), value, `Go reads ${text} back`);
    }
    assert.throws(() => formatGoDuration(-1n), RangeError);
  });

  it('converts to the units each API takes', () => {
    assert.equal(nanosToMicros(1_500n, 'floor'), 1n);
    assert.equal(nanosToMicros(1_500n, 'ceil'), 2n);
    assert.equal(nanosToMicros(2_000n, 'ceil'), 2n);
    assert.equal(millisToUnixSeconds(1_700_000_000_500, 'floor'), 1_700_000_000);
    assert.equal(millisToUnixSeconds(1_700_000_000_500, 'ceil'), 1_700_000_001);
    assert.equal(millisToUnixMicros(1_700_000_000_123), 1_700_000_000_123_000n);
    assert.equal(millisToUnixNanos(1_700_000_000_123), 1_700_000_000_123_000_000n);
    assert.equal(millisToRfc3339(Date.UTC(2026, 7, 19, 9, 30)), '2026-08-19T09:30:00.000Z');
  });

  it('formats sizes and waits for messages', () => {
    assert.equal(formatByteSize(64 * 1024 * 1024), '64 MiB');
    assert.equal(formatByteSize(1.5 * 1024 * 1024), '1.5 MiB');
    assert.equal(formatByteSize(20_000), '20 KiB');
    assert.equal(formatByteSize(900), '900 bytes');
    assert.equal(formatWaitMillis(300), '300 ms');
    assert.equal(formatWaitMillis(30_000), '30 s');
    assert.equal(formatWaitMillis(120_000), '2 min');
    assert.equal(formatWaitMillis(3 * 3_600_000), '3 h');
  });
});
