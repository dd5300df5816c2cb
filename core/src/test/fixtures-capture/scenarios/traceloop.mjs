// OpenLLMetry JS (@traceloop/node-server-sdk) around the `openai` SDK.
// usage: node scenarios/traceloop.mjs <workflow-agent-tool|stream-chat>
import OpenAI from 'openai';
import * as traceloop from '@traceloop/node-server-sdk';
import { FAKE_OPENAI_BASE_URL, OTLP_BASE, getWeather, SESSION_ID, USER_ID, AGENT_NAME } from '../lib/otel.mjs';
import { toolRoundTrip, embedOnce, streamPlain } from '../lib/openai-flows.mjs';

const [op] = process.argv.slice(2);
traceloop.initialize({
  appName: 'fixture-traceloop',
  baseUrl: OTLP_BASE(), // the SDK posts protobuf to `${baseUrl}/v1/traces`
  apiKey: 'tl-fixture-key',
  disableBatch: false,
  traceloopSyncEnabled: false, // no prompt-registry polling
  silenceInitializationMessage: true,
  // An ESM `import OpenAI from 'openai'` is not seen by the require hook: instrument it explicitly.
  instrumentModules: { openAI: OpenAI },
});

const client = new OpenAI({ baseURL: FAKE_OPENAI_BASE_URL(), apiKey: 'sk-fixture' });
const association = { session_id: SESSION_ID('traceloop'), user_id: USER_ID };

if (op === 'workflow-agent-tool') {
  const text = await traceloop.withWorkflow({ name: 'weather_workflow', associationProperties: association }, () =>
    traceloop.withAgent({ name: AGENT_NAME }, async () => {
      const answer = await toolRoundTrip(client, (call, args) =>
        traceloop.withTool({ name: call.function.name }, async () => getWeather(args)));
      await embedOnce(client);
      return answer;
    }));
  console.log(`traceloop: final=${JSON.stringify(text)}`);
} else if (op === 'stream-chat') {
  const text = await traceloop.withWorkflow({ name: 'stream_workflow', associationProperties: association }, () => streamPlain(client));
  console.log(`traceloop: streamed=${JSON.stringify(text)}`);
} else throw new Error(`unknown op ${op}`);

await traceloop.forceFlush();
