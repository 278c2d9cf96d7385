// Every backend failure is one of these, with a message a user can act on and never a secret in it.

export type BackendErrorKind =
  /** Connection refused, host not found, network down. */
  | 'unreachable'
  | 'tls'
  | 'timeout'
  /** 401 / 403. */
  | 'unauthorized'
  /** The trace (or other named resource) does not exist. */
  | 'notFound'
  /** The endpoint does not exist: wrong URL, base path or server version. */
  | 'endpointNotFound'
  | 'rateLimited'
  /** 5xx. */
  | 'server'
  /** The server rejected the request (400, 422, other 4xx). */
  | 'badRequest'
  /** The response could not be read (bad JSON, unexpected shape, bad compression). */
  | 'malformed'
  | 'tooLarge'
  | 'cancelled'
  | 'proxy'
  /** The backend has no such feature. */
  | 'unsupported'
  /** The input was rejected before anything was sent. */
  | 'invalidInput';

export class BackendError extends Error {
  constructor(
    readonly kind: BackendErrorKind,
    message: string,
    /** The HTTP status, when the server answered. */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'BackendError';
  }
}

export function isBackendError(error: unknown, kind?: BackendErrorKind): error is BackendError {
  return error instanceof BackendError && (kind === undefined || error.kind === kind);
}

/** True for errors that mean the user cancelled, so callers can stay silent. */
export function isCancellation(error: unknown): boolean {
  return isBackendError(error, 'cancelled');
}
