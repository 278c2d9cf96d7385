import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startFakeJaeger } from '../../support/backendServers/fakeJaeger';
import { startFakeTempo } from '../../support/backendServers/fakeTempo';
import { startFakeZipkin } from '../../support/backendServers/fakeZipkin';
import { hotrodTraces, readBackendFixture } from '../../support/backendServers/fixtureData';
import type { RecordingServer } from '../../support/backendServers/recordingServer';
import { browserBridgeFromEnvironment } from './browserBridge';
import type { BrowserBridge } from './browserBridge';
import { waitFor } from './waitFor';
import { closeAllEditors, runAndAcceptFirstPick, webviewTabs } from './workbench';

const HOTROD_TRACE_ID = 'fe65c5beefbe4e96119efbba3da07e99';
const HOTROD_SPANS = 40;
const YELP_SPANS = 16;

/** A copy of OTLP TracesData moved so its first span starts `agoMillis` before now, keeping every offset. */
function otlpStartingAgo(doc: unknown, agoMillis: number): unknown {
  const copy = JSON.parse(JSON.stringify(doc)) as { resourceSpans: { scopeSpans: { spans: Record<string, unknown>[] }[] }[] };
  const spans = copy.resourceSpans.flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans));
  const first = spans.reduce((min, span) => (BigInt(String(span.startTimeUnixNano)) < min ? BigInt(String(span.startTimeUnixNano)) : min), BigInt(String(spans[0].startTimeUnixNano)));
  const shift = BigInt(Date.now() - agoMillis) * 1_000_000n - first;
  for (const span of spans) {
    for (const key of ['startTimeUnixNano', 'endTimeUnixNano']) span[key] = String(BigInt(String(span[key])) + shift);
    for (const event of (span.events ?? []) as Record<string, unknown>[]) event.timeUnixNano = String(BigInt(String(event.timeUnixNano)) + shift);
  }
  return copy;
}

/** A copy of a Zipkin v2 span list moved so it starts `agoMillis` before now. */
function zipkinStartingAgo(spans: readonly Record<string, unknown>[], agoMillis: number): unknown[] {
  const first = Math.min(...spans.filter((span) => typeof span.timestamp === 'number').map((span) => span.timestamp as number));
  const shift = (Date.now() - agoMillis) * 1000 - first;
  return spans.map((span) => ({
    ...span,
    ...(typeof span.timestamp === 'number' ? { timestamp: span.timestamp + shift } : {}),
    ...(Array.isArray(span.annotations)
      ? { annotations: (span.annotations as { timestamp: number; value: string }[]).map((note) => ({ ...note, timestamp: note.timestamp + shift })) }
      : {}),
  }));
}

async function useBackend(name: string, type: string, url: string, extra: Record<string, string> = {}): Promise<void> {
  const config = vscode.workspace.getConfiguration('spanlens');
  await config.update('backends', [{ name, type, url, ...extra }], vscode.ConfigurationTarget.Global);
  await config.update('activeBackend', name, vscode.ConfigurationTarget.Global);
}

