// Vercel AI SDK 7 (`ai` + `@ai-sdk/openai` + `@ai-sdk/otel`).
// usage: node scenarios/vercel-ai.mjs <legacy|v7|v7-supplemental> <generate-text|embed|stream-text> [protobuf|json]
import { generateText, streamText, embed, tool, stepCountIs, registerTelemetry, jsonSchema } from 'ai';
import { createOpenAI } from '@ai-sdk/openai';
import { OpenTelemetry, LegacyOpenTelemetry } from '@ai-sdk/otel';
import {
  startTracing, FAKE_OPENAI_BASE_URL, WEATHER_TOOL_JSON_SCHEMA, getWeather, SYSTEM_PROMPT, USER_QUESTION,
  EMBED_TEXT, CHAT_MODEL, EMBEDDING_MODEL, USER_ID, AGENT_NAME,
} from '../lib/otel.mjs';

const [integration, op, encoding = 'protobuf'] = process.argv.slice(2);
const provider = startTracing({ serviceName: 'fixture-vercel-ai', encoding });

if (integration === 'legacy') registerTelemetry(new LegacyOpenTelemetry());
else if (integration === 'v7') registerTelemetry(new OpenTelemetry());
else if (integration === 'v7-supplemental') {
  registerTelemetry(new OpenTelemetry({ usage: true, providerMetadata: true, runtimeContext: true }));
} else throw new Error(`unknown integration ${integration}`);

const openai = createOpenAI({ baseURL: FAKE_OPENAI_BASE_URL(), apiKey: 'sk-fixture' });

// AI SDK 7 removed `telemetry.metadata`; per-call data now travels as `runtimeContext` filtered by
// `telemetry.includeRuntimeContext`. `metadata` is still passed here to show that it is dropped.
const telemetry = {
  isEnabled: true,
  functionId: AGENT_NAME,
  metadata: { sessionId: 'sess-vercel-1', userId: USER_ID },
  includeRuntimeContext: { sessionId: true, userId: true },
};
const runtimeContext = { sessionId: 'sess-vercel-1', userId: USER_ID, internalSecret: 'not-exported' };

const tools = {
  get_weather: tool({
    description: 'Get the current weather for a city',
    inputSchema: jsonSchema(WEATHER_TOOL_JSON_SCHEMA),
    execute: async (args) => getWeather(args),
  }),
};

if (op === 'generate-text') {
  const result = await generateText({
    model: openai.chat(CHAT_MODEL), // force Chat Completions (openai(...) would use the Responses API)
    system: SYSTEM_PROMPT,
    prompt: USER_QUESTION,
    tools,
    stopWhen: stepCountIs(3),
    runtimeContext,
    telemetry,
  });
  console.log(`vercel ${integration}: text=${JSON.stringify(result.text)} steps=${result.steps.length}`);
} else if (op === 'stream-text') {
  const result = streamText({
    model: openai.chat(CHAT_MODEL),
    system: SYSTEM_PROMPT,
    prompt: USER_QUESTION,
    tools,
    stopWhen: stepCountIs(3),
    runtimeContext,
    telemetry,
  });
  let text = '';
  for await (const delta of result.textStream) text += delta;
  console.log(`vercel ${integration}: streamed=${JSON.stringify(text)} steps=${(await result.steps).length}`);
} else if (op === 'embed') {
  const { usage } = await embed({
    model: openai.embedding(EMBEDDING_MODEL),
    value: EMBED_TEXT,
    runtimeContext,
    telemetry,
  });
  console.log(`vercel ${integration}: embed usage=${JSON.stringify(usage)}`);
} else throw new Error(`unknown op ${op}`);

await provider.forceFlush();
await provider.shutdown();
