// OpenTelemetry setup: one tracer provider per simulated service (each with its own resource), all exporting
// OTLP to the same endpoint. The assistant's provider is registered globally, which installs the async context
// manager and the W3C trace-context propagator that the HTTP client and server use.

import * as path from 'node:path';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import type { SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-node';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_DEPLOYMENT_ENVIRONMENT_NAME, ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { OtlpProtocol } from './options';
import { PathPrefixSpanProcessor } from './pathPrefixProcessor';
import type { Tracers } from './requestScope';
import { SpanTally, TallyingSpanExporter, TallyingSpanProcessor } from './spanTally';

export interface Service {
  readonly name: string;
  readonly version: string;
}

export const SERVICES = {
  frontend: { name: 'chat-frontend', version: '2.3.0' },
  assistant: { name: 'ai-assistant', version: '1.4.0' },
  vectorStore: { name: 'vector-store', version: '0.9.1' },
} as const satisfies Record<keyof Tracers, Service>;

const DEPLOYMENT_ENVIRONMENT = 'development';
const SCOPE_NAME = 'spanlens-sample-ai-app';
const SCOPE_VERSION = '0.1.0';
/** The sample's root directory (samples/ai-app), which --path-prefix replaces. */
const SAMPLE_ROOT = path.resolve(__dirname, '..');

export interface TelemetryOptions {
  readonly protocol: OtlpProtocol;
  readonly exportUrl: string;
  readonly pathPrefix: string | undefined;
}

export interface Telemetry {
  readonly tracers: Tracers;
  readonly tally: SpanTally;
  /** Exports every ended span that is still buffered, then releases the exporters' connections; never rejects. */
  shutdown(): Promise<void>;
}

export async function startTelemetry(options: TelemetryOptions): Promise<Telemetry> {
  const tally = new SpanTally();
  const frontend = await createProvider(SERVICES.frontend, options, tally);
  const assistant = await createProvider(SERVICES.assistant, options, tally);
  const vectorStore = await createProvider(SERVICES.vectorStore, options, tally);
  assistant.register();
  return {
    tracers: {
      frontend: frontend.getTracer(SCOPE_NAME, SCOPE_VERSION),
      assistant: assistant.getTracer(SCOPE_NAME, SCOPE_VERSION),
      vectorStore: vectorStore.getTracer(SCOPE_NAME, SCOPE_VERSION),
    },
    tally,
    shutdown: async () => {
      const results = await Promise.allSettled([frontend, assistant, vectorStore].map((provider) => provider.shutdown()));
      // A failed final export rejects here too; the tally already counts its spans as not exported.
      for (const result of results) {
        if (result.status === 'rejected') tally.lastError ??= result.reason instanceof Error ? result.reason.message : String(result.reason);
      }
    },
  };
}

async function createProvider(service: Service, options: TelemetryOptions, tally: SpanTally): Promise<NodeTracerProvider> {
  const exporter = await createExporter(options.protocol, options.exportUrl);
  const processors: SpanProcessor[] = [];
  if (options.pathPrefix !== undefined) processors.push(new PathPrefixSpanProcessor(SAMPLE_ROOT, options.pathPrefix));
  processors.push(
    new TallyingSpanProcessor(tally),
    // A short delay keeps --loop traces arriving live; a large queue keeps bursts from being dropped.
    new BatchSpanProcessor(new TallyingSpanExporter(exporter, tally), { scheduledDelayMillis: 500, maxQueueSize: 16384, maxExportBatchSize: 512 }),
  );
  const resource = defaultResource().merge(
    resourceFromAttributes({
      [ATTR_SERVICE_NAME]: service.name,
      [ATTR_SERVICE_VERSION]: service.version,
      [ATTR_DEPLOYMENT_ENVIRONMENT_NAME]: DEPLOYMENT_ENVIRONMENT,
    }),
  );
  return new NodeTracerProvider({ resource, spanProcessors: processors });
}

// Each exporter package is loaded only when its protocol is chosen; gRPC's is the heaviest.
async function createExporter(protocol: OtlpProtocol, url: string): Promise<SpanExporter> {
  switch (protocol) {
    case 'http/protobuf': {
      const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-proto');
      return new OTLPTraceExporter({ url });
    }
    case 'http/json': {
      const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
      return new OTLPTraceExporter({ url });
    }
    case 'grpc': {
      const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-grpc');
      return new OTLPTraceExporter({ url });
    }
  }
}
