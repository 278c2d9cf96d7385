import { strict as assert } from 'node:assert';
import {
  ExactNumber,
  jsonToText,
  MAX_JSON_DEPTH,
  MAX_JSON_TEXT_CHARS,
  parseJsonContainer,
  plainOfAnyValue,
  prettyText,
} from '../../../src/core/layout/jsonText';
import { formatByteSize, previewOf, PREVIEW_MAX_CHARS, utf8ByteLength } from '../../../src/core/layout/textPreview';
import type { AnyValue } from '../../../src/core/model/trace';

describe('JSON values as text', () => {
  it('pretty-prints objects and arrays with two-space indents', () => {
    assert.equal(jsonToText({ a: [1, 'two', null, true], b: {}, c: [] }), '{\n  "a": [\n    1,\n    "two",\n    null,\n    true\n  ],\n  "b": {},\n  "c": []\n}');
    assert.equal(jsonToText('<img src=x onerror=alert(1)>'), '"<img src=x onerror=alert(1)>"');
    assert.equal(jsonToText(Number.NaN), '"NaN"');
  });

  it('pretty-prints strings holding JSON containers and leaves other strings alone', () => {
    assert.equal(prettyText('{"id":"INV-7"}'), '{\n  "id": "INV-7"\n}');
    assert.equal(prettyText('  [1]'), '[\n  1\n]');
    assert.equal(prettyText('42'), '42', 'a bare JSON scalar is just text');
    assert.equal(prettyText('{not json'), '{not json');
    assert.equal(parseJsonContainer('"quoted"'), undefined);
  });

  it('keeps int64 attribute values exact and a "__proto__" key a plain key', () => {
    const value: AnyValue = {
      type: 'map',
      value: [
        { key: 'big', value: { type: 'int', value: '9223372036854775807' } },
        { key: '__proto__', value: { type: 'string', value: 'x' } },
      ],
    };
    const plain = plainOfAnyValue(value) as Record<string, unknown>;
    assert.ok(plain.big instanceof ExactNumber);
    assert.equal(Object.getPrototypeOf(plain), Object.prototype);
    assert.equal(jsonToText(plain), '{\n  "big": 9223372036854775807,\n  "__proto__": "x"\n}');
  });

  it('caps nesting depth and output length', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 10_000; i++) deep = [deep];
    const text = jsonToText(deep);
    assert.ok(text.includes('"…"'));
    assert.equal(text.split('\n').filter((line) => line.trim() === '[').length, MAX_JSON_DEPTH);

    const wide = Array.from({ length: 300_000 }, (_, i) => `item ${i}`);
    const long = jsonToText(wide);
    assert.equal(long.length, MAX_JSON_TEXT_CHARS + 1);
    assert.ok(long.endsWith('…'));
  });
});

describe('text previews', () => {
  it('leaves short text whole and cuts long text by characters or lines', () => {
    assert.equal(previewOf('short'), undefined);
    assert.equal(previewOf('x'.repeat(PREVIEW_MAX_CHARS)), undefined);
    assert.equal(previewOf('x'.repeat(PREVIEW_MAX_CHARS + 1)), 'x'.repeat(PREVIEW_MAX_CHARS));
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n');
    assert.equal(previewOf(lines), Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n'));
    assert.equal(previewOf(Array.from({ length: 20 }, () => 'l').join('\n')), undefined);
  });

  it('never splits a surrogate pair', () => {
    const text = `${'x'.repeat(9)}😀tail`;
    assert.equal(previewOf(text, 10, 20), 'x'.repeat(9));
  });

  it('measures UTF-8 size without encoding and formats it', () => {
    assert.equal(utf8ByteLength('aé€😀'), 1 + 2 + 3 + 4);
    assert.equal(utf8ByteLength('aé€😀'), Buffer.byteLength('aé€😀'));
    assert.equal(formatByteSize(812), '812 B');
    assert.equal(formatByteSize(12_595), '12.3 KB');
    assert.equal(formatByteSize(4.5 * 1024 * 1024), '4.5 MB');
    assert.equal(formatByteSize(200 * 1024), '200 KB');
  });
});
