// A worker that dies on its first message, to test how the OTLP worker client copes with a lost worker.
import { parentPort } from 'node:worker_threads';

parentPort?.once('message', () => process.exit(3));
