import { strict as assert } from 'node:assert';
import { runCliCaptured } from '../support/runCliCaptured';
import type { CliRun } from '../support/runCliCaptured';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseTraceText } from '../../src/core/formats/parseTraceText';
import { startFakeJaeger } from '../support/backendServers/fakeJaeger';
import { startFakeTempo } from '../support/backendServers/fakeTempo';
import { startFakeZipkin } from '../support/backendServers/fakeZipkin';
import { neverAnswer, redirect, respond } from '../support/backendServers/faults';
import { exampleOtlpTrace, hotrodTraces, jaegerV1Traces, zipkinTraces } from '../support/backendServers/fixtureData';
import { startForwardProxy } from '../support/backendServers/forwardProxy';

const repoRoot = path.resolve(__dirname, '..', '..');

const cli = runCliCaptured;

// ---- fixture traces moved to just before now, so the default 1 h lookback finds them ---------------------

const MINUTE_MILLIS = 60_000;

/** Absolute time fields of OTLP (ns), Jaeger v1 and Zipkin (µs) documents. */
const TIME_FIELDS: Readonly<Record<string, 'nanos' | 'micros'>> = {
  startTimeUnixNano: 'nanos',
  endTimeUnixNano: 'nanos',
  timeUnixNano: 'nanos',
  startTime: 'micros',
  timestamp: 'micros',
};

function forEachTime(doc: unknown, visit: (holder: Record<string, unknown>, key: string, nanos: bigint, unit: 'nanos' | 'micros') => void): void {
  const stack: unknown[] = [doc];
  while (stack.length > 0) {
    const item = stack.pop();
    if (Array.isArray(item)) {
      stack.push(...(item as unknown[]));
    } else if (typeof item === 'object' && item !== null) {
      const holder = item as Record<string, unknown>;
      for (const [key, value] of Object.entries(holder)) {
        const unit = Object.hasOwn(TIME_FIELDS, key) ? TIME_FIELDS[key] : undefined;
        if (unit !== undefined && (typeof value === 'string' || typeof value === 'number') && /^\d+$/.test(String(value))) {
          const raw = BigInt(value);
          if (raw > 0n) visit(holder, key, unit === 'nanos' ? raw : raw * 1000n, unit);
        } else {
          stack.push(value);
        }
      }
    }
  }
}

/** A copy of `doc` shifted so that its earliest time is `startUnixMillis`. */
function startingAt(doc: unknown, startUnixMillis: number): unknown {
  const copy = structuredClone(doc);
  let earliest: bigint | undefined;
  forEachTime(copy, (_holder, _key, nanos) => {
    if (earliest === undefined || nanos < earliest) earliest = nanos;
  });
  assert.ok(earliest !== undefined, 'fixture without times');
  const deltaNanos = BigInt(startUnixMillis) * 1_000_000n - earliest;
  forEachTime(copy, (holder, key, nanos, unit) => {
    const moved = nanos + deltaNanos;
    const value = unit === 'nanos' ? moved : moved / 1000n;
    holder[key] = typeof holder[key] === 'string' ? String(value) : Number(value);
  });
  return copy;
}

/** Document i starts (i + 1) × 5 minutes before `nowMillis`: newest first in the given order. */
function recent(docs: readonly unknown[], nowMillis: number): unknown[] {
  return docs.map((doc, index) => startingAt(doc, nowMillis - (index + 1) * 5 * MINUTE_MILLIS));
}

function isoMinutesBefore(nowMillis: number, minutes: number): string {
  return new Date(nowMillis - minutes * MINUTE_MILLIS).toISOString();
}

// ---- fixture facts (see test/fixtures/backends) ---------------------------------------------------------

const HOTROD_SERIAL = 'fe65c5beefbe4e96119efbba3da07e99';
const HOTROD_CONCURRENT = '1a4e4a7b270e9f2a0f716e3ee115218a';
const V1_PETCLINIC = '4766f1209f70a5e2e55417fc296fd101';
const ZIPKIN_YELP = '0000000000000000a03ee8fff1dcd9b9';
const ZIPKIN_MESSAGING = '5aab74dbb904746bb33447baae403ed6';
const ZIPKIN_SKEW = '00000000000000001e223ff1f80f1c69';
const ZIPKIN_DB = '000000000000000019f84f102048e047';

const SUMMARY_KEYS = ['format', 'traces', 'spans', 'services', 'roots', 'maxDepth', 'errors', 'warnings'];
const ROW_KEYS = ['traceId', 'rootName', 'durationMs', 'spans', 'errors', 'startTime'];

interface SearchRow {
  traceId: string;
  rootName: string | null;
  durationMs: number | null;
  spans: number | null;
  errors: number | null;
  startTime: string | null;
}

