import { strict as assert } from 'node:assert';
import { commandLink, OPEN_SPAN_COMMAND } from '../../../src/extension/codeInsights/insightCommands';

describe('insightCommands', () => {
  it('makes a command link whose query is the JSON list of the one argument, URI-encoded', () => {
    const target = { backend: 'Local traces', traceId: '0af7651916cd43dd8448eb211c80319c', spanId: '00f067aa0ba902b7' };
    const link = commandLink(OPEN_SPAN_COMMAND, target);
    assert.ok(link.startsWith('command:spanlens.openSpan?'));
    const query = link.slice('command:spanlens.openSpan?'.length);
    assert.doesNotMatch(query, /[ "{}[\]&#?]/, 'characters that would end the link or its query are escaped');
    assert.deepEqual(JSON.parse(decodeURIComponent(query)), [target]);
  });

  it('escapes what markdown or a URI would misread in names', () => {
    const link = commandLink('spanlens.showSlowestTraces', { uri: 'file:///a b/(x)[y].ts', line: 3, serviceName: 'a&b#c?d' });
    assert.doesNotMatch(link.slice(link.indexOf('?') + 1), /[ \[\]&#?()]/);
    assert.deepEqual(JSON.parse(decodeURIComponent(link.slice(link.indexOf('?') + 1))), [{ uri: 'file:///a b/(x)[y].ts', line: 3, serviceName: 'a&b#c?d' }]);
  });
});
