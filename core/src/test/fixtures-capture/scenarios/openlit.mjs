// OpenLIT JS SDK (`openlit`) around the `openai` SDK. OpenLIT exports OTLP/HTTP JSON only.
// usage: node scenarios/openlit.mjs <chat-tools-embed|stream-chat|chat-unpriced>
// chat-unpriced: the tool round trip (priced) and one chat with a model OpenLIT has no price for (it
// reports cost 0), with OpenLIT's GenAI events (gen_ai.client.inference.operation.details) exported.
import { createRequire } from 'node:module';
import openlitModule from 'openlit';
import { FAKE_OPENAI_BASE_URL, OTLP_BASE, getWeather, CHAT_MODEL, EMBEDDING_MODEL } from '../lib/otel.mjs';
import { RESPONSE_MODEL, UNPRICED_MODEL } from '../lib/fake-openai.mjs';
import { toolRoundTrip, embedOnce, streamPlain } from '../lib/openai-flows.mjs';

// The package's default export is the Openlit class (CommonJS `exports.default`); ESM interop may wrap it.
const Openlit = openlitModule.init ? openlitModule : openlitModule.default;
const [op] = process.argv.slice(2);

// Local price table so no pricing.json is fetched from GitHub (the default); USD per 1K tokens.
const chatPrice = { promptPrice: 0.00015, completionPrice: 0.0006, cacheReadPrice: 0.000075 };
Openlit.init({
  applicationName: 'fixture-openlit',
  environment: 'fixture',
  otlpEndpoint: OTLP_BASE(), // the SDK appends /v1/traces (and /v1/logs for events)
  disableMetrics: true,
  disableBatch: false,
  pricingJson: { chat: { [CHAT_MODEL]: chatPrice, [RESPONSE_MODEL]: chatPrice }, embeddings: { [EMBEDDING_MODEL]: 0.00002 } },
});

// Required after init so OpenLIT's require hook patches it, as in a CommonJS app.
const { OpenAI } = createRequire(import.meta.url)('openai');
const client = new OpenAI({ baseURL: FAKE_OPENAI_BASE_URL(), apiKey: 'sk-fixture' });
// OpenLIT loads the price table asynchronously.
await new Promise((r) => setTimeout(r, 200));

if (op === 'chat-tools-embed') {
  const text = await toolRoundTrip(client, async (call, args) => getWeather(args));
  const dims = await embedOnce(client);
  console.log(`openlit: final=${JSON.stringify(text)} embeddingDims=${dims}`);
} else if (op === 'stream-chat') {
  console.log(`openlit: streamed=${JSON.stringify(await streamPlain(client))}`);
} else if (op === 'chat-unpriced') {
  const text = await toolRoundTrip(client, async (call, args) => getWeather(args));
  const res = await client.chat.completions.create({ model: UNPRICED_MODEL, messages: [{ role: 'user', content: 'Hello?' }] });
  console.log(`openlit: final=${JSON.stringify(text)} unpriced=${res.model}`);
} else throw new Error(`unknown op ${op}`);

const { trace } = await import('@opentelemetry/api');
const provider = trace.getTracerProvider();
await (provider.getDelegate?.() ?? provider).forceFlush?.();
await (provider.getDelegate?.() ?? provider).shutdown?.();
if (op === 'chat-unpriced') {
  const { logs } = await import('@opentelemetry/api-logs');
  const loggerProvider = logs.getLoggerProvider();
  await (loggerProvider.getDelegate?.() ?? loggerProvider).forceFlush?.();
  await (loggerProvider.getDelegate?.() ?? loggerProvider).shutdown?.();
}
