import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseJaegerV1Document } from '../../../src/core/formats/jaegerV1';
import { parseZipkinV2Document } from '../../../src/core/formats/zipkinV2';
import { summarizeTraces } from '../../../src/core/model/traceSummary';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const ownFixtures = path.join(repoRoot, 'test', 'fixtures', 'own');
const zipkinTraces = path.resolve(repoRoot, '..', 'shared', 'fixtures', 'zipkin', 'api_v2', 'trace');

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8'));
}

describe('summarizeTraces', () => {
  it('counts traces, spans, services, roots, levels and errors of a Zipkin list of traces', () => {
    const warnings: string[] = [];
    const traces = parseZipkinV2Document(readJson(path.join(ownFixtures, 'zipkin-traces.json')), warnings);
    const summary = summarizeTraces({ format: 'zipkin-v2', traces, warnings });
    assert.deepEqual(summary, {
      format: 'zipkin-v2',
      traces: 2,
      spans: 7,
      services: 3, // frontend, orders, unknown_service
      roots: 2,
      maxDepth: 5, // server → client → shared server → reserve stock → undated leaf
      errors: 2,
      warnings,
    });
  });

  it('counts a lone root as one level, and nothing as zero', () => {
    const traces = parseJaegerV1Document(readJson(path.join(ownFixtures, 'jaeger-envelope-otel.json')), []);
    const cronOnly = summarizeTraces({ format: 'jaeger-v1', traces: traces.slice(1), warnings: [] });
    assert.equal(cronOnly.maxDepth, 1);
    assert.equal(cronOnly.roots, 1);
    const empty = summarizeTraces({ format: 'zipkin-v2', traces: [], warnings: ['the document contains no spans'] });
    assert.deepEqual(empty, { format: 'zipkin-v2', traces: 0, spans: 0, services: 0, roots: 0, maxDepth: 0, errors: 0, warnings: ['the document contains no spans'] });
  });

  it('adds tree repairs after parse warnings, naming the trace when there are several', () => {
    const span = { name: 'x', timestamp: 1, duration: 1, localEndpoint: { serviceName: 's' } };
    const doc = [
      [{ ...span, traceId: 'a', id: '1' }],
      [
        { ...span, traceId: 'b', id: '1', parentId: '9' },
        { ...span, traceId: 'b', id: '2', parentId: '9' },
      ],
    ];
    const summary = summarizeTraces({ format: 'zipkin-v2', traces: parseZipkinV2Document(doc, []), warnings: ['from the parser'] });
    assert.equal(summary.roots, 3);
    assert.deepEqual(summary.warnings, [
      'from the parser',
      'trace 0000000000000000000000000000000b: 2 spans reference a parent that is not in the trace; shown as roots',
    ]);
  });

  it('smartthings-oauth-authorization.json: a large real trace', function () {
    const file = path.join(zipkinTraces, 'smartthings-oauth-authorization.json');
    if (!existsSync(file)) this.skip();
    const warnings: string[] = [];
    const summary = summarizeTraces({ format: 'zipkin-v2', traces: parseZipkinV2Document(readJson(file), warnings), warnings });
    assert.equal(summary.spans, 175);
    assert.equal(summary.services, 8);
    assert.equal(summary.errors, 2);
    assert.equal(summary.roots, 1);
    assert.equal(summary.maxDepth, 33);
    assert.deepEqual(summary.warnings, ['19 spans have no "duration"; shown as 0']);
  });
});
