// The same OpenAI SDK call sequence for every OpenAI-instrumentation scenario. `runTool` lets each
// scenario wrap the tool execution in its own convention's tool span.
import {
  WEATHER_TOOL_JSON_SCHEMA, getWeather, SYSTEM_PROMPT, USER_QUESTION, PLAIN_QUESTION, EMBED_TEXT, CHAT_MODEL, EMBEDDING_MODEL,
} from './otel.mjs';

export const OPENAI_TOOLS = [{
  type: 'function',
  function: { name: 'get_weather', description: 'Get the current weather for a city', parameters: WEATHER_TOOL_JSON_SCHEMA },
}];

/** chat (-> tool call) ; runTool ; chat (-> final text). Returns the final text. */
export async function toolRoundTrip(client, runTool = async (call, args) => getWeather(args)) {
  const messages = [{ role: 'system', content: SYSTEM_PROMPT }, { role: 'user', content: USER_QUESTION }];
  const first = await client.chat.completions.create({ model: CHAT_MODEL, messages, tools: OPENAI_TOOLS });
  const assistant = first.choices[0].message;
  messages.push(assistant);
  for (const call of assistant.tool_calls ?? []) {
    const result = await runTool(call, JSON.parse(call.function.arguments));
    messages.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify(result) });
  }
  const second = await client.chat.completions.create({ model: CHAT_MODEL, messages, tools: OPENAI_TOOLS });
  return second.choices[0].message.content;
}

export async function embedOnce(client) {
  const res = await client.embeddings.create({ model: EMBEDDING_MODEL, input: EMBED_TEXT });
  return res.data[0].embedding.length;
}

/** Streaming chat without tools, with stream_options.include_usage. Returns the streamed text. */
export async function streamPlain(client) {
  const stream = await client.chat.completions.create({
    model: CHAT_MODEL, stream: true, stream_options: { include_usage: true },
    messages: [{ role: 'user', content: PLAIN_QUESTION }],
  });
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
  return text;
}