suite('Trace lookup and search against local backends', function () {
  let bridge: BrowserBridge | undefined;
  const servers: RecordingServer[] = [];

  suiteSetup(() => {
    bridge = browserBridgeFromEnvironment();
  });

  setup(closeAllEditors);

  suiteTeardown(async () => {
    const config = vscode.workspace.getConfiguration('spanlens');
    await config.update('backends', undefined, vscode.ConfigurationTarget.Global);
    await config.update('activeBackend', undefined, vscode.ConfigurationTarget.Global);
    await Promise.all(servers.map((server) => server.close()));
  });

  /** Waits for a waterfall tab from `backendName` and, where the browser can be read, its span count. */
  async function assertWaterfall(backendName: string, spans: number): Promise<void> {
    await waitFor(`a waterfall tab from ${backendName}`, () => webviewTabs().find((tab) => tab.label.includes(backendName)), {
      describeLast: () => JSON.stringify(webviewTabs().map((tab) => tab.label)),
    });
    if (!bridge) return;
    const browser = bridge;
    const waterfall = await waitFor('#waterfall[data-span-count]', async () => (await browser.query('#waterfall[data-span-count]'))[0]);
    assert.equal(waterfall.attributes['data-span-count'], String(spans));
  }

  test('Open Trace by ID fetches from Jaeger API v3 and opens the waterfall with its spans', async () => {
    const jaeger = await startFakeJaeger({ mode: 'v2.20' });
    servers.push(jaeger);
    await useBackend('local-jaeger', 'jaeger', jaeger.url);
    await vscode.commands.executeCommand('spanlens.openTraceById', HOTROD_TRACE_ID);
    await assertWaterfall('local-jaeger', HOTROD_SPANS);
    assert.equal(jaeger.requestsTo(`/api/v3/traces/${HOTROD_TRACE_ID}`).length, 1, 'the trace was not fetched through API v3');
  });

  test('Open Trace by ID falls back to Jaeger API v1 on a server without v3', async () => {
    const jaeger = await startFakeJaeger({ mode: 'v1-only', otlpTraces: [] });
    servers.push(jaeger);
    await useBackend('legacy-jaeger', 'jaeger', jaeger.url);
    const v1 = readBackendFixture('jaeger/api_v1/testTraceNormal.json') as { traceID: string; spans: unknown[] };
    await vscode.commands.executeCommand('spanlens.openTraceById', v1.traceID);
    await assertWaterfall('legacy-jaeger', v1.spans.length);
    assert.ok(jaeger.requestsTo(`/api/traces/${v1.traceID}`).length >= 1, 'the v1 endpoint was not used');
  });

  test('Search Traces on Zipkin sends µs and ms parameters and opens the picked trace', async () => {
    const yelp = readBackendFixture('zipkin/api_v2/trace/yelp.json') as Record<string, unknown>[];
    const zipkin = await startFakeZipkin({ traces: [zipkinStartingAgo(yelp, 60_000)] });
    servers.push(zipkin);
    await useBackend('local-zipkin', 'zipkin', zipkin.url);
    await runAndAcceptFirstPick('spanlens.searchTraces', { service: 'mobile_api', minDuration: '1ms', lookback: '1h' });
    await assertWaterfall('local-zipkin', YELP_SPANS);
    const search = zipkin.requestsTo('/api/v2/traces')[0];
    assert.ok(search, 'no search request reached Zipkin');
    assert.equal(search.query.get('serviceName'), 'mobile_api');
    assert.equal(search.query.get('minDuration'), '1000', 'minDuration must be in microseconds');
    assert.equal(search.query.get('lookback'), '3600000', 'lookback must be in milliseconds');
    const lookups = zipkin.requests.filter((request) => /^\/api\/v2\/trace\/(0{16})?a03ee8fff1dcd9b9$/.test(request.path));
    assert.equal(lookups.length, 1, 'the picked trace was not fetched by its ID');
  });

  test('Search Traces on Tempo sends TraceQL with the tenant header and opens the picked trace', async () => {
    const [serial] = hotrodTraces();
    const tempo = await startFakeTempo({ traces: [otlpStartingAgo(serial, 60_000)], tenant: 'team-a' });
    servers.push(tempo);
    await useBackend('local-tempo', 'tempo', tempo.url, { tenant: 'team-a' });
    await runAndAcceptFirstPick('spanlens.searchTraces', { traceQL: '{ resource.service.name = "frontend" }', lookback: '1h' });
    await assertWaterfall('local-tempo', HOTROD_SPANS);
    const search = tempo.requestsTo('/api/search')[0];
    assert.ok(search, 'no search request reached Tempo');
    assert.equal(search.query.get('q'), '{ resource.service.name = "frontend" }');
    assert.match(search.query.get('start') ?? '', /^\d{10}$/, 'start must be Unix seconds');
    assert.equal(search.headers['x-scope-orgid'], 'team-a');
    const lookups = tempo.requests.filter((request) => request.path.endsWith(`/traces/${HOTROD_TRACE_ID}`));
    assert.ok(lookups.length >= 1, 'the picked trace was not fetched');
  });
});