function searchRows(run: CliRun): SearchRow[] {
  assert.equal(run.code, 0, run.stderr);
  assert.ok(run.stdout.endsWith('\n'));
  const rows = JSON.parse(run.stdout) as SearchRow[];
  assert.ok(Array.isArray(rows));
  for (const row of rows) assert.deepEqual(Object.keys(row), ROW_KEYS);
  return rows;
}

/** The data lines of the human-readable table, split into columns. */
function tableRows(run: CliRun): string[][] {
  assert.equal(run.code, 0, run.stderr);
  const lines = run.stdout.trimEnd().split('\n');
  assert.match(lines[0], /^TRACE ID +START \(UTC\) +DURATION +SPANS +ERRORS +ROOT$/);
  return lines.slice(1).map((line) => line.split(/ {2,}/).map((cell) => cell.trim()));
}

/** Environment variables the CLI reads, cleared for every test and restored after. */
const ENV_NAMES = ['SPANLENS_TOKEN', 'SPANLENS_USER', 'SPANLENS_PASSWORD', 'HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY', 'https_proxy', 'http_proxy', 'no_proxy'];

describe('spanlens get and search', () => {
  const saved = new Map<string, string | undefined>();
  const servers: { close(): Promise<void> }[] = [];
  let now: number;

  beforeEach(() => {
    now = Date.now();
    for (const name of ENV_NAMES) {
      saved.set(name, process.env[name]);
      delete process.env[name];
    }
  });

  afterEach(async () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  function track<T extends { close(): Promise<void> }>(server: T): T {
    servers.push(server);
    return server;
  }

  const jaegerOtlp = (): unknown[] => recent([...hotrodTraces(), exampleOtlpTrace()], now);

  describe('get', () => {
    it('Jaeger api_v3: writes OTLP JSON that parses back to the trace', async () => {
      const jaeger = track(await startFakeJaeger({ mode: 'v2.20', otlpTraces: jaegerOtlp() }));
      const run = await cli(['get', HOTROD_SERIAL, '--backend', 'jaeger', '--url', jaeger.url]);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stderr, '');
      const parsed = parseTraceText(run.stdout);
      assert.equal(parsed.format, 'otlp-json');
      assert.equal(parsed.traces.length, 1);
      assert.equal(parsed.traces[0].traceId, HOTROD_SERIAL);
      assert.equal(parsed.traces[0].spans.length, 40);
      assert.equal(jaeger.requestsTo(`/api/v3/traces/${HOTROD_SERIAL}`).length, 1);
    });

    it('Jaeger without api_v3: falls back to the v1 API; accepts a traceparent', async () => {
      const jaeger = track(await startFakeJaeger({ mode: 'v1-only', v1Traces: recent(jaegerV1Traces(), now) }));
      const traceparent = `00-${V1_PETCLINIC}-00f067aa0ba902b7-01`;
      const run = await cli(['get', traceparent, '--backend', 'jaeger', '--url', jaeger.url]);
      assert.equal(run.code, 0, run.stderr);
      const parsed = parseTraceText(run.stdout);
      assert.equal(parsed.traces[0].traceId, V1_PETCLINIC);
      assert.equal(parsed.traces[0].spans.length, 5);
      assert.equal(jaeger.requestsTo(`/api/traces/${V1_PETCLINIC}`).length, 1);
    });

    it('--json prints the inspect summary of the fetched trace', async () => {
      const jaeger = track(await startFakeJaeger({ mode: 'v2.20', otlpTraces: jaegerOtlp() }));
      const run = await cli(['get', HOTROD_SERIAL, '--backend=jaeger', `--url=${jaeger.url}`, '--json']);
      assert.equal(run.code, 0, run.stderr);
      const summary = JSON.parse(run.stdout) as Record<string, unknown>;
      assert.deepEqual(Object.keys(summary), SUMMARY_KEYS);
      assert.equal(summary.format, 'jaeger-v3');
      assert.equal(summary.traces, 1);
      assert.equal(summary.spans, 40);
      assert.equal(summary.services, 6);
      assert.equal(summary.roots, 1);
      assert.equal(summary.errors, 3);
      assert.deepEqual(summary.warnings, []);
    });

    it('--out writes the file; with --json the summary still goes to standard output', async () => {
      const scratch = mkdtempSync(path.join(tmpdir(), 'spanlens-get-'));
      try {
        const zipkin = track(await startFakeZipkin({ traces: recent(zipkinTraces(), now) }));
        const out = path.join(scratch, 'trace.json');
        const run = await cli(['get', ZIPKIN_MESSAGING, '--backend', 'zipkin', '--url', zipkin.url, '-o', out]);
        assert.deepEqual(run, { code: 0, stdout: '', stderr: '' });
        assert.equal(parseTraceText(readFileSync(out, 'utf8')).traces[0].spans.length, 4);

        const both = path.join(scratch, 'both.json');
        const withJson = await cli(['get', ZIPKIN_MESSAGING, '--backend', 'zipkin', '--url', zipkin.url, '--out', both, '--json']);
        assert.equal(withJson.code, 0, withJson.stderr);
        assert.equal((JSON.parse(withJson.stdout) as { format: string }).format, 'zipkin-v2');
        assert.equal(parseTraceText(readFileSync(both, 'utf8')).traces[0].traceId, ZIPKIN_MESSAGING);

        const nowhere = path.join(scratch, 'missing-dir', 'trace.json');
        const failed = await cli(['get', ZIPKIN_MESSAGING, '--backend', 'zipkin', '--url', zipkin.url, '--out', nowhere]);
        assert.deepEqual(failed, { code: 1, stdout: '', stderr: `spanlens: ${nowhere}: no such file\n` });
      } finally {
        rmSync(scratch, { recursive: true, force: true });
      }
    });

    it('Zipkin: fetches a 64-bit trace by its 16 digits', async () => {
      const zipkin = track(await startFakeZipkin({ traces: recent(zipkinTraces(), now) }));
      const run = await cli(['get', 'a03ee8fff1dcd9b9', '--backend', 'zipkin', '--url', zipkin.url]);
      assert.equal(run.code, 0, run.stderr);
      const parsed = parseTraceText(run.stdout);
      assert.equal(parsed.traces[0].traceId, ZIPKIN_YELP);
      assert.equal(parsed.traces[0].spans.length, 16);
    });

    it('Tempo: --tenant is sent as X-Scope-OrgID', async () => {
      const tempo = track(await startFakeTempo({ tenant: 'acme', traces: jaegerOtlp() }));
      const run = await cli(['get', HOTROD_CONCURRENT, '--backend', 'tempo', '--url', tempo.url, '--tenant', 'acme']);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(parseTraceText(run.stdout).traces[0].spans.length, 40);
      const requests = tempo.requestsTo(`/api/v2/traces/${HOTROD_CONCURRENT}`);
      assert.equal(requests.length, 1);
      assert.equal(requests[0].headers['x-scope-orgid'], 'acme');

      // Without it, Tempo's own refusal comes through as one line.
      const refused = await cli(['get', HOTROD_CONCURRENT, '--backend', 'tempo', '--url', tempo.url]);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /^spanlens: Tempo at http:\/\/127\.0\.0\.1:\d+ answered 401 Unauthorized: no org id — [^\n]+\n$/);
    });

    it('--header flags are sent, repeated ones included', async () => {
      const zipkin = track(await startFakeZipkin({ traces: recent(zipkinTraces(), now) }));
      const run = await cli([
        'get', ZIPKIN_MESSAGING, '--backend', 'zipkin', '--url', zipkin.url,
        '--header', 'X-Team: tracing', '--header', 'X-Request-Source:  cli ',
      ]);
      assert.equal(run.code, 0, run.stderr);
      const [request] = zipkin.requestsTo(`/api/v2/trace/${ZIPKIN_MESSAGING}`);
      assert.equal(request.headers['x-team'], 'tracing');
      assert.equal(request.headers['x-request-source'], 'cli');
      assert.match(String(request.headers['user-agent']), /^spanlens-cli\//);
    });

    it('an unknown trace is exit 1 with a not-found message', async () => {
      const jaeger = track(await startFakeJaeger({ mode: 'v2.20', otlpTraces: jaegerOtlp() }));
      const missing = 'abcdef0123456789abcdef0123456789';
      const run = await cli(['get', missing, '--backend', 'jaeger', '--url', jaeger.url]);
      assert.deepEqual(run, { code: 1, stdout: '', stderr: `spanlens: Trace ${missing} was not found in Jaeger at ${jaeger.url}\n` });
    });

    it('an unreachable port is exit 1 with one line', async () => {
      const port = await closedPort();
      const run = await cli(['get', ZIPKIN_MESSAGING, '--backend', 'zipkin', '--url', `http://127.0.0.1:${port}`, '--timeout', '5']);
      assert.deepEqual(run, {
        code: 1,
        stdout: '',
        stderr: `spanlens: Cannot reach Zipkin at http://127.0.0.1:${port} (connection refused). Is it running?\n`,
      });
    });

    it('a response over --max-response-mb is exit 1 naming the flag', async () => {
      const jaeger = track(await startFakeJaeger({ mode: 'v2.20', otlpTraces: jaegerOtlp() }));
      jaeger.override(`/api/v3/traces/${HOTROD_SERIAL}`, respond(200, `{"result":"${'x'.repeat(300_000)}"}`, { 'content-type': 'application/json' }));
      const run = await cli(['get', HOTROD_SERIAL, '--backend', 'jaeger', '--url', jaeger.url, '--max-response-mb', '0.25']);
      assert.equal(run.code, 1);
      assert.equal(run.stderr, `spanlens: Trace ${HOTROD_SERIAL} is larger than the 256 KiB response limit (--max-response-mb)\n`);
    });

    it('--timeout bounds the wait for an answer', async function () {
      this.timeout(10_000);
      const zipkin = track(await startFakeZipkin({ traces: recent(zipkinTraces(), now) }));
      zipkin.override(`/api/v2/trace/${ZIPKIN_MESSAGING}`, neverAnswer());
      const started = Date.now();
      const run = await cli(['get', ZIPKIN_MESSAGING, '--backend', 'zipkin', '--url', zipkin.url, '--timeout', '0.5']);
      assert.equal(run.code, 1);
      assert.match(run.stderr, /^spanlens: Zipkin at http:\/\/127\.0\.0\.1:\d+ did not answer within 500 ms\. [^\n]+\n$/);
      assert.ok(Date.now() - started < 5000);
    });

    it('leaves no SIGINT listener behind, on success or failure', async () => {
      const listeners = process.listenerCount('SIGINT');
      const zipkin = track(await startFakeZipkin({ traces: recent(zipkinTraces(), now) }));
      assert.equal((await cli(['get', ZIPKIN_MESSAGING, '--backend', 'zipkin', '--url', zipkin.url])).code, 0);
      assert.equal((await cli(['get', 'abcdef0123456789', '--backend', 'zipkin', '--url', zipkin.url])).code, 1);
      assert.equal(process.listenerCount('SIGINT'), listeners);
    });
  });

  describe('search', () => {
    it('Jaeger api_v3: rows newest first, JSON rows with the documented keys', async () => {
      const jaeger = track(await startFakeJaeger({ mode: 'v2.20', otlpTraces: jaegerOtlp() }));
      const args = ['search', '--backend', 'jaeger', '--url', jaeger.url, '--service', 'frontend'];
      const rows = searchRows(await cli([...args, '--json']));
      assert.deepEqual(rows, [
        {
          traceId: HOTROD_SERIAL,
          rootName: 'frontend: GET /dispatch',
          durationMs: 1116.967287,
          spans: 40,
          errors: 3,
          startTime: isoMinutesBefore(now, 5),
        },
        {
          traceId: HOTROD_CONCURRENT,
          rootName: 'frontend: GET /dispatch',
          durationMs: 693.999329,
          spans: 40,
          errors: 3,
          startTime: isoMinutesBefore(now, 10),
        },
      ]);
      const [request] = jaeger.requestsTo('/api/v3/trace-summaries');
      assert.equal(request.query.get('query.service_name'), 'frontend');
      assert.equal(request.query.get('query.num_traces'), '20');

      const table = tableRows(await cli(args));
      assert.deepEqual(table, [
        [HOTROD_SERIAL, isoMinutesBefore(now, 5), '1.12 s', '40', '3', 'frontend: GET /dispatch'],
        [HOTROD_CONCURRENT, isoMinutesBefore(now, 10), '694 ms', '40', '3', 'frontend: GET /dispatch'],
      ]);
    });

    it('Jaeger v1: sends the filters as v1 parameters', async () => {
      const jaeger = track(await startFakeJaeger({ mode: 'v1-only', v1Traces: recent(jaegerV1Traces(), now) }));
      const run = await cli([
        'search', '--backend', 'jaeger', '--url', jaeger.url, '--service', 'api-gateway',
        '--operation', 'GET /api/customer/owners/8/pets/10', '--min-duration', '1ms', '--lookback', '2h', '--limit', '5', '--json',
      ]);
      const rows = searchRows(run);
      assert.deepEqual(rows.map((row) => [row.traceId, row.spans, row.rootName]), [[V1_PETCLINIC, 5, 'api-gateway: GET /api/customer/owners/8/pets/10']]);
      const [request] = jaeger.requestsTo('/api/traces');
      assert.equal(request.query.get('service'), 'api-gateway');
      assert.equal(request.query.get('operation'), 'GET /api/customer/owners/8/pets/10');
      assert.equal(request.query.get('minDuration'), '1ms');
      assert.equal(request.query.get('limit'), '5');
      const startMicros = Number(request.query.get('start'));
      const endMicros = Number(request.query.get('end'));
      assert.equal(endMicros - startMicros, 2 * 3600 * 1e6);
      assert.ok(Math.abs(endMicros / 1000 - now) < 60_000);
    });

    it('Zipkin: minDuration in µs, lookback and endTs in ms, attributes as annotationQuery', async () => {
      const zipkin = track(await startFakeZipkin({ traces: recent(zipkinTraces(), now) }));
      const rows = searchRows(await cli(['search', '--backend', 'zipkin', '--url', zipkin.url, '--json']));
      assert.deepEqual(rows.map((row) => row.traceId), [ZIPKIN_YELP, ZIPKIN_MESSAGING, ZIPKIN_SKEW, ZIPKIN_DB]);
      assert.deepEqual(rows[1], {
        traceId: ZIPKIN_MESSAGING,
        rootName: 'frontend: get /',
        durationMs: 3.357,
        spans: 4,
        errors: 0,
        startTime: isoMinutesBefore(now, 10),
      });

      const filtered = await cli([
        'search', '--backend', 'zipkin', '--url', zipkin.url, '--service', 'frontend',
        '--min-duration', '1.5ms', '--lookback', '30m', '--attribute', 'http.method=GET', '--limit', '3',
      ]);
      assert.deepEqual(tableRows(filtered), [[ZIPKIN_MESSAGING, isoMinutesBefore(now, 10), '3.36 ms', '4', '0', 'frontend: get /']]);
      const request = zipkin.requestsTo('/api/v2/traces').at(-1);
      assert.ok(request !== undefined);
      assert.equal(request.query.get('serviceName'), 'frontend');
      assert.equal(request.query.get('minDuration'), '1500');
      assert.equal(request.query.get('lookback'), String(30 * MINUTE_MILLIS));
      assert.equal(request.query.get('annotationQuery'), 'http.method=GET');
      assert.equal(request.query.get('limit'), '3');
      assert.ok(Math.abs(Number(request.query.get('endTs')) - now) < 60_000);
    });

    it('Tempo: --traceql is sent as q with start and end in seconds', async () => {
      const tempo = track(await startFakeTempo({ traces: jaegerOtlp() }));
      const query = '{ resource.service.name = "redis-manual" && status = error }';
      const rows = searchRows(await cli(['search', '--backend', 'tempo', '--url', tempo.url, '--traceql', query, '--lookback', '3h', '--json']));
      assert.deepEqual(
        rows.map((row) => [row.traceId, row.spans, row.errors, row.rootName]),
        [
          [HOTROD_SERIAL, 40, 3, 'frontend: GET /dispatch'],
          [HOTROD_CONCURRENT, 40, 3, 'frontend: GET /dispatch'],
        ],
      );
      assert.equal(rows[0].startTime, isoMinutesBefore(now, 5));
      const [request] = tempo.requestsTo('/api/search');
      assert.equal(request.query.get('q'), query);
      const start = Number(request.query.get('start'));
      const end = Number(request.query.get('end'));
      assert.ok(Number.isInteger(start) && Number.isInteger(end));
      assert.ok(end - start >= 3 * 3600 && end - start <= 3 * 3600 + 1);
      assert.ok(Math.abs(end - now / 1000) < 60);
    });

    it('Tempo: filters become TraceQL; the tenant is sent', async () => {
      const tempo = track(await startFakeTempo({ tenant: 'acme', traces: jaegerOtlp() }));
      const run = await cli([
        'search', '--backend', 'tempo', '--url', tempo.url, '--tenant', 'acme', '--service', 'frontend', '--min-duration', '1s',
      ]);
      assert.deepEqual(tableRows(run), [[HOTROD_SERIAL, isoMinutesBefore(now, 5), '1.12 s', '40', '3', 'frontend: GET /dispatch']]);
      const [request] = tempo.requestsTo('/api/search');
      assert.equal(request.headers['x-scope-orgid'], 'acme');
      assert.match(request.query.get('q') ?? '', /resource\.service\.name = "frontend"/);
      assert.match(request.query.get('q') ?? '', /duration >= 1s/);
    });

    it('null for counts the backend does not report', async () => {
      const tempo = track(await startFakeTempo({ traces: jaegerOtlp() }));
      // Tempo before serviceStats: no span or error counts.
      const body = { traces: [{ traceID: '2f3e0cee77ae5dc9c17ade3689eb2e54', rootServiceName: 'shop', rootTraceName: 'checkout', startTimeUnixNano: String(BigInt(now) * 1_000_000n), durationMs: 25 }] };
      tempo.override('/api/search', respond(200, JSON.stringify(body), { 'content-type': 'application/json' }), 2);
      const rows = searchRows(await cli(['search', '--backend', 'tempo', '--url', tempo.url, '--json']));
      assert.deepEqual(rows, [
        { traceId: '2f3e0cee77ae5dc9c17ade3689eb2e54', rootName: 'shop: checkout', durationMs: 25, spans: null, errors: null, startTime: new Date(now).toISOString() },
      ]);
      assert.deepEqual(tableRows(await cli(['search', '--backend', 'tempo', '--url', tempo.url])), [
        ['2f3e0cee77ae5dc9c17ade3689eb2e54', new Date(now).toISOString(), '25 ms', '-', '-', 'shop: checkout'],
      ]);
    });

    it('no matches: an empty JSON array, or a note on stderr', async () => {
      const zipkin = track(await startFakeZipkin({ traces: recent(zipkinTraces(), now) }));
      const args = ['search', '--backend', 'zipkin', '--url', zipkin.url, '--service', 'nobody'];
      const json = await cli([...args, '--json']);
      assert.equal(json.code, 0);
      assert.equal(json.stdout, '[]\n');
      const text = await cli(args);
      assert.equal(text.code, 0);
      assert.equal(text.stdout, '');
      assert.match(text.stderr, /^spanlens: no traces found$/m);
    });

    it('a server error is exit 1 with one line', async () => {
      const zipkin = track(await startFakeZipkin({ traces: recent(zipkinTraces(), now) }));
      zipkin.override('/api/v2/traces', respond(500, 'storage is down\n'));
      const run = await cli(['search', '--backend', 'zipkin', '--url', zipkin.url]);
      assert.equal(run.code, 1);
      assert.match(run.stderr, /^spanlens: Zipkin at http:\/\/127\.0\.0\.1:\d+ failed with 500 Internal Server Error on \/api\/v2\/traces: storage is down\n$/);
    });
  });

  describe('credentials and proxies from the environment', () => {
    it('SPANLENS_TOKEN goes to the --url origin as a Bearer token, never to another origin', async () => {
      process.env.SPANLENS_TOKEN = 's3cret-token';
      const zipkin = track(await startFakeZipkin({ traces: recent(zipkinTraces(), now), requireAuthorization: 'Bearer s3cret-token' }));
      const other = track(await startFakeZipkin({ traces: recent(zipkinTraces(), now) }));
      const tracePath = `/api/v2/trace/${ZIPKIN_MESSAGING}`;
      zipkin.override(tracePath, redirect(307, `${other.url}${tracePath}`));

      const run = await cli(['get', ZIPKIN_MESSAGING, '--backend', 'zipkin', '--url', zipkin.url]);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(zipkin.requestsTo(tracePath)[0].headers.authorization, 'Bearer s3cret-token');
      assert.equal(other.requestsTo(tracePath)[0].headers.authorization, undefined);
    });

    it('SPANLENS_USER and SPANLENS_PASSWORD are sent as Basic credentials', async () => {
      process.env.SPANLENS_USER = 'ops';
      process.env.SPANLENS_PASSWORD = 'pa:ss word';
      const basic = `Basic ${Buffer.from('ops:pa:ss word').toString('base64')}`;
      const tempo = track(await startFakeTempo({ traces: jaegerOtlp(), requireAuthorization: basic }));
      const run = await cli(['search', '--backend', 'tempo', '--url', tempo.url, '--json']);
      assert.equal(searchRows(run).length, 3);
      assert.equal(tempo.requestsTo('/api/search')[0].headers.authorization, basic);
    });

    it('a refused credential is exit 1, pointing at the environment variables, without the secret', async () => {
      process.env.SPANLENS_TOKEN = 'wrong-token';
      const zipkin = track(await startFakeZipkin({ traces: recent(zipkinTraces(), now), requireAuthorization: 'Bearer right' }));
      const run = await cli(['search', '--backend', 'zipkin', '--url', zipkin.url]);
      assert.equal(run.code, 1);
      assert.match(run.stderr, /^spanlens: Zipkin at \S+ answered 401 Unauthorized[^\n]*SPANLENS_TOKEN[^\n]*\n$/);
      assert.ok(!run.stderr.includes('wrong-token'));
    });

    it('HTTP_PROXY carries http:// requests unless NO_PROXY names the host', async () => {
      const proxy = track(await startForwardProxy());
      const zipkin = track(await startFakeZipkin({ traces: recent(zipkinTraces(), now) }));
      process.env.HTTP_PROXY = proxy.url;
      const proxied = await cli(['get', ZIPKIN_MESSAGING, '--backend', 'zipkin', '--url', zipkin.url]);
      assert.equal(proxied.code, 0, proxied.stderr);
      assert.deepEqual(proxy.records.map((record) => record.url), [`${zipkin.url}/api/v2/trace/${ZIPKIN_MESSAGING}`]);

      process.env.NO_PROXY = 'example.com, 127.0.0.1';
      const direct = await cli(['get', ZIPKIN_MESSAGING, '--backend', 'zipkin', '--url', zipkin.url]);
      assert.equal(direct.code, 0, direct.stderr);
      assert.equal(proxy.records.length, 1);
      assert.equal(zipkin.requestsTo(`/api/v2/trace/${ZIPKIN_MESSAGING}`).length, 2);
    });
  });

  describe('usage errors: exit 2, nothing sent', () => {
    it('reports each problem with the flags in one line', async () => {
      const jaeger = track(await startFakeJaeger({ mode: 'v2.20', otlpTraces: jaegerOtlp() }));
      const zipkin = track(await startFakeZipkin({ traces: recent(zipkinTraces(), now) }));
      const cases: [string[], string][] = [
        [['get', HOTROD_SERIAL, '--url', jaeger.url], 'missing --backend TYPE (supported: jaeger, zipkin, tempo)'],
        [['get', HOTROD_SERIAL, '--backend', 'elastic', '--url', jaeger.url], 'unknown --backend "elastic" (supported: jaeger, zipkin, tempo)'],
        [['get', HOTROD_SERIAL, '--backend', 'jaeger'], 'missing --url URL'],
        [['get', '--backend', 'jaeger', '--url', jaeger.url], 'missing TRACE_ID'],
        [['get', 'abc', 'def', '--backend', 'jaeger', '--url', jaeger.url], 'expected one TRACE_ID, got 2'],
        [['get', 'abc123', '--backend', 'jaeger', '--url', jaeger.url], 'A trace ID has 16 or 32 hex digits; this one has 6'],
        [['get', 'not-an-id', '--backend', 'jaeger', '--url', jaeger.url], 'Not a trace ID: expected 16 or 32 hex digits, or a traceparent such as 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
        [['get', HOTROD_SERIAL, '--backend', 'jaeger', '--url', 'localhost:16686'], '"localhost:16686" needs a scheme: write http://localhost:16686 or https://localhost:16686'],
        [['get', HOTROD_SERIAL, '--backend', 'jaeger', '--url', jaeger.url, '--header', 'no colon'], `--header "no colon" is not of the form 'Name: value'`],
        [['get', HOTROD_SERIAL, '--backend', 'jaeger', '--url', jaeger.url, '--header', 'Bad Name: x'], '"Bad Name" is not a valid HTTP header name'],
        [['get', HOTROD_SERIAL, '--backend', 'jaeger', '--url', jaeger.url, '--timeout', 'soon'], '--timeout needs a positive number, not "soon"'],
        [['get', HOTROD_SERIAL, '--backend', 'jaeger', '--url', jaeger.url, '--max-response-mb', '0'], '--max-response-mb needs a positive number, not "0"'],
        [['get', HOTROD_SERIAL, '--backend', 'jaeger', '--url', jaeger.url, '--max-response-mb', '4096'], '--max-response-mb is at most 512'],
        [['get', HOTROD_SERIAL, '--backend', 'jaeger', '--url', jaeger.url, '--out', ''], '--out needs a file name'],
        [['get', HOTROD_SERIAL, '--backend', 'zipkin', '--url', zipkin.url, '--tenant', 'acme'], '--tenant does not apply to Zipkin, which has no tenants'],
        [['search', '--backend', 'jaeger', '--url', jaeger.url], 'Jaeger searches need --service NAME'],
        [['search', '--backend', 'jaeger', '--url', jaeger.url, '--service', 'frontend', '--traceql', '{ }'], '--traceql replaces the other filters; put --service into the query instead'],
        [['search', '--backend', 'jaeger', '--url', jaeger.url, '--traceql', '{ status = error }'], '--traceql needs a backend that runs TraceQL (tempo); Jaeger does not'],
        [['search', '--backend', 'zipkin', '--url', zipkin.url, '--traceql', '{ status = error }'], '--traceql needs a backend that runs TraceQL (tempo); Zipkin does not'],
        [['search', '--backend', 'zipkin', '--url', zipkin.url, '--min-duration', '100'], '--min-duration: "100" has no unit; write it as 100ms, 100s or similar'],
        [['search', '--backend', 'zipkin', '--url', zipkin.url, '--lookback', 'yesterday'], '--lookback: "yesterday" is not a duration; use a number and a unit (ns, us, ms, s, m, h, d), e.g. 100ms, 1.5s, 1h30m'],
        [['search', '--backend', 'zipkin', '--url', zipkin.url, '--lookback', '0s'], '--lookback must be at least 1ms'],
        [['search', '--backend', 'zipkin', '--url', zipkin.url, '--min-duration', '2s', '--max-duration', '1s'], '--max-duration is shorter than --min-duration'],
        [['search', '--backend', 'zipkin', '--url', zipkin.url, '--limit', '0'], '--limit needs a positive whole number, not "0"'],
        [['search', '--backend', 'zipkin', '--url', zipkin.url, '--attribute', 'http.method'], '--attribute "http.method" is not of the form KEY=VALUE'],
        [['search', '--backend', 'zipkin', '--url', zipkin.url, '--attribute', 'a and b=c'], 'Zipkin cannot search for the tag name "a and b" (no "=", " and ", or surrounding spaces)'],
        [['search', 'frontend', '--backend', 'zipkin', '--url', zipkin.url], 'unexpected argument "frontend"'],
        [['search', '--backend', 'zipkin', '--url', zipkin.url, '--frobnicate'], "Unknown option '--frobnicate'"],
      ];
      for (const [args, message] of cases) {
        const run = await cli(args);
        assert.deepEqual(run, { code: 2, stdout: '', stderr: `spanlens: ${message}\nRun 'spanlens ${args[0]} --help' for usage.\n` }, args.join(' '));
      }
      assert.deepEqual(jaeger.requests, []);
      assert.deepEqual(zipkin.requests, []);
    });

    it('credentials in the environment must be complete', async () => {
      const zipkin = track(await startFakeZipkin());
      const args = ['search', '--backend', 'zipkin', '--url', zipkin.url];
      process.env.SPANLENS_USER = 'ops';
      assert.match((await cli(args)).stderr, /^spanlens: SPANLENS_USER is set but SPANLENS_PASSWORD is not\n/);
      process.env.SPANLENS_TOKEN = 'abc';
      assert.match((await cli(args)).stderr, /^spanlens: set SPANLENS_TOKEN or SPANLENS_USER and SPANLENS_PASSWORD, not both\n/);
      delete process.env.SPANLENS_TOKEN;
      delete process.env.SPANLENS_USER;
      process.env.HTTP_PROXY = 'socks5://user:hunter2@proxy:1080';
      const proxy = await cli(args);
      assert.equal(proxy.code, 2);
      assert.match(proxy.stderr, /^spanlens: HTTP_PROXY is not an http:\/\/ or https:\/\/ proxy URL \(SOCKS proxies are not supported\)\n/);
      assert.ok(!proxy.stderr.includes('hunter2'));
      assert.deepEqual(zipkin.requests, []);
    });
  });

  describe('help', () => {
    it('lists get and search, each with its own help', async () => {
      const help = await cli(['--help']);
      assert.match(help.stdout, /^ {2}get {6}Fetch a trace by ID/m);
      assert.match(help.stdout, /^ {2}search {3}Search Jaeger, Zipkin or Tempo/m);
      const get = await cli(['get', '--help']);
      assert.equal(get.code, 0);
      assert.match(get.stdout, /^Usage: spanlens get TRACE_ID --backend TYPE --url URL \[options\]/);
      assert.match(get.stdout, /^ {2}SPANLENS_TOKEN /m);
      const search = await cli(['help', 'search']);
      assert.match(search.stdout, /^Usage: spanlens search --backend TYPE --url URL \[options\]/);
      assert.match(search.stdout, /^ {2}--traceql QUERY /m);
    });
  });

  describe('as a program', () => {
    it('Ctrl+C during a request aborts it and exits 130 at once', async function () {
      this.timeout(60_000);
      const zipkin = track(await startFakeZipkin({ traces: recent(zipkinTraces(), now) }));
      zipkin.override(`/api/v2/trace/${ZIPKIN_MESSAGING}`, neverAnswer());
      const entry = path.join(repoRoot, 'src', 'cli', 'main.ts');
      const child = spawn(process.execPath, ['--import', 'tsx', entry, 'get', ZIPKIN_MESSAGING, '--backend', 'zipkin', '--url', zipkin.url], {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      await waitFor(() => zipkin.requests.length > 0, 45_000);
      const interruptedAt = Date.now();
      child.kill('SIGINT');
      const code = await exited;
      assert.equal(code, 130, stderr);
      assert.equal(stdout, '');
      assert.equal(stderr, 'spanlens: interrupted\n');
      assert.ok(Date.now() - interruptedAt < 5000, 'the process did not exit promptly');
    });
  });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitFor(condition: () => boolean, timeoutMillis: number): Promise<void> {
  const deadline = Date.now() + timeoutMillis;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
