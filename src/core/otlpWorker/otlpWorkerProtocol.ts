// Messages between the editor's thread and the OTLP worker.

import type { DecodeJob, DecodeResult, IngestJob, IngestResult } from './otlpJobs';

export type WorkerRequest =
  | { readonly type: 'ingest'; readonly id: number; readonly job: IngestJob }
  | { readonly type: 'decode'; readonly id: number; readonly job: DecodeJob };

export type WorkerResponse =
  | { readonly type: 'ingest'; readonly id: number; readonly result: IngestResult }
  | { readonly type: 'decode'; readonly id: number; readonly result: DecodeResult }
  /** The job threw something other than bad input: a bug, or memory ran out. */
  | { readonly type: 'failed'; readonly id: number; readonly message: string };
