// Run as a child process: opens the store in argv[2], appends argv[3] one-span traces, waits until they are
// written, and dies without closing the store, as a crashing editor would.

import { LocalTraceStore } from '../../src/core/store/localTraceStore';
import { recordOf } from './storeRecords';

async function main(): Promise<void> {
  const [directory, count] = process.argv.slice(2);
  const store = await LocalTraceStore.open({ directory });
  for (let trace = 0; trace < Number(count); trace++) store.append(recordOf([{ trace, spans: 1 }]));
  await store.flush();
  process.kill(process.pid, 'SIGKILL');
}

void main();
