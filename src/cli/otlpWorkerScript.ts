// Which script `spanlens serve` runs its OTLP worker thread from.

import { existsSync } from 'node:fs';
import { defaultWorkerPath } from '../core/otlpWorker/otlpWorkerClient';
import { CliFailure } from './cliCommand';
import type { Environment } from './backendOptions';

/** Overrides the worker script, for running the CLI from its TypeScript source where no bundle exists. */
export const WORKER_SCRIPT_VARIABLE = 'SPANLENS_OTLP_WORKER';

/** dist/otlpWorker.js beside dist/cli.js, unless SPANLENS_OTLP_WORKER names another; checked before listening. */
export function otlpWorkerScript(env: Environment): string {
  const override = env[WORKER_SCRIPT_VARIABLE]?.trim();
  const script = override === undefined || override === '' ? defaultWorkerPath() : override;
  if (!existsSync(script)) {
    throw new CliFailure(
      override === undefined || override === ''
        ? `the OTLP worker ${script} is missing; build it with 'npm run build', or set ${WORKER_SCRIPT_VARIABLE} to a worker script`
        : `${WORKER_SCRIPT_VARIABLE} names ${script}, which does not exist`,
    );
  }
  return script;
}
