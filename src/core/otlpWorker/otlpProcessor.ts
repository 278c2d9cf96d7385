// Who runs the OTLP jobs: a worker thread in the editor and the `serve` command, or the calling thread
// where blocking does not matter (CLI reads, tests).

import type { DecodeJob, DecodeResult, IngestJob, IngestResult } from './otlpJobs';
import { runDecodeJob, runIngestJob } from './otlpJobs';

export interface OtlpProcessor {
  /** Rejects with ProcessorBusyError when too much work is already waiting; the receiver answers 429. */
  ingest(job: IngestJob): Promise<IngestResult>;
  decode(job: DecodeJob): Promise<DecodeResult>;
  close(): Promise<void>;
}

/** Too many requests are waiting for the processor; the client should retry later. */
export class ProcessorBusyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProcessorBusyError';
  }
}

/** The worker died or could not start; the job may succeed on a new one. */
export class ProcessorFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProcessorFailedError';
  }
}

export class InProcessOtlpProcessor implements OtlpProcessor {
  async ingest(job: IngestJob): Promise<IngestResult> {
    return runIngestJob(job);
  }

  async decode(job: DecodeJob): Promise<DecodeResult> {
    return runDecodeJob(job);
  }

  async close(): Promise<void> {}
}
