// The environment variables that point an OpenTelemetry SDK at the receiver (OTLP exporter spec:
// OTEL_EXPORTER_OTLP_ENDPOINT is the base URL, to which HTTP exporters add /v1/traces themselves).

import type { ReceiverAddresses } from './otlpReceiver';

export type OtlpProtocol = 'http/protobuf' | 'http/json' | 'grpc';

/** The variables for `protocol`, or undefined when the receiver does not listen for it. */
export function otlpEnvironment(addresses: ReceiverAddresses, protocol: OtlpProtocol = 'http/protobuf'): Record<string, string> | undefined {
  const endpoint = protocol === 'grpc' ? addresses.grpc : addresses.http;
  if (endpoint === undefined) return undefined;
  return {
    OTEL_TRACES_EXPORTER: 'otlp',
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
  };
}
