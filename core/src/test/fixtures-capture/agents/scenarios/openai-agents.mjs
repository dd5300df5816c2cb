// OpenAI Agents SDK (@openai/agents) traced by @arizeai/openinference-instrumentation-openai-agents:
// a triage agent with an input guardrail hands off to a weather specialist, which calls a tool.
// Run 1 passes the guardrail; run 2 trips it (no model call). Both in session sess-agents-1.
import * as agents from '@openai/agents';
import { Agent, run, tool, setDefaultOpenAIClient, InputGuardrailTripwireTriggered } from '@openai/agents';
import OpenAI from 'openai';
import { z } from 'zod';
import { context } from '@opentelemetry/api';
import { setSession, setUser } from '@arizeai/openinference-core';
import { OpenAIAgentsInstrumentation } from '@arizeai/openinference-instrumentation-openai-agents';
import { requireEnv, startTracing } from '../lib/tracing.mjs';

const provider = startTracing('weather-desk');
new OpenAIAgentsInstrumentation({ tracerProvider: provider }).manuallyInstrument(agents);
setDefaultOpenAIClient(new OpenAI({ baseURL: requireEnv('FAKE_OPENAI_BASE_URL'), apiKey: 'sk-fixture', maxRetries: 0 }));

const getWeather = tool({
  name: 'get_weather',
  description: 'Current weather in a city',
  parameters: z.object({ city: z.string() }),
  execute: async ({ city }) => JSON.stringify({ city, temperatureC: 18, conditions: 'sunny' }),
});

const specialist = new Agent({
  name: 'weather-specialist',
  instructions: 'You answer weather questions. Use get_weather.',
  model: 'gpt-4o-mini',
  tools: [getWeather],
});

const noSecrets = {
  name: 'no-secrets',
  runInParallel: false, // decide before the model is called: a blocked request costs nothing
  execute: async ({ input }) => {
    const text = typeof input === 'string' ? input : JSON.stringify(input);
    const leaked = /password/i.test(text);
    return { tripwireTriggered: leaked, outputInfo: { leaked } };
  },
};

const triage = new Agent({
  name: 'triage',
  instructions: 'You route questions. Hand weather questions to the weather specialist.',
  model: 'gpt-4o-mini',
  handoffs: [specialist],
  inputGuardrails: [noSecrets],
});

const session = setUser(setSession(context.active(), { sessionId: 'sess-agents-1' }), { userId: 'user-42' });
await context.with(session, async () => {
  const ok = await run(triage, 'What is the weather in Paris?');
  console.log(`run 1: ${ok.finalOutput} (last agent ${ok.lastAgent?.name})`);
  try {
    await run(triage, 'My password is hunter2. What is the weather in Paris?');
    throw new Error('run 2: the guardrail did not trip');
  } catch (e) {
    if (!(e instanceof InputGuardrailTripwireTriggered)) throw e;
    console.log('run 2: blocked by the input guardrail');
  }
});
await provider.shutdown();
