// Runs long work in slices between frames so the webview never has a long task: each job is called
// with a `shouldYield` that turns true once the slice's deadline passes, and returns true when done.
// Slices are posted through a MessageChannel, which (unlike setTimeout) is not clamped to 4 ms.

/** One resumable piece of work; returns true once finished. */
export type SlicedJob = (shouldYield: () => boolean) => boolean;

const SLICE_MS = 8;
// A hidden webview produces no frames; held work starts after this long anyway.
const HOLD_FALLBACK_MS = 250;

export class CooperativeScheduler {
  private readonly jobs = new Map<string, SlicedJob>();
  private readonly channel = new MessageChannel();
  private posted = false;
  private disposed = false;
  private held = false;

  constructor() {
    this.channel.port1.onmessage = () => this.runSlice();
  }

  /** Queues `job` under `key`, replacing a pending job with the same key. */
  schedule(key: string, job: SlicedJob): void {
    if (this.disposed) return;
    this.jobs.delete(key);
    this.jobs.set(key, job);
    this.post();
  }

  cancel(key: string): void {
    this.jobs.delete(key);
  }

  /** True while a job with this key is waiting or running. */
  has(key: string): boolean {
    return this.jobs.has(key);
  }

  /** Runs no slice before the next frame has been produced, so queued work does not delay it. */
  holdUntilNextFrame(): void {
    if (this.held || this.disposed) return;
    this.held = true;
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      clearTimeout(fallback);
      this.held = false;
      if (this.jobs.size > 0) this.post();
    };
    const fallback = setTimeout(release, HOLD_FALLBACK_MS);
    // A task queued from a frame callback runs once that frame is painted.
    requestAnimationFrame(() => setTimeout(release, 0));
  }

  dispose(): void {
    this.disposed = true;
    this.jobs.clear();
    this.channel.port1.onmessage = null;
    this.channel.port1.close();
  }

  private post(): void {
    if (this.posted || this.disposed || this.held) return;
    this.posted = true;
    this.channel.port2.postMessage(0);
  }

  private runSlice(): void {
    this.posted = false;
    const deadline = performance.now() + SLICE_MS;
    const shouldYield = (): boolean => performance.now() >= deadline;
    for (const [key, job] of this.jobs) {
      if (job(shouldYield)) {
        // A job may have rescheduled itself under the same key while running; keep the new one.
        if (this.jobs.get(key) === job) this.jobs.delete(key);
      }
      if (shouldYield()) break;
    }
    if (this.jobs.size > 0) this.post();
  }
}
