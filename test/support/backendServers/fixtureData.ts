// Fixture documents the fakes serve, from test/fixtures/backends (copies of real bodies; see NOTICE.md there).

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Found from this file upwards, so it also works from the bundled integration suite (out/integration). */
function findFixturesDir(): string {
  for (let dir = __dirname, depth = 0; depth < 8; dir = dirname(dir), depth++) {
    const candidate = join(dir, 'test', 'fixtures', 'backends');
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`test/fixtures/backends not found above ${__dirname}`);
}

export const BACKEND_FIXTURES_DIR = findFixturesDir();

export function readBackendFixture(relativePath: string): unknown {
  return JSON.parse(readFileSync(join(BACKEND_FIXTURES_DIR, relativePath), 'utf8'));
}

/** Real HotROD traces from Jaeger's GET /api/v3/traces, OTLP JSON without the `result` envelope. */
export const HOTROD_SERIAL_TRACE_ID = 'fe65c5beefbe4e96119efbba3da07e99';

export function hotrodTraces(): unknown[] {
  return [
    readBackendFixture('jaeger/api_v3/captured-hotrod/n_plus_one_full_serial.json'),
    readBackendFixture('jaeger/api_v3/captured-hotrod/n_plus_one_full_concurrent.json'),
  ];
}

/** OTLP data with three services in one trace (Jaeger storage integration fixture). */
export function exampleOtlpTrace(): unknown {
  return readBackendFixture('otlp/jaeger-integration-example_trace.json');
}

/** Jaeger UI-model trace objects, as elements of the v1 `data` list. */
export function jaegerV1Traces(): unknown[] {
  return [readBackendFixture('jaeger/api_v1/trace-object.ui_01.json'), readBackendFixture('jaeger/api_v1/testTraceNormal.json')];
}

/** Zipkin v2 span lists, each the body of GET /api/v2/trace/{id}. */
export function zipkinTraces(): unknown[] {
  return ['yelp', 'messaging', 'skew', 'simple-db-p6'].map((name) => readBackendFixture(`zipkin/api_v2/trace/${name}.json`));
}

export function tlsCertificate(): { key: Buffer; cert: Buffer } {
  return {
    key: readFileSync(join(BACKEND_FIXTURES_DIR, 'tls', 'localhost-key.pem')),
    cert: readFileSync(join(BACKEND_FIXTURES_DIR, 'tls', 'localhost-cert.pem')),
  };
}
