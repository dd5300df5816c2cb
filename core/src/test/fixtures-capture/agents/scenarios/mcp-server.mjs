// MCP server "weather-mcp" (@modelcontextprotocol/sdk, stdio) with one tool, get_forecast. The
// OpenInference MCP instrumentation continues the caller's trace from the request's _meta; the
// handler records its span the way the OTel MCP conventions describe (`tools/call get_forecast`,
// SERVER, mcp.method.name, gen_ai.tool.name); the server's name is its service.name.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import * as serverStdio from '@modelcontextprotocol/sdk/server/stdio.js';
import { MCPInstrumentation } from '@arizeai/openinference-instrumentation-mcp';
import { SpanKind, trace } from '@opentelemetry/api';
import { z } from 'zod';
import { startTracing } from '../lib/tracing.mjs';

const provider = startTracing('weather-mcp');
new MCPInstrumentation().manuallyInstrument({ serverStdioModule: serverStdio });
const tracer = trace.getTracer('weather-mcp', '1.0.0');

const server = new McpServer({ name: 'weather-mcp', version: '1.0.0' });
server.registerTool(
  'get_forecast',
  { description: 'Weather forecast for a city', inputSchema: { city: z.string(), days: z.number() } },
  async ({ city, days }, extra) =>
    tracer.startActiveSpan('tools/call get_forecast', {
      kind: SpanKind.SERVER,
      attributes: {
        'mcp.method.name': 'tools/call',
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': 'get_forecast',
        'jsonrpc.request.id': String(extra.requestId),
        'network.transport': 'pipe',
      },
    }, (span) => {
      const forecast = [{ day: 1, conditions: 'sunny' }, { day: 2, conditions: 'light rain' }].slice(0, days);
      span.end();
      return { content: [{ type: 'text', text: JSON.stringify({ city, forecast }) }] };
    }),
);

let closing = false;
async function close() {
  if (closing) return;
  closing = true;
  await provider.shutdown(); // one export request with the server's spans
  process.exit(0);
}
process.stdin.on('end', close);
process.on('SIGTERM', close);
await server.connect(new serverStdio.StdioServerTransport());
