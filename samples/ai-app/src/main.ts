// Entry point: `node --import tsx samples/ai-app/src/main.ts [options]` (or `npm run sample -- [options]`).

import { createAskClient, sendQuestion } from './askClient';
import { probeEndpoint } from './endpointProbe';
import type { LoadTotals } from './load';
import { runAtRate, runBatch } from './load';
import type { Options } from './options';
import { parseOptions, USAGE, UsageError } from './options';
import type { AskServer } from './server';
import { startAskServer } from './server';
import { startTelemetry } from './telemetry';

const PROBE_TIMEOUT_MILLIS = 2000;

async function main(argv: readonly string[]): Promise<number> {
  let options: Options;
  try {
    options = parseOptions(argv, process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`ai-app: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const target = `${options.exportUrl} (${options.protocol})`;
  const unreachable = await probeEndpoint(new URL(options.exportUrl), PROBE_TIMEOUT_MILLIS);
  if (unreachable !== undefined) {
    process.stderr.write(
      `ai-app: cannot reach the OTLP endpoint ${target}: ${unreachable}.\n` +
        'Start the SpanLens receiver (from VS Code, or with `spanlens serve`), or pass --endpoint.\n',
    );
    return 1;
  }

  const telemetry = await startTelemetry(options);
  let server: AskServer;
  try {
    server = await startAskServer({ tracers: telemetry.tracers, seed: options.seed, timeScale: options.timeScale }, options.port);
  } catch (error) {
    await telemetry.shutdown();
    process.stderr.write(`ai-app: cannot serve on 127.0.0.1:${options.port}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  const client = createAskClient(telemetry.tracers.frontend, server.port);
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.stdout.write(`ai-app: serving http://127.0.0.1:${server.port}/ask, exporting to ${target}\n`);

  let totals: LoadTotals;
  try {
    const send = async (requestNumber: number): Promise<boolean> => (await sendQuestion(client, requestNumber)) < 400;
    totals =
      options.mode === 'once'
        ? await runBatch(send, options.requests ?? 0, options.concurrency, stop.signal)
        : await runAtRate(send, options.ratePerSecond, options.requests, stop.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    client.agent.destroy();
    await server.close();
    await telemetry.shutdown();
  }

  const { tally } = telemetry;
  const requests = `${totals.sent} request${totals.sent === 1 ? '' : 's'} (${totals.failed} failed)`;
  if (tally.lost > 0) {
    const reason = tally.lastError ?? 'they were dropped before export';
    process.stderr.write(`ai-app: ${requests}; only ${tally.exported} of ${tally.ended} spans reached ${target}: ${reason}\n`);
    return 1;
  }
  process.stdout.write(`ai-app: ${requests}; ${tally.exported} spans exported to ${target}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`ai-app: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
