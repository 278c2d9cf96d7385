import { strict as assert } from 'node:assert';
import { compactCount, displayModels, lensText, percentText, SLOW_MARKER, tokensPerCallText } from '../../../src/extension/codeInsights/lensText';
import type { CodeStatsProvenance, CodeStatsSummary } from '../../../src/core/stats/codeStats';

const MS = 1_000_000;
const LOCAL: CodeStatsProvenance = { kind: 'local', label: '1h', windowMillis: 3_600_000 };
const NOT_SLOW = { slowThresholdNano: 500 * MS };

function summary(fields: Partial<CodeStatsSummary> = {}): CodeStatsSummary {
  const calls = fields.calls ?? 1234;
  const errors = fields.errors ?? 26;
  return {
    calls,
    errors,
    errorRate: calls === 0 ? 0 : errors / calls,
    p50Nano: 12 * MS,
    p95Nano: 142 * MS,
    p99Nano: 310 * MS,
    meanNano: 20 * MS,
    totalNano: 20 * MS * calls,
    slowest: [],
    ...fields,
  };
}

describe('lensText', () => {
  describe('compactCount', () => {
    it('keeps counts under a thousand as they are, rounded', () => {
      assert.equal(compactCount(0), '0');
      assert.equal(compactCount(7), '7');
      assert.equal(compactCount(999), '999');
      assert.equal(compactCount(42.4), '42');
      assert.equal(compactCount(42.5), '43');
    });

    it('shortens thousands, millions and billions to one decimal under ten, none from ten', () => {
      assert.equal(compactCount(1000), '1k');
      assert.equal(compactCount(1234), '1.2k');
      assert.equal(compactCount(1250), '1.3k');
      assert.equal(compactCount(9_940), '9.9k');
      assert.equal(compactCount(12_345), '12k');
      assert.equal(compactCount(350_000), '350k');
      assert.equal(compactCount(1_000_000), '1M');
      assert.equal(compactCount(1_234_567), '1.2M');
      assert.equal(compactCount(45_600_000), '46M');
      assert.equal(compactCount(2_500_000_000), '2.5G');
    });

    it('moves to the next unit when rounding reaches a thousand', () => {
      assert.equal(compactCount(999.7), '1k');
      assert.equal(compactCount(999_999), '1M');
      assert.equal(compactCount(999_500_000), '1G');
    });

    it('drops a trailing .0', () => {
      assert.equal(compactCount(2_000), '2k');
      assert.equal(compactCount(3_020_000), '3M');
    });

    it('keeps the sign of negative counts', () => {
      assert.equal(compactCount(-5), '-5');
      assert.equal(compactCount(-1500), '-1.5k');
    });
  });

  describe('percentText', () => {
    it('says 0% only for no errors, and <0.1% for rare ones', () => {
      assert.equal(percentText(0), '0%');
      assert.equal(percentText(0.0004), '<0.1%');
      assert.equal(percentText(0.00099), '<0.1%');
      assert.equal(percentText(0.001), '0.1%');
    });

    it('gives one decimal under 10% and none from 10%', () => {
      assert.equal(percentText(0.021), '2.1%');
      assert.equal(percentText(0.05), '5%');
      assert.equal(percentText(0.1234), '12%');
      assert.equal(percentText(0.5), '50%');
      assert.equal(percentText(1), '100%');
    });
  });

  describe('lensText', () => {
    it('reads p95, p50, calls, error rate and the window', () => {
      assert.equal(lensText(summary(), LOCAL, NOT_SLOW), 'p95 142 ms · p50 12 ms · 1.2k calls · 2.1% errors · 1h');
    });

    it('leaves out the error rate when nothing failed, and says "call" for one', () => {
      assert.equal(lensText(summary({ calls: 1, errors: 0 }), LOCAL, NOT_SLOW), 'p95 142 ms · p50 12 ms · 1 call · 1h');
      assert.equal(lensText(summary({ calls: 2, errors: 0 }), LOCAL, NOT_SLOW), 'p95 142 ms · p50 12 ms · 2 calls · 1h');
    });

    it('picks the duration unit that fits', () => {
      const text = lensText(summary({ p95Nano: 1_530 * MS, p50Nano: 830_000, calls: 3, errors: 0 }), LOCAL, { slowThresholdNano: 10_000 * MS });
      assert.equal(text, 'p95 1.53 s · p50 830 µs · 3 calls · 1h');
    });

    it('marks a function whose p95 is above the slow threshold, and only then', () => {
      assert.equal(lensText(summary(), LOCAL, { slowThresholdNano: 100 * MS }), `${SLOW_MARKER} p95 142 ms · p50 12 ms · 1.2k calls · 2.1% errors · 1h`);
      assert.equal(lensText(summary(), LOCAL, { slowThresholdNano: 142 * MS }), 'p95 142 ms · p50 12 ms · 1.2k calls · 2.1% errors · 1h');
      assert.ok(lensText(summary(), LOCAL, { slowThresholdNano: 0 }).startsWith(`${SLOW_MARKER} `));
      assert.equal(SLOW_MARKER, '$(flame)');
    });

    it('names the service when a function runs in several, after the slow marker', () => {
      assert.equal(lensText(summary(), LOCAL, { ...NOT_SLOW, serviceName: 'checkout' }), 'checkout: p95 142 ms · p50 12 ms · 1.2k calls · 2.1% errors · 1h');
      assert.equal(
        lensText(summary(), LOCAL, { slowThresholdNano: MS, serviceName: 'checkout' }),
        `${SLOW_MARKER} checkout: p95 142 ms · p50 12 ms · 1.2k calls · 2.1% errors · 1h`,
      );
    });

    it('says where remote statistics came from, sampled ones honestly', () => {
      const sampled: CodeStatsProvenance = { kind: 'sampled', label: 'from 200 sampled traces · 1h', windowMillis: 3_600_000, sampledTraces: 200 };
      const pushdown: CodeStatsProvenance = { kind: 'pushdown', label: 'Tempo, 1h', windowMillis: 3_600_000 };
      assert.equal(lensText(summary({ errors: 0 }), sampled, NOT_SLOW), 'p95 142 ms · p50 12 ms · 1.2k calls · from 200 sampled traces · 1h');
      assert.equal(lensText(summary({ errors: 0 }), pushdown, NOT_SLOW), 'p95 142 ms · p50 12 ms · 1.2k calls · Tempo, 1h');
    });

    it('ends with the figures when the provenance has no label', () => {
      const unlabelled: CodeStatsProvenance = { kind: 'local', label: '', windowMillis: 3_600_000 };
      assert.equal(lensText(summary({ errors: 0 }), unlabelled, NOT_SLOW), 'p95 142 ms · p50 12 ms · 1.2k calls');
    });

    it('adds the GenAI model and tokens per call before the window', () => {
      const genAi = { models: ['gpt-4o-mini', 'gpt-4o-mini-2024-07-18'], inputTokensPerCall: 1234, outputTokensPerCall: 350 };
      assert.equal(
        lensText(summary({ genAi, calls: 40, errors: 0 }), LOCAL, NOT_SLOW),
        'p95 142 ms · p50 12 ms · 40 calls · gpt-4o-mini-2024-07-18 · 1.2k→350 tokens/call · 1h',
      );
    });

    it('names two models at most, then how many more', () => {
      const genAi = { models: ['gpt-4o', 'claude-sonnet-4', 'gemini-2.5-pro', 'llama-3.1-70b'] };
      assert.equal(lensText(summary({ genAi, calls: 9, errors: 0 }), LOCAL, NOT_SLOW), 'p95 142 ms · p50 12 ms · 9 calls · gpt-4o, claude-sonnet-4 +2 · 1h');
      const two = { models: ['gpt-4o', 'claude-sonnet-4'] };
      assert.equal(lensText(summary({ genAi: two, calls: 9, errors: 0 }), LOCAL, NOT_SLOW), 'p95 142 ms · p50 12 ms · 9 calls · gpt-4o, claude-sonnet-4 · 1h');
    });

    it('adds only what a GenAI summary reports', () => {
      const tokensOnly = { models: [], outputTokensPerCall: 80 };
      assert.equal(lensText(summary({ genAi: tokensOnly, calls: 9, errors: 0 }), LOCAL, NOT_SLOW), 'p95 142 ms · p50 12 ms · 9 calls · 80 output tokens/call · 1h');
      const nothing = { models: [] };
      assert.equal(lensText(summary({ genAi: nothing, calls: 9, errors: 0 }), LOCAL, NOT_SLOW), 'p95 142 ms · p50 12 ms · 9 calls · 1h');
    });
  });

  describe('tokensPerCallText', () => {
    it('gives input→output, or the side that is reported', () => {
      assert.equal(tokensPerCallText(1234, 350), '1.2k→350 tokens/call');
      assert.equal(tokensPerCallText(412.6, 57.2), '413→57 tokens/call');
      assert.equal(tokensPerCallText(1234, undefined), '1.2k input tokens/call');
      assert.equal(tokensPerCallText(undefined, 350), '350 output tokens/call');
      assert.equal(tokensPerCallText(0, 0), '0→0 tokens/call');
      assert.equal(tokensPerCallText(undefined, undefined), undefined);
    });
  });

  describe('displayModels', () => {
    it('drops an alias when a dated version of it is named', () => {
      assert.deepEqual(displayModels(['gpt-4o-mini', 'gpt-4o-mini-2024-07-18']), ['gpt-4o-mini-2024-07-18']);
      assert.deepEqual(displayModels(['gpt-4o-mini-2024-07-18', 'gpt-4o-mini']), ['gpt-4o-mini-2024-07-18']);
    });

    it('keeps models that are not versions of each other, in order', () => {
      assert.deepEqual(displayModels(['gpt-4o', 'claude-sonnet-4']), ['gpt-4o', 'claude-sonnet-4']);
      assert.deepEqual(displayModels(['claude-sonnet-4-20250514', 'gpt-4o-2024-08-06']), ['claude-sonnet-4-20250514', 'gpt-4o-2024-08-06']);
      assert.deepEqual(displayModels(['gpt-4o-mini']), ['gpt-4o-mini']);
      assert.deepEqual(displayModels(['gpt-4o', 'gpt-4o-mini']), ['gpt-4o', 'gpt-4o-mini']);
      assert.deepEqual(displayModels([]), []);
    });
  });
});
