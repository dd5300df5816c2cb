// Shared bits for scenario child processes: where the fake model and the capture server live, and a
// plain OpenTelemetry SDK pipeline for the scenarios that bring their own tracer provider.
import { NodeTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';

export function requireEnv(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set; run scenarios through "npm run capture"`);
  return v;
}

export const FAKE_OPENAI_BASE_URL = () => requireEnv('FAKE_OPENAI_BASE_URL'); // http://127.0.0.1:<port>/v1
export const OTLP_BASE = () => requireEnv('OTLP_BASE'); // http://127.0.0.1:<port>/capture/<convention>/<scenario>

/**
 * NodeTracerProvider + BatchSpanProcessor + OTLP/HTTP exporter (protobuf or JSON). The long schedule
 * delay means nothing is exported until shutdown, so one scenario gives one request body.
 */
export function startTracing({ serviceName, encoding = 'protobuf' }) {
  const url = `${OTLP_BASE()}/v1/traces`;
  const exporter = encoding === 'json' ? new JsonExporter({ url }) : new ProtoExporter({ url });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName, 'service.version': '1.0.0' }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 60_000, maxExportBatchSize: 1000 })],
  });
  provider.register();
  return provider;
}

export const WEATHER_TOOL_JSON_SCHEMA = {
  type: 'object',
  properties: { city: { type: 'string', description: 'City name' } },
  required: ['city'],
  additionalProperties: false,
};

/** The tool every scenario "executes"; deterministic. */
export function getWeather({ city }) {
  return { city, temperatureC: 18, conditions: 'sunny' };
}

export const SYSTEM_PROMPT = 'You are a research agent. Use tools when needed.';
export const USER_QUESTION = 'What is the weather in Paris?';
export const PLAIN_QUESTION = 'What is the capital of France?';
export const EMBED_TEXT = 'sunny day in Paris';
export const CHAT_MODEL = 'gpt-4o-mini';
export const EMBEDDING_MODEL = 'text-embedding-3-small';
export const SESSION_ID = (convention) => `sess-${convention}-1`;
export const USER_ID = 'user-42';
export const AGENT_NAME = 'research-agent';
