import { strict as assert } from 'node:assert';
import { isTraceIdText, parseTraceIdInput, traceIdFromTraceparent } from '../../../src/core/backends/traceIdInput';

describe('trace ID input', () => {
  it('accepts 16 or 32 hex digits in any case and pads 64-bit IDs', () => {
    assert.deepEqual(parseTraceIdInput('4BF92F3577B34DA6A3CE929D0E0E4736'), { ok: true, traceId: '4bf92f3577b34da6a3ce929d0e0e4736' });
    assert.deepEqual(parseTraceIdInput('  a03ee8fff1dcd9b9\n'), { ok: true, traceId: '0000000000000000a03ee8fff1dcd9b9' });
    assert.deepEqual(parseTraceIdInput('0xa03ee8fff1dcd9b9'), { ok: true, traceId: '0000000000000000a03ee8fff1dcd9b9' });
    assert.ok(isTraceIdText('a03ee8fff1dcd9b9'));
    assert.ok(!isTraceIdText('a03ee8fff1dcd9b'));
  });

  it('takes the trace ID out of a traceparent, with or without the header name', () => {
    const header = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    assert.equal(traceIdFromTraceparent(header), '4bf92f3577b34da6a3ce929d0e0e4736');
    assert.deepEqual(parseTraceIdInput(`traceparent: ${header}`), { ok: true, traceId: '4bf92f3577b34da6a3ce929d0e0e4736' });
    // A future version may append fields; version ff, zero IDs and extra fields on version 00 are invalid.
    assert.equal(traceIdFromTraceparent('01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra'), '4bf92f3577b34da6a3ce929d0e0e4736');
    assert.equal(traceIdFromTraceparent('ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'), undefined);
    assert.equal(traceIdFromTraceparent('00-00000000000000000000000000000000-00f067aa0ba902b7-01'), undefined);
    assert.equal(traceIdFromTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01'), undefined);
    assert.equal(traceIdFromTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x'), undefined);
  });

  it('says what is wrong', () => {
    const wrongLength = parseTraceIdInput('abc123');
    assert.deepEqual(wrongLength, { ok: false, message: 'A trace ID has 16 or 32 hex digits; this one has 6' });
    const empty = parseTraceIdInput('   ');
    assert.ok(!empty.ok && /Enter a trace ID/.test(empty.message));
    const junk = parseTraceIdInput('trace-123');
    assert.ok(!junk.ok && /Not a trace ID/.test(junk.message));
    const zeros = parseTraceIdInput('0000000000000000');
    assert.ok(!zeros.ok && /all zeros/.test(zeros.message));
  });
});
