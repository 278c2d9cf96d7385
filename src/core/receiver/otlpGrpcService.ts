// OTLP/gRPC: the unary TraceService/Export method. grpc-js frames, decompresses and size-checks messages;
// the body is handed over undecoded (serializers are identity functions) so decoding happens on the worker.

import * as grpc from '@grpc/grpc-js';
import { encodeExportTraceResponse, TRACE_EXPORT_METHOD_PATH } from '../otlp/otlpProtobuf';
import type { ExportContext, ExportOutcome } from './exportTraces';
import { exportTraces } from './exportTraces';

export interface GrpcServiceOptions extends ExportContext {
  readonly onExport: (outcome: ExportOutcome) => void;
  readonly onError: (error: unknown) => void;
}

const TRACE_SERVICE: grpc.ServiceDefinition = {
  Export: {
    path: TRACE_EXPORT_METHOD_PATH,
    requestStream: false,
    responseStream: false,
    requestSerialize: (value: Buffer): Buffer => value,
    requestDeserialize: (bytes: Buffer): Buffer => bytes,
    responseSerialize: (value: Uint8Array): Buffer => Buffer.from(value.buffer, value.byteOffset, value.byteLength),
    responseDeserialize: (bytes: Buffer): Buffer => bytes,
    originalName: 'export',
  },
};

// OTLP clients retry UNAVAILABLE; RESOURCE_EXHAUSTED only with RetryInfo, so it is kept for "too large".
const STATUS_CODES = {
  malformed: grpc.status.INVALID_ARGUMENT,
  tooLarge: grpc.status.RESOURCE_EXHAUSTED,
  busy: grpc.status.UNAVAILABLE,
  unavailable: grpc.status.UNAVAILABLE,
} as const;

/** A grpc-js server with the OTLP trace service; `maxDecompressedBytes` caps each message. */
export function createOtlpGrpcServer(options: GrpcServiceOptions): grpc.Server {
  const server = new grpc.Server({
    'grpc.max_receive_message_length': options.maxDecompressedBytes,
  });
  const exportHandler: grpc.handleUnaryCall<Buffer, Uint8Array> = (call, callback) => {
    exportTraces(call.request, { encoding: 'protobuf', compression: 'none' }, options).then(
      (outcome) => {
        options.onExport(outcome);
        if (outcome.kind === 'ok') {
          const partial = outcome.rejectedSpans > 0 ? { partialSuccess: { rejectedSpans: outcome.rejectedSpans, errorMessage: outcome.message ?? '' } } : {};
          callback(null, encodeExportTraceResponse(partial));
        } else {
          callback({ code: STATUS_CODES[outcome.kind], details: outcome.message });
        }
      },
      (error: unknown) => {
        options.onError(error);
        callback({ code: grpc.status.INTERNAL, details: 'The receiver failed to handle the request' });
      },
    );
  };
  server.addService(TRACE_SERVICE, { Export: exportHandler });
  return server;
}
