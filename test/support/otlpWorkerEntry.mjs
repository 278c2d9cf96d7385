// Runs the OTLP worker from its TypeScript source, for tests and benchmarks (the extension and the CLI
// use the bundled dist/otlpWorker.js).
import { register } from 'tsx/esm/api';

register();
await import('../../src/core/otlpWorker/otlpWorker.ts');
