// How requests are sent: a fixed batch with bounded concurrency (--once), or a steady rate (--loop). Both stop
// early when `stop` aborts and always wait for the requests already in flight.

/** Sends request `requestNumber`; resolves to whether it succeeded. */
export type SendRequest = (requestNumber: number) => Promise<boolean>;

export interface LoadTotals {
  sent: number;
  failed: number;
}

/** With --loop, at most this many requests wait at once; beyond it the rate gives way. */
const MAX_IN_FLIGHT = 64;

export async function runBatch(send: SendRequest, requests: number, concurrency: number, stop: AbortSignal): Promise<LoadTotals> {
  const totals: LoadTotals = { sent: 0, failed: 0 };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < requests && !stop.aborted) {
      await sendCounted(send, next++, totals);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, requests) }, worker));
  return totals;
}

export async function runAtRate(send: SendRequest, ratePerSecond: number, requests: number | undefined, stop: AbortSignal): Promise<LoadTotals> {
  const totals: LoadTotals = { sent: 0, failed: 0 };
  const inFlight = new Set<Promise<void>>();
  const intervalMillis = 1000 / ratePerSecond;
  let due = performance.now();
  for (let requestNumber = 0; (requests === undefined || requestNumber < requests) && !stop.aborted; requestNumber++) {
    const sending = sendCounted(send, requestNumber, totals).finally(() => inFlight.delete(sending));
    inFlight.add(sending);
    due += intervalMillis;
    await sleepUntil(due, stop);
    while (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  return totals;
}

async function sendCounted(send: SendRequest, requestNumber: number, totals: LoadTotals): Promise<void> {
  totals.sent++;
  let succeeded = false;
  try {
    succeeded = await send(requestNumber);
  } catch {
    // The request's span already carries the error.
  }
  if (!succeeded) totals.failed++;
}

function sleepUntil(deadline: number, stop: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (stop.aborted) {
      resolve();
      return;
    }
    const onStop = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      stop.removeEventListener('abort', onStop);
      resolve();
    }, Math.max(0, deadline - performance.now()));
    stop.addEventListener('abort', onStop, { once: true });
  });
}
