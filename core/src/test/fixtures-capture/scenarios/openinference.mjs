// OpenInference (@arizeai/openinference-instrumentation-openai) around the `openai` SDK.
// usage: node scenarios/openinference.mjs <agent-tool-roundtrip|stream-chat>
import { createRequire } from 'node:module';
import { context, trace } from '@opentelemetry/api';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { OpenAIInstrumentation } from '@arizeai/openinference-instrumentation-openai';
import { setSession, setUser, traceTool } from '@arizeai/openinference-core';
import { startTracing, FAKE_OPENAI_BASE_URL, getWeather, SESSION_ID, USER_ID, AGENT_NAME } from '../lib/otel.mjs';
import { toolRoundTrip, embedOnce, streamPlain, OPENAI_TOOLS } from '../lib/openai-flows.mjs';

const [op] = process.argv.slice(2);
const provider = startTracing({ serviceName: 'fixture-openinference' });
registerInstrumentations({ instrumentations: [new OpenAIInstrumentation()] });
// Loaded through require after registration so the auto-instrumentation (require hook) patches it,
// as in a CommonJS app.
const { OpenAI } = createRequire(import.meta.url)('openai');
const client = new OpenAI({ baseURL: FAKE_OPENAI_BASE_URL(), apiKey: 'sk-fixture' });

const tracer = trace.getTracer('fixture-agent', '1.0.0');
const ctx = setUser(setSession(context.active(), { sessionId: SESSION_ID('openinference') }), { userId: USER_ID });

await context.with(ctx, async () => {
  if (op === 'agent-tool-roundtrip') {
    await tracer.startActiveSpan(AGENT_NAME, {
      attributes: { 'openinference.span.kind': 'AGENT', 'agent.name': AGENT_NAME, 'input.value': 'What is the weather in Paris?' },
    }, async (agentSpan) => {
      const text = await toolRoundTrip(client, async (call, args) => {
        const tool = traceTool(async (a) => getWeather(a), {
          name: call.function.name,
          attributes: {
            'tool.name': call.function.name,
            'tool.id': call.id,
            'tool.parameters': JSON.stringify(OPENAI_TOOLS[0].function.parameters),
          },
        });
        return tool(args);
      });
      const dims = await embedOnce(client);
      agentSpan.setAttribute('output.value', text);
      agentSpan.end();
      console.log(`openinference: final=${JSON.stringify(text)} embeddingDims=${dims}`);
    });
  } else if (op === 'stream-chat') {
    const text = await streamPlain(client);
    console.log(`openinference: streamed=${JSON.stringify(text)}`);
  } else throw new Error(`unknown op ${op}`);
});

await provider.forceFlush();
await provider.shutdown();
