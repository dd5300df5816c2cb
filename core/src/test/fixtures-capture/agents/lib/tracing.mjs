// One OpenTelemetry pipeline per process: NodeTracerProvider + BatchSpanProcessor + OTLP/HTTP
// protobuf exporter to $OTLP_BASE/v1/traces (the capture server, or a running AgentLedger with
// $OTLP_AUTHORIZATION as the Authorization header). Nothing is exported before shutdown, so one
// process gives one request body.
import { NodeTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';

export function requireEnv(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set; run scenarios through "node agents/capture.mjs"`);
  return v;
}

export function startTracing(serviceName) {
  const headers = process.env.OTLP_AUTHORIZATION ? { Authorization: process.env.OTLP_AUTHORIZATION } : {};
  const exporter = new OTLPTraceExporter({ url: `${requireEnv('OTLP_BASE')}/v1/traces`, headers });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName, 'service.version': '1.0.0' }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 60_000, maxExportBatchSize: 1000, maxQueueSize: 4096 })],
  });
  provider.register();
  return provider;
}
