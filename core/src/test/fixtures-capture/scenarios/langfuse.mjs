// Langfuse JS SDK v4+ (`@langfuse/otel` LangfuseSpanProcessor + `@langfuse/tracing` observations).
// The processor exports OTLP/HTTP JSON to `${baseUrl}/api/public/otel/v1/traces` with Basic auth.
// usage: node scenarios/langfuse.mjs agent-generation-tool
import OpenAI from 'openai';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LangfuseSpanProcessor } from '@langfuse/otel';
import { startActiveObservation, propagateAttributes } from '@langfuse/tracing';
import { FAKE_OPENAI_BASE_URL, OTLP_BASE, getWeather, SESSION_ID, USER_ID, AGENT_NAME, CHAT_MODEL,
  SYSTEM_PROMPT, USER_QUESTION } from '../lib/otel.mjs';
import { OPENAI_TOOLS } from '../lib/openai-flows.mjs';

const [op] = process.argv.slice(2);
if (op !== 'agent-generation-tool') throw new Error(`unknown op ${op}`);

const processor = new LangfuseSpanProcessor({
  publicKey: 'pk-lf-fixture', secretKey: 'sk-lf-fixture', baseUrl: OTLP_BASE(),
  environment: 'fixture', release: '1.0.0', flushAt: 1000, flushInterval: 60,
});
const provider = new NodeTracerProvider({
  resource: resourceFromAttributes({ 'service.name': 'fixture-langfuse' }),
  spanProcessors: [processor],
});
provider.register();

// The model calls themselves are NOT instrumented; the app reports them as generations, the way
// @langfuse/openai does: usage converted with the same rule as its parseUsageDetails() (5.11.1),
// i.e. `input`/`output` exclude the detail buckets, and a client-side cost.
function langfuseUsage(u) {
  const inputDetails = Object.fromEntries(Object.entries(u.prompt_tokens_details ?? {}).map(([k, v]) => [`input_${k}`, v]));
  const outputDetails = Object.fromEntries(Object.entries(u.completion_tokens_details ?? {}).map(([k, v]) => [`output_${k}`, v]));
  const minus = (total, details) => Object.values(details).reduce((acc, v) => Math.max(acc - v, 0), total);
  return { input: minus(u.prompt_tokens, inputDetails), output: minus(u.completion_tokens, outputDetails),
    total: u.total_tokens, ...inputDetails, ...outputDetails };
}
// gpt-4o-mini list prices, USD per token; reasoning tokens are billed as output.
const PRICE = { input: 0.15e-6, cached: 0.075e-6, output: 0.6e-6 };
const round = (x) => Number(x.toFixed(9));
function langfuseCost(d) {
  const cost = { input: round(d.input * PRICE.input), input_cached_tokens: round(d.input_cached_tokens * PRICE.cached),
    output: round(d.output * PRICE.output), output_reasoning_tokens: round(d.output_reasoning_tokens * PRICE.output) };
  return { ...cost, total: round(Object.values(cost).reduce((a, b) => a + b, 0)) };
}

const client = new OpenAI({ baseURL: FAKE_OPENAI_BASE_URL(), apiKey: 'sk-fixture' });

async function generation(parent, messages) {
  const gen = parent.startObservation(`chat ${CHAT_MODEL}`, {
    model: CHAT_MODEL, input: messages, modelParameters: { tool_choice: 'auto' },
  }, { asType: 'generation' });
  const res = await client.chat.completions.create({ model: CHAT_MODEL, messages, tools: OPENAI_TOOLS });
  const usageDetails = langfuseUsage(res.usage);
  gen.update({ model: res.model, output: res.choices[0].message, usageDetails, costDetails: langfuseCost(usageDetails) }).end();
  return res.choices[0].message;
}

await propagateAttributes({ sessionId: SESSION_ID('langfuse'), userId: USER_ID, traceName: 'weather-question' }, () =>
  startActiveObservation(AGENT_NAME, async (agent) => {
    agent.update({ input: USER_QUESTION });
    const messages = [{ role: 'system', content: SYSTEM_PROMPT }, { role: 'user', content: USER_QUESTION }];
    const first = await generation(agent, messages);
    messages.push(first);
    for (const call of first.tool_calls ?? []) {
      const args = JSON.parse(call.function.arguments);
      const tool = agent.startObservation(call.function.name, { input: args, metadata: { tool_call_id: call.id } }, { asType: 'tool' });
      const result = getWeather(args);
      tool.update({ output: result }).end();
      messages.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify(result) });
    }
    const final = await generation(agent, messages);
    agent.update({ output: final.content });
    console.log(`langfuse: final=${JSON.stringify(final.content)}`);
  }, { asType: 'agent' }));

await provider.forceFlush();
await provider.shutdown();
