import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { decodeColumnarTrace, encodeColumnarTrace, type ColumnarTrace } from '../../../src/core/layout/columnarTrace';
import { computeTraceStatistics, type TraceStatisticsRow } from '../../../src/core/layout/traceStatistics';
import { parseTraceText } from '../../../src/core/formats/parseTraceText';
import { buildSpanTree } from '../../../src/core/model/spanTree';
import type { Trace } from '../../../src/core/model/trace';
import { TRACE_ID, makeSpan } from './traceBuilders';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const testTraceNormal = path.resolve(repoRoot, '..', 'shared', 'fixtures', 'jaeger', 'api_v1', 'jaeger-ui', 'testTraceNormal.json');

function columnar(trace: Trace): ColumnarTrace {
  return decodeColumnarTrace(encodeColumnarTrace(trace, buildSpanTree(trace.spans)).message);
}

/** A row as one line, times in the given unit, so expectations read like the table. */
function line(row: TraceStatisticsRow, unitNano: number): string {
  const t = (nano: number): string => String(Math.round((nano / unitNano) * 100) / 100);
  return [
    `${row.service} / ${row.operation}`,
    `count ${row.count}`,
    `total ${t(row.totalNano)} avg ${t(row.avgNano)} min ${t(row.minNano)} max ${t(row.maxNano)}`,
    `self ${t(row.selfTotalNano)} avg ${t(row.selfAvgNano)} min ${t(row.selfMinNano)} max ${t(row.selfMaxNano)}`,
    `${row.selfPercentOfTrace.toFixed(2)}%`,
  ].join(' | ');
}

describe('trace statistics', () => {
  it('groups by service and operation, most self time first', () => {
    const trace: Trace = {
      traceId: TRACE_ID,
      spans: [
        makeSpan({ index: 0, name: 'GET /orders', service: 'frontend', startOffsetNano: 0n, durationNano: 100n }),
        makeSpan({ index: 1, parent: 0, name: 'SELECT', service: 'db', startOffsetNano: 10n, durationNano: 20n }),
        makeSpan({ index: 2, parent: 0, name: 'SELECT', service: 'db', startOffsetNano: 40n, durationNano: 40n }),
        // Same name, other service: a row of its own.
        makeSpan({ index: 3, parent: 2, name: 'SELECT', service: 'replica', startOffsetNano: 50n, durationNano: 10n }),
        makeSpan({ index: 4, parent: 0, name: 'render', service: 'frontend', startOffsetNano: 85n, durationNano: 10n }),
      ],
    };
    assert.deepEqual(
      computeTraceStatistics(columnar(trace)).map((row) => line(row, 1)),
      [
        'db / SELECT | count 2 | total 60 avg 30 min 20 max 40 | self 50 avg 25 min 20 max 30 | 50.00%',
        'frontend / GET /orders | count 1 | total 100 avg 100 min 100 max 100 | self 30 avg 30 min 30 max 30 | 30.00%',
        'frontend / render | count 1 | total 10 avg 10 min 10 max 10 | self 10 avg 10 min 10 max 10 | 10.00%',
        'replica / SELECT | count 1 | total 10 avg 10 min 10 max 10 | self 10 avg 10 min 10 max 10 | 10.00%',
      ],
    );
  });

  it('gives no rows for an empty trace', () => {
    assert.deepEqual(computeTraceStatistics(columnar({ traceId: TRACE_ID, spans: [] })), []);
  });

  it('matches Jaeger UI on its testTraceNormal fixture', function () {
    if (!existsSync(testTraceNormal)) this.skip();
    const [trace] = parseTraceText(readFileSync(testTraceNormal, 'utf8')).traces;
    // Jaeger UI's tableValues.test.js expects these values (ms, two decimals) for service + operation.
    assert.deepEqual(
      computeTraceStatistics(columnar(trace)).map((row) => line(row, 1e6)),
      [
        'api-gateway / GET /api/customer/owners/8/pets/10 | count 1 | total 4.9 avg 4.9 min 4.9 max 4.9 | self 2.4 avg 2.4 min 2.4 max 2.4 | 49.02%',
        'customers-service / GET /owners/8/pets/10 | count 1 | total 1.74 avg 1.74 min 1.74 max 1.74 | self 1.67 avg 1.67 min 1.67 max 1.67 | 33.99%',
        'api-gateway / GET /owners/8/pets/10 | count 1 | total 2.5 avg 2.5 min 2.5 max 2.5 | self 0.76 avg 0.76 min 0.76 max 0.76 | 15.50%',
        'customers-service / HikariProxyPreparedStatement.executeQuery | count 2 | total 0.07 avg 0.04 min 0.02 max 0.05 | self 0.07 avg 0.04 min 0.02 max 0.05 | 1.49%',
      ],
    );
  });

  it('is one pass over a million spans', function () {
    this.timeout(30_000);
    const count = 1_000_000;
    const input = {
      spanCount: count,
      traceDurationNano: 1e9,
      services: ['a', 'b', 'c'],
      names: ['x', 'y'],
      serviceIndex: Uint32Array.from({ length: count }, (_, p) => p % 3),
      nameIndex: Uint32Array.from({ length: count }, (_, p) => p % 2),
      durationNano: new Float64Array(count).fill(1000),
      selfTimeNano: new Float64Array(count).fill(100),
    };
    const rows = computeTraceStatistics(input);
    assert.equal(rows.length, 6);
    assert.equal(rows.reduce((total, row) => total + row.count, 0), count);
    assert.ok(Math.abs(rows.reduce((total, row) => total + row.selfPercentOfTrace, 0) - 10) < 1e-9);
  });
});
