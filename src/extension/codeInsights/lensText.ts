import { formatDurationNano } from '../../core/model/time';
import type { CodeStatsProvenance, CodeStatsSummary } from '../../core/stats/codeStats';

/** Marks a function whose p95 is above `spanlens.slowThresholdMs`. */
export const SLOW_MARKER = '$(flame)';

/** `1.2k`, `35k`, `1.2M`: counts as short as a lens needs. */
export function compactCount(count: number): string {
  const units = [
    [1, ''],
    [1e3, 'k'],
    [1e6, 'M'],
    [1e9, 'G'],
  ] as const;
  // The largest unit whose rounded value stays below 1000, so 999,999 reads `1M`, not `1000k`.
  for (let i = 0; i < units.length; i++) {
    const [size, unit] = units[i];
    const scaled = count / size;
    const digits = size === 1 || Math.abs(scaled) >= 10 ? 0 : 1;
    const rounded = Number(scaled.toFixed(digits));
    if (Math.abs(rounded) < 1000 || i === units.length - 1) return `${rounded}${unit}`;
  }
  return String(count);
}

export function percentText(rate: number): string {
  const percent = rate * 100;
  if (percent === 0) return '0%';
  if (percent < 0.1) return '<0.1%';
  return `${Number(percent.toFixed(percent >= 10 ? 0 : 1))}%`;
}

/**
 * `p95 142 ms · p50 12 ms · 1.2k calls · 2.1% errors · gpt-4o · 1.2k→350 tokens/call · 1h`, with the slow
 * marker in front when p95 is over the threshold and the service in front when a function runs in several.
 */
export function lensText(
  summary: CodeStatsSummary,
  provenance: CodeStatsProvenance,
  options: { readonly slowThresholdNano: number; readonly serviceName?: string },
): string {
  const parts = [
    `p95 ${formatDurationNano(summary.p95Nano)}`,
    `p50 ${formatDurationNano(summary.p50Nano)}`,
    `${compactCount(summary.calls)} ${summary.calls === 1 ? 'call' : 'calls'}`,
  ];
  if (summary.errors > 0) parts.push(`${percentText(summary.errorRate)} errors`);
  const genAi = summary.genAi;
  if (genAi !== undefined) {
    const models = displayModels(genAi.models);
    if (models.length > 0) parts.push(models.length > 2 ? `${models.slice(0, 2).join(', ')} +${models.length - 2}` : models.join(', '));
    const tokens = tokensPerCallText(genAi.inputTokensPerCall, genAi.outputTokensPerCall);
    if (tokens !== undefined) parts.push(tokens);
  }
  if (provenance.label !== '') parts.push(provenance.label);
  let text = parts.join(' · ');
  if (options.serviceName !== undefined) text = `${options.serviceName}: ${text}`;
  return summary.p95Nano > options.slowThresholdNano ? `${SLOW_MARKER} ${text}` : text;
}

/** `1.2k→350 tokens/call`, or one side alone when the other is not reported. */
export function tokensPerCallText(input: number | undefined, output: number | undefined): string | undefined {
  if (input === undefined && output === undefined) return undefined;
  if (input !== undefined && output !== undefined) return `${compactCount(input)}→${compactCount(output)} tokens/call`;
  return input !== undefined ? `${compactCount(input)} input tokens/call` : `${compactCount(output ?? 0)} output tokens/call`;
}

/**
 * Models to name: a requested alias (`gpt-4o-mini`) is left out when the responses name a dated or numbered
 * version of it (`gpt-4o-mini-2024-07-18`); failed calls report only the alias. `gpt-4o` and `gpt-4o-mini` are
 * different models and both stay.
 */
export function displayModels(models: readonly string[]): string[] {
  return models.filter((model) => !models.some((other) => other !== model && isVersionOf(other, model)));
}

function isVersionOf(candidate: string, alias: string): boolean {
  if (!candidate.startsWith(`${alias}-`)) return false;
  const code = candidate.charCodeAt(alias.length + 1);
  return code >= 48 && code <= 57;
}
