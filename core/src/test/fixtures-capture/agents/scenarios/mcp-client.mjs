// An OpenAI Agents SDK agent ("forecaster") using the MCP server "weather-mcp" over stdio, traced by
// @arizeai/openinference-instrumentation-openai-agents; the OpenInference MCP instrumentation carries
// the trace context to the server, which exports its own spans (scenarios/mcp-server.mjs). The run
// happens inside the application's own span, as in a request handler: the agents instrumentation
// does not make its spans current, so the MCP request carries the application span's context.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as agents from '@openai/agents';
import { Agent, MCPServerStdio, run, setDefaultOpenAIClient } from '@openai/agents';
// The Agents SDK speaks MCP through the split v2 client package (@modelcontextprotocol/client), not
// @modelcontextprotocol/sdk: its stdio transport is the one to instrument.
import * as clientStdio from '@modelcontextprotocol/client/stdio';
import OpenAI from 'openai';
import { context, trace } from '@opentelemetry/api';
import { setSession } from '@arizeai/openinference-core';
import { OpenAIAgentsInstrumentation } from '@arizeai/openinference-instrumentation-openai-agents';
import { MCPInstrumentation } from '@arizeai/openinference-instrumentation-mcp';
import { requireEnv, startTracing } from '../lib/tracing.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const provider = startTracing('forecast-app');
new OpenAIAgentsInstrumentation({ tracerProvider: provider }).manuallyInstrument(agents);
new MCPInstrumentation().manuallyInstrument({ clientStdioModule: clientStdio });
setDefaultOpenAIClient(new OpenAI({ baseURL: requireEnv('FAKE_OPENAI_BASE_URL'), apiKey: 'sk-fixture', maxRetries: 0 }));

const mcp = new MCPServerStdio({
  name: 'weather-mcp',
  command: process.execPath,
  args: [path.join(HERE, 'mcp-server.mjs')],
  env: { ...process.env },
  cacheToolsList: true,
});
await mcp.connect();
const forecaster = new Agent({
  name: 'forecaster',
  instructions: 'You give weather forecasts. Use get_forecast.',
  model: 'gpt-4o-mini',
  mcpServers: [mcp],
});

const tracer = trace.getTracer('forecast-app', '1.0.0');
await context.with(setSession(context.active(), { sessionId: 'sess-mcp-1' }), () =>
  tracer.startActiveSpan('forecast-request', async (span) => {
    const result = await run(forecaster, 'Forecast for Paris, two days?');
    console.log(`mcp run: ${result.finalOutput}`);
    span.end();
  }));
await mcp.close();
await provider.shutdown();
