// Failures of the local trace store that callers act on.

export type StoreErrorKind =
  /** Another process writes to the store directory. */
  | 'locked'
  /** The directory cannot be created, read or written. */
  | 'io'
  /** The options cannot work (e.g. a cap that is not a positive number). */
  | 'invalidOptions'
  /** A change to a store opened read-only. */
  | 'readOnly'
  /** The store was closed. */
  | 'closed';

export class StoreError extends Error {
  constructor(
    readonly kind: StoreErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}
