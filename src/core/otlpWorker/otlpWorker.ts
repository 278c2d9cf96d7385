// Entry point of the OTLP worker thread (bundled as dist/otlpWorker.js): decodes, indexes and reads back
// trace data so the editor's thread never does.

import { parentPort } from 'node:worker_threads';
import { runDecodeJob, runIngestJob } from './otlpJobs';
import type { WorkerRequest, WorkerResponse } from './otlpWorkerProtocol';

const port = parentPort;
if (port === null) throw new Error('otlpWorker.js runs as a worker thread');

port.on('message', (request: WorkerRequest) => {
  let response: WorkerResponse;
  const transfer: ArrayBuffer[] = [];
  try {
    if (request.type === 'ingest') {
      const result = runIngestJob(request.job);
      if (result.ok && result.record !== undefined) {
        // The head is new; the body is the request the editor's thread handed over, going back unchanged.
        transfer.push(result.record.head.buffer as ArrayBuffer);
        const body = result.record.body.buffer;
        if (body instanceof ArrayBuffer && body !== result.record.head.buffer) transfer.push(body);
      }
      response = { type: 'ingest', id: request.id, result };
    } else {
      response = { type: 'decode', id: request.id, result: runDecodeJob(request.job) };
    }
  } catch (error) {
    response = { type: 'failed', id: request.id, message: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(response, transfer);
});
