import { strict as assert } from 'node:assert';
import { bytesToHex } from '../../../src/core/model/bytesToHex';

describe('bytesToHex', () => {
  const bytes = Uint8Array.from({ length: 96 }, (_, i) => (i * 181 + 7) & 0xff);

  it('writes every byte length, at any offset, as Buffer does', () => {
    for (let length = 0; length <= 40; length++) {
      for (const offset of [0, 1, 8, 50]) {
        const expected = Buffer.from(bytes.subarray(offset, offset + length)).toString('hex');
        assert.equal(bytesToHex(bytes, offset, length), expected, `${length} bytes at ${offset}`);
      }
    }
  });

  it('reads the whole array by default, with the edge bytes 0x00 and 0xff', () => {
    const id = Uint8Array.from([0x00, 0xff, 0x0a, 0xa0, 0x10, 0x01, 0x7f, 0x80]);
    assert.equal(bytesToHex(id), '00ff0aa010017f80');
    assert.equal(bytesToHex(new Uint8Array(0)), '');
  });

  it('does not carry digits from a longer ID into a shorter one', () => {
    assert.equal(bytesToHex(Uint8Array.from(Array(16).fill(0xee))), 'ee'.repeat(16));
    assert.equal(bytesToHex(Uint8Array.from([1, 2])), '0102');
    assert.equal(bytesToHex(Uint8Array.from(Array(16).fill(0x11))), '11'.repeat(16));
  });
});
