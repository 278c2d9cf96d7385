// What one simulated request carries through the pipeline: the tracers of the services it touches, its own
// random generator, and simulated waiting that --time-scale shrinks for fast runs.

import type { Tracer } from '@opentelemetry/api';
import type { Random } from './random';
import { createRandom, requestSeed } from './random';

export interface Tracers {
  /** The chat front end that sends questions (the sample's load client). */
  readonly frontend: Tracer;
  /** The assistant service: HTTP handler, retrieval, reranking, LLM and tool calls. */
  readonly assistant: Tracer;
  /** The vector store the assistant queries, simulated in process under its own service name. */
  readonly vectorStore: Tracer;
}

export interface Simulation {
  readonly tracers: Tracers;
  readonly seed: number;
  /** Multiplies every simulated latency: 1 is realistic, 0.02 makes a run fifty times faster. */
  readonly timeScale: number;
}

export interface RequestScope {
  readonly requestNumber: number;
  readonly tracers: Tracers;
  readonly random: Random;
  /** Simulated work: waits `millis` (scaled); rejects with the signal's reason if it aborts first. */
  work(millis: number, signal?: AbortSignal): Promise<void>;
  /** A real duration for a simulated one, e.g. for a timeout. */
  scaledMillis(millis: number): number;
}

export function createRequestScope(simulation: Simulation, requestNumber: number): RequestScope {
  const scaledMillis = (millis: number): number => millis * simulation.timeScale;
  return {
    requestNumber,
    tracers: simulation.tracers,
    random: createRandom(requestSeed(simulation.seed, requestNumber)),
    scaledMillis,
    work: (millis, signal) => waitMillis(scaledMillis(millis), signal),
  };
}

function waitMillis(millis: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, millis);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
