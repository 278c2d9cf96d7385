// Why the receiver could not start, in a form the editor can act on (offer another port, change the bind
// address).

export type ReceiverErrorKind =
  /** Another process listens on the port; `port` says which. */
  | 'portInUse'
  /** The bind address is not one of this machine's. */
  | 'addressUnavailable'
  /** The OS does not let this process listen there (ports below 1024 on Unix). */
  | 'permissionDenied'
  | 'invalidOptions'
  | 'failed';

export type ReceiverProtocol = 'http' | 'grpc';

export class ReceiverError extends Error {
  constructor(
    readonly kind: ReceiverErrorKind,
    message: string,
    readonly protocol?: ReceiverProtocol,
    readonly port?: number,
  ) {
    super(message);
    this.name = 'ReceiverError';
  }
}

const PROTOCOL_NAMES: Readonly<Record<ReceiverProtocol, string>> = { http: 'OTLP/HTTP', grpc: 'OTLP/gRPC' };

/** The ReceiverError for a failed listen, from the OS error code (in `code` or, for gRPC, the message). */
export function listenError(error: unknown, protocol: ReceiverProtocol, host: string, port: number): ReceiverError {
  const text = error instanceof Error ? error.message : String(error);
  const code = (typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : '') || text;
  const where = `${host}:${port}`;
  const name = PROTOCOL_NAMES[protocol];
  if (code.includes('EADDRINUSE')) {
    return new ReceiverError('portInUse', `Port ${port} is already in use, so the ${name} receiver cannot listen on ${where}`, protocol, port);
  }
  if (code.includes('EADDRNOTAVAIL') || code.includes('ENOTFOUND') || code.includes('EAI_')) {
    return new ReceiverError('addressUnavailable', `The ${name} receiver cannot listen on ${where}: the address is not one of this machine's`, protocol, port);
  }
  if (code.includes('EACCES') || code.includes('EPERM')) {
    return new ReceiverError('permissionDenied', `The ${name} receiver is not allowed to listen on ${where}`, protocol, port);
  }
  return new ReceiverError('failed', `The ${name} receiver cannot listen on ${where}: ${text}`, protocol, port);
}
