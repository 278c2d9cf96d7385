// A receiver on free ports in front of a store, with the OTLP worker run from source.

import { join } from 'node:path';
import { OtlpWorkerClient } from '../../src/core/otlpWorker/otlpWorkerClient';
import type { OtlpWorkerOptions } from '../../src/core/otlpWorker/otlpWorkerClient';
import { OtlpReceiver } from '../../src/core/receiver/otlpReceiver';
import type { OtlpReceiverOptions, ReceiverAddresses } from '../../src/core/receiver/otlpReceiver';
import { LocalTraceStore } from '../../src/core/store/localTraceStore';
import type { LocalTraceStoreOptions } from '../../src/core/store/localTraceStore';

/** Loads the worker's TypeScript through tsx (see otlpWorkerEntry.mjs). */
export const TEST_WORKER_PATH = join(__dirname, 'otlpWorkerEntry.mjs');

export interface ReceiverHarness {
  readonly worker: OtlpWorkerClient;
  readonly store: LocalTraceStore;
  readonly receiver: OtlpReceiver;
  readonly addresses: ReceiverAddresses;
  close(): Promise<void>;
}

export async function startReceiverHarness(
  options: {
    readonly store?: LocalTraceStoreOptions;
    readonly receiver?: Partial<Omit<OtlpReceiverOptions, 'sink' | 'processor'>>;
    readonly worker?: OtlpWorkerOptions;
  } = {},
): Promise<ReceiverHarness> {
  const worker = new OtlpWorkerClient({ workerPath: TEST_WORKER_PATH, ...options.worker });
  const store = await LocalTraceStore.open({ decoder: worker, ...options.store });
  const receiver = new OtlpReceiver({ sink: store, processor: worker, httpPort: 0, grpcPort: 0, ...options.receiver });
  const addresses = await receiver.start();
  return {
    worker,
    store,
    receiver,
    addresses,
    async close(): Promise<void> {
      await receiver.stop();
      await store.close();
      await worker.close();
    },
  };
}
