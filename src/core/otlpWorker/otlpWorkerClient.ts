// Runs OTLP jobs on a worker thread. Ingest work waiting for the worker is bounded by count and bytes;
// past that, new requests are refused at once (the receiver answers 429) instead of queueing without end.
// A worker that dies is replaced on the next job; the jobs it held fail.

import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DecodeJob, DecodeResult, IngestJob, IngestResult } from './otlpJobs';
import type { OtlpProcessor } from './otlpProcessor';
import { ProcessorBusyError, ProcessorFailedError } from './otlpProcessor';
import type { WorkerRequest, WorkerResponse } from './otlpWorkerProtocol';

export interface OtlpWorkerOptions {
  /** The worker script; default `otlpWorker.js` next to the running bundle. */
  readonly workerPath?: string;
  /** Ingest jobs waiting or running; default 64. */
  readonly maxPendingJobs?: number;
  /** Request bytes waiting or running; default 256 MiB. */
  readonly maxPendingBytes?: number;
  /** Heap limit of the worker, so a huge request ends the worker rather than the editor; default 2048. */
  readonly maxHeapMegabytes?: number;
}

interface PendingJob {
  readonly resolve: (response: WorkerResponse) => void;
  readonly reject: (error: Error) => void;
}

export class OtlpWorkerClient implements OtlpProcessor {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, PendingJob>();
  private nextId = 1;
  private pendingIngestJobs = 0;
  private pendingBytes = 0;
  private closed = false;
  private readonly workerPath: string;
  private readonly maxPendingJobs: number;
  private readonly maxPendingBytes: number;
  private readonly maxHeapMegabytes: number;

  constructor(options: OtlpWorkerOptions = {}) {
    this.workerPath = options.workerPath ?? defaultWorkerPath();
    this.maxPendingJobs = options.maxPendingJobs ?? 64;
    this.maxPendingBytes = options.maxPendingBytes ?? 256 * 1024 * 1024;
    this.maxHeapMegabytes = options.maxHeapMegabytes ?? 2048;
  }

  /** Jobs waiting or running, for tests and status. */
  get pendingJobs(): number {
    return this.pending.size;
  }

  /**
   * `job.body` is transferred to the worker when it owns its whole ArrayBuffer (do not reuse it then);
   * otherwise it is copied first, as cloning a view would copy, and the store keep, its whole buffer.
   */
  async ingest(job: IngestJob): Promise<IngestResult> {
    const bytes = job.body.byteLength;
    if (this.pendingIngestJobs >= this.maxPendingJobs || (this.pendingBytes > 0 && this.pendingBytes + bytes > this.maxPendingBytes)) {
      throw new ProcessorBusyError(`${this.pendingIngestJobs} requests are still being processed`);
    }
    this.pendingIngestJobs++;
    this.pendingBytes += bytes;
    try {
      const given = job.body;
      const ownsBuffer = given.byteOffset === 0 && given.byteLength === given.buffer.byteLength && given.buffer instanceof ArrayBuffer;
      const body = ownsBuffer ? given : given.slice();
      const response = await this.post((id) => ({ type: 'ingest', id, job: { ...job, body } }), [body.buffer as ArrayBuffer]);
      if (response.type !== 'ingest') throw unexpected(response);
      return response.result;
    } finally {
      this.pendingIngestJobs--;
      this.pendingBytes -= bytes;
    }
  }

  async decode(job: DecodeJob): Promise<DecodeResult> {
    const response = await this.post((id) => ({ type: 'decode', id, job }), []);
    if (response.type !== 'decode') throw unexpected(response);
    return response.result;
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    this.failAll(new ProcessorFailedError('The OTLP worker was stopped'));
    if (worker !== undefined) await worker.terminate();
  }

  private post(request: (id: number) => WorkerRequest, transfer: ArrayBuffer[]): Promise<WorkerResponse> {
    if (this.closed) return Promise.reject(new ProcessorFailedError('The OTLP worker was stopped'));
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise<WorkerResponse>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      try {
        worker.postMessage(request(id), transfer);
      } catch (error) {
        this.settle(id);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  private ensureWorker(): Worker {
    if (this.worker !== undefined) return this.worker;
    const worker = new Worker(this.workerPath, { resourceLimits: { maxOldGenerationSizeMb: this.maxHeapMegabytes } });
    worker.unref();
    worker.on('message', (response: WorkerResponse) => {
      const job = this.settle(response.id);
      if (job === undefined) return;
      if (response.type === 'failed') job.reject(new ProcessorFailedError(`The OTLP worker failed: ${response.message}`));
      else job.resolve(response);
    });
    worker.on('error', (error) => this.lose(worker, new ProcessorFailedError(`The OTLP worker failed: ${error.message}`)));
    worker.on('exit', (code) => this.lose(worker, new ProcessorFailedError(`The OTLP worker stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }

  private settle(id: number): PendingJob | undefined {
    const job = this.pending.get(id);
    this.pending.delete(id);
    if (this.pending.size === 0) this.worker?.unref();
    return job;
  }

  private lose(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.failAll(error);
  }

  private failAll(error: Error): void {
    const jobs = [...this.pending.values()];
    this.pending.clear();
    for (const job of jobs) job.reject(error);
  }
}

/** `otlpWorker.js` beside the bundle that is running (dist/extension.js, dist/cli.js). */
export function defaultWorkerPath(): string {
  return join(__dirname, 'otlpWorker.js');
}

function unexpected(response: WorkerResponse): Error {
  return new ProcessorFailedError(`The OTLP worker answered a ${response.type} message out of turn`);
}
