// google.rpc.Status, the body OTLP/HTTP sends with every 4xx and 5xx. No npm package ships its schema, so the
// type is declared through protobufjs reflection with the two fields OTLP receivers fill:
// `int32 code = 1; string message = 2;` (googleapis google/rpc/status.proto; `details = 3` stays empty).

import { Field, Root, Type } from 'protobufjs/light';

/** google.rpc.Code values, the same numbers gRPC status codes use. */
export const RpcCode = {
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
} as const;

export interface RpcStatus {
  readonly code: number;
  readonly message: string;
}

const statusType = new Type('Status').add(new Field('code', 1, 'int32')).add(new Field('message', 2, 'string'));
new Root().define('google.rpc').add(statusType);

export function encodeRpcStatus(status: RpcStatus): Uint8Array {
  return statusType.encode(statusType.create({ code: status.code, message: status.message })).finish();
}

/** Reads a Status body; throws for bytes that are not one. */
export function decodeRpcStatus(bytes: Uint8Array): RpcStatus {
  const object = statusType.toObject(statusType.decode(bytes), { defaults: true }) as { code: number; message: string };
  return { code: object.code, message: object.message };
}
