// One span's contribution to the latency statistics of its code location: what every source (the local
// store, sampled remote traces) hands the aggregator.

import type { SpanCodeLocation } from '../codeMapping/spanCodeLocation';
import type { GenAiUsage } from '../genai/genAiUsage';

export interface CodeSpanSample {
  /** As the span states it, before mapping onto the workspace. */
  readonly location: SpanCodeLocation;
  readonly serviceName: string;
  readonly spanName: string;
  /** 32 lowercase hex digits. */
  readonly traceId: string;
  /** 16 lowercase hex digits. */
  readonly spanId: string;
  readonly startUnixMillis: number;
  readonly durationNano: number;
  /** Duration minus the time the span's children cover. */
  readonly selfTimeNano: number;
  readonly isError: boolean;
  readonly genAi: GenAiUsage | undefined;
}
