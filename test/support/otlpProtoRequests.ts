// OTLP/JSON documents (hex IDs) encoded as protobuf ExportTraceServiceRequests by the protobufjs code that
// @opentelemetry/otlp-transformer generated, for tests and benchmarks that need protobuf bodies.

import generatedRoot from '@opentelemetry/otlp-transformer/build/src/generated/root';

interface RequestCodec {
  fromObject(object: unknown): object;
  encode(message: object): { finish(): Uint8Array };
}

const requestCodec = (generatedRoot as unknown as { opentelemetry: { proto: { collector: { trace: { v1: { ExportTraceServiceRequest: RequestCodec } } } } } })
  .opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

const ID_KEYS = new Set(['traceId', 'spanId', 'parentSpanId']);

/** Encodes an OTLP/JSON ExportTraceServiceRequest (text or parsed) as protobuf. */
export function otlpJsonToProtobuf(doc: string | object): Uint8Array {
  const parsed: unknown = typeof doc === 'string' ? JSON.parse(doc) : doc;
  // protobufjs reads bytes fields from base64; OTLP/JSON writes IDs as hex.
  const withBase64Ids = JSON.parse(JSON.stringify(parsed), (key, value: unknown) =>
    ID_KEYS.has(key) && typeof value === 'string' ? Buffer.from(value, 'hex').toString('base64') : value,
  ) as unknown;
  return requestCodec.encode(requestCodec.fromObject(withBase64Ids)).finish();
}
