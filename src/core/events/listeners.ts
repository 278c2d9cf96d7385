// A minimal event source for the core (which cannot use vscode.EventEmitter): listeners are called in the
// order they were added, and one that throws does not stop the others.

export interface Disposable {
  dispose(): void;
}

export class Listeners<T> {
  private readonly listeners = new Set<(value: T) => void>();

  constructor(private readonly onListenerError: (error: unknown) => void = () => undefined) {}

  get size(): number {
    return this.listeners.size;
  }

  add(listener: (value: T) => void): Disposable {
    // A wrapper per registration, so adding the same function twice gives two independent registrations.
    const registered = (value: T): void => listener(value);
    this.listeners.add(registered);
    return { dispose: () => this.listeners.delete(registered) };
  }

  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
