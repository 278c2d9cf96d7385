// What ends `spanlens serve`: Ctrl+C (SIGINT) or SIGTERM from a CI runner or a process manager.

const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/**
 * Listens for the stop signals from construction until `dispose`. Signals after the first change nothing:
 * a terminal's Ctrl+C often reaches both a wrapper (npx) and this process, and the second must not cut the
 * shutdown that writes the store short.
 */
export class StopSignals {
  /** Resolves with the first signal. */
  readonly stopped: Promise<NodeJS.Signals>;
  private received: NodeJS.Signals | undefined;
  private readonly onSignal: (signal: NodeJS.Signals) => void;

  constructor() {
    let resolveStopped: (signal: NodeJS.Signals) => void = () => undefined;
    this.stopped = new Promise((resolve) => (resolveStopped = resolve));
    this.onSignal = (signal) => {
      this.received ??= signal;
      resolveStopped(signal);
    };
    for (const signal of STOP_SIGNALS) process.on(signal, this.onSignal);
  }

  /** The first signal received, if any. */
  get signal(): NodeJS.Signals | undefined {
    return this.received;
  }

  dispose(): void {
    for (const signal of STOP_SIGNALS) process.off(signal, this.onSignal);
  }
}
