// Response bodies of OTLP/HTTP: ExportTraceServiceResponse on success, google.rpc.Status on failure, each in
// the encoding of the request (JSON when the request's encoding is unknown).

import type { PayloadEncoding } from '../otlp/decodeOtlpPayload';
import { encodeExportTraceResponse } from '../otlp/otlpProtobuf';
import { encodeRpcStatus, RpcCode } from '../otlp/rpcStatus';

export interface HttpBody {
  readonly contentType: string;
  readonly bytes: Uint8Array;
}

export const CONTENT_TYPES: Readonly<Record<PayloadEncoding, string>> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};

/** The encoding a Content-Type names, or undefined for one OTLP does not use. */
export function encodingFromContentType(header: string | undefined): PayloadEncoding | undefined {
  const mediaType = (header ?? '').split(';')[0].trim().toLowerCase();
  if (mediaType === 'application/x-protobuf' || mediaType === 'application/protobuf') return 'protobuf';
  if (mediaType === 'application/json') return 'json';
  return undefined;
}

/** `{}`, or the partial success when spans were rejected. */
export function exportResponseBody(encoding: PayloadEncoding, rejectedSpans: number, message: string | undefined): HttpBody {
  const partial = rejectedSpans > 0 ? { rejectedSpans, errorMessage: message ?? '' } : undefined;
  if (encoding === 'protobuf') {
    return { contentType: CONTENT_TYPES.protobuf, bytes: encodeExportTraceResponse(partial === undefined ? {} : { partialSuccess: partial }) };
  }
  // Proto3 JSON writes int64 as a string.
  const json = partial === undefined ? {} : { partialSuccess: { rejectedSpans: String(partial.rejectedSpans), errorMessage: partial.errorMessage } };
  return { contentType: CONTENT_TYPES.json, bytes: Buffer.from(JSON.stringify(json)) };
}

const RPC_CODES: Readonly<Record<number, number>> = {
  400: RpcCode.INVALID_ARGUMENT,
  404: RpcCode.NOT_FOUND,
  405: RpcCode.UNIMPLEMENTED,
  413: RpcCode.RESOURCE_EXHAUSTED,
  415: RpcCode.INVALID_ARGUMENT,
  429: RpcCode.RESOURCE_EXHAUSTED,
  503: RpcCode.UNAVAILABLE,
};

export function statusBody(encoding: PayloadEncoding | undefined, httpStatus: number, message: string): HttpBody {
  const code = RPC_CODES[httpStatus] ?? RpcCode.INTERNAL;
  if (encoding === 'protobuf') return { contentType: CONTENT_TYPES.protobuf, bytes: encodeRpcStatus({ code, message }) };
  return { contentType: CONTENT_TYPES.json, bytes: Buffer.from(JSON.stringify({ code, message })) };
}
