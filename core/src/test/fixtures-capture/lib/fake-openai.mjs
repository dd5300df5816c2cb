// Deterministic fake of the OpenAI HTTP API (chat completions, streaming, embeddings, responses).
// Loopback only. The usage numbers are the facts the Java fixture tests assert; see README.md.
import http from 'node:http';

export const RESPONSE_MODEL = 'gpt-4o-mini-2024-07-18';
export const EMBEDDING_RESPONSE_MODEL = 'text-embedding-3-small';
// A model no price table knows (neither OpenLIT's nor AgentLedger's): answered under its own name.
export const UNPRICED_MODEL = 'acme-chat-1';
export const CREATED = 1767225600; // 2026-01-01T00:00:00Z
export const WEATHER_ARGS = '{"city":"Paris"}';
export const WEATHER_ANSWER = 'It is 18°C and sunny in Paris.';
export const PLAIN_ANSWER = 'Paris is the capital of France.';

// One profile per kind of answer, so every model call in a trace is distinguishable by its usage.
export const PROFILES = {
  'tool-call': {
    id: 'chatcmpl-fixture-tool-call', toolCallId: 'call_weather_0001',
    usage: { prompt: 1200, completion: 300, cached: 1000, reasoning: 100 },
  },
  final: {
    id: 'chatcmpl-fixture-final', text: WEATHER_ANSWER,
    usage: { prompt: 1500, completion: 120, cached: 1280, reasoning: 40 },
  },
  plain: {
    id: 'chatcmpl-fixture-plain', text: PLAIN_ANSWER,
    usage: { prompt: 800, completion: 60, cached: 512, reasoning: 0 },
  },
  'stream-tool-call': {
    id: 'chatcmpl-fixture-stream-tool-call', toolCallId: 'call_weather_stream_0001',
    usage: { prompt: 2200, completion: 350, cached: 2048, reasoning: 64 },
  },
  'stream-final': {
    id: 'chatcmpl-fixture-stream-final', text: WEATHER_ANSWER,
    usage: { prompt: 2600, completion: 90, cached: 2304, reasoning: 30 },
  },
  'stream-plain': {
    id: 'chatcmpl-fixture-stream-plain', text: PLAIN_ANSWER,
    usage: { prompt: 900, completion: 70, cached: 768, reasoning: 16 },
  },
};
export const EMBEDDING_TOKENS_PER_INPUT = 42;
export const EMBEDDING_DIMENSIONS = 8;

/** Picks the answer from the request alone, so the same conversation always gets the same answer. */
export function chooseProfile(body) {
  const messages = body.messages ?? [];
  const last = messages[messages.length - 1];
  const hasTools = Array.isArray(body.tools) && body.tools.length > 0;
  const prefix = body.stream ? 'stream-' : '';
  if (last && (last.role === 'tool' || last.role === 'function')) return prefix + 'final';
  if (hasTools) return prefix + 'tool-call';
  return prefix + 'plain';
}

function openAiUsage(u) {
  return {
    prompt_tokens: u.prompt,
    completion_tokens: u.completion,
    total_tokens: u.prompt + u.completion,
    prompt_tokens_details: { cached_tokens: u.cached, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: u.reasoning, audio_tokens: 0,
      accepted_prediction_tokens: 0, rejected_prediction_tokens: 0,
    },
  };
}

function toolCall(profile) {
  return { id: profile.toolCallId, type: 'function', function: { name: 'get_weather', arguments: WEATHER_ARGS } };
}

function chatCompletion(profileName, requestModel) {
  const p = PROFILES[profileName];
  const message = p.toolCallId
    ? { role: 'assistant', content: null, tool_calls: [toolCall(p)], refusal: null, annotations: [] }
    : { role: 'assistant', content: p.text, refusal: null, annotations: [] };
  return {
    id: p.id, object: 'chat.completion', created: CREATED,
    model: requestModel === UNPRICED_MODEL ? UNPRICED_MODEL : RESPONSE_MODEL,
    choices: [{ index: 0, message, logprobs: null, finish_reason: p.toolCallId ? 'tool_calls' : 'stop' }],
    usage: openAiUsage(p.usage), service_tier: 'default', system_fingerprint: 'fp_fixture',
  };
}

function chatChunks(profileName, includeUsage) {
  const p = PROFILES[profileName];
  const base = { id: p.id, object: 'chat.completion.chunk', created: CREATED, model: RESPONSE_MODEL,
    service_tier: 'default', system_fingerprint: 'fp_fixture' };
  const chunk = (delta, finish = null) => ({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });
  const chunks = [];
  if (p.toolCallId) {
    chunks.push(chunk({ role: 'assistant', content: null, tool_calls: [
      { index: 0, id: p.toolCallId, type: 'function', function: { name: 'get_weather', arguments: '' } }] }));
    chunks.push(chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }));
    chunks.push(chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }));
    chunks.push(chunk({}, 'tool_calls'));
  } else {
    chunks.push(chunk({ role: 'assistant', content: '', refusal: null }));
    for (const word of p.text.split(/(?<= )/)) chunks.push(chunk({ content: word }));
    chunks.push(chunk({}, 'stop'));
  }
  if (includeUsage) {
    for (const c of chunks) c.usage = null;
    chunks.push({ ...base, choices: [], usage: openAiUsage(p.usage) });
  }
  return chunks;
}

function embeddingVector(i) {
  return Array.from({ length: EMBEDDING_DIMENSIONS }, (_, d) => Math.round(((i + 1) * (d + 1) % 7) / 7 * 1000) / 1000);
}

function embeddings(body) {
  const inputs = Array.isArray(body.input) ? body.input : [body.input];
  const base64 = body.encoding_format === 'base64';
  return {
    object: 'list',
    data: inputs.map((_, i) => {
      const v = embeddingVector(i);
      return { object: 'embedding', index: i,
        embedding: base64 ? Buffer.from(new Float32Array(v).buffer).toString('base64') : v };
    }),
    model: EMBEDDING_RESPONSE_MODEL,
    usage: { prompt_tokens: EMBEDDING_TOKENS_PER_INPUT * inputs.length, total_tokens: EMBEDDING_TOKENS_PER_INPUT * inputs.length },
  };
}

// Minimal Responses API, in case an SDK defaults to it; the scenarios force Chat Completions.
function responsesApi(body) {
  const input = Array.isArray(body.input) ? body.input : [{ role: 'user', content: body.input }];
  const last = input[input.length - 1];
  const hasTools = Array.isArray(body.tools) && body.tools.length > 0;
  const name = last?.type === 'function_call_output' ? 'final' : hasTools ? 'tool-call' : 'plain';
  const p = PROFILES[name];
  const output = p.toolCallId
    ? [{ type: 'function_call', id: 'fc_fixture_0001', call_id: p.toolCallId, name: 'get_weather', arguments: WEATHER_ARGS, status: 'completed' }]
    : [{ type: 'message', id: 'msg_fixture_0001', role: 'assistant', status: 'completed',
        content: [{ type: 'output_text', text: p.text, annotations: [] }] }];
  return {
    id: p.id.replace('chatcmpl', 'resp'), object: 'response', created_at: CREATED, status: 'completed',
    model: RESPONSE_MODEL, output, incomplete_details: null,
    usage: { input_tokens: p.usage.prompt, output_tokens: p.usage.completion, total_tokens: p.usage.prompt + p.usage.completion,
      input_tokens_details: { cached_tokens: p.usage.cached }, output_tokens_details: { reasoning_tokens: p.usage.reasoning } },
  };
}

export function startFakeOpenAI({ log = () => {} } = {}) {
  const requests = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body = {};
      try { body = raw ? JSON.parse(raw) : {}; } catch { /* leave empty */ }
      const path = new URL(req.url, 'http://x').pathname.replace(/\/+$/, '');
      const send = (status, obj) => {
        res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': 'req_fixture' });
        res.end(JSON.stringify(obj));
      };
      if (req.method !== 'POST') return send(404, { error: { message: `no route ${req.method} ${path}` } });
      if (path.endsWith('/chat/completions')) {
        const profile = chooseProfile(body);
        requests.push({ path, model: body.model, profile, stream: !!body.stream });
        log(`fake-openai: ${path} model=${body.model} -> ${profile}`);
        if (!body.stream) return send(200, chatCompletion(profile, body.model));
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
        for (const c of chatChunks(profile, body.stream_options?.include_usage === true)) res.write(`data: ${JSON.stringify(c)}\n\n`);
        res.write('data: [DONE]\n\n');
        return res.end();
      }
      if (path.endsWith('/embeddings')) {
        requests.push({ path, model: body.model, profile: 'embeddings' });
        log(`fake-openai: ${path} model=${body.model}`);
        return send(200, embeddings(body));
      }
      if (path.endsWith('/responses')) {
        requests.push({ path, model: body.model, profile: 'responses' });
        log(`fake-openai: ${path} model=${body.model} (Responses API)`);
        return send(200, responsesApi(body));
      }
      log(`fake-openai: unexpected ${req.method} ${path}`);
      requests.push({ path, unexpected: true });
      return send(404, { error: { message: `fake server has no route ${path}`, type: 'invalid_request_error' } });
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    resolve({ baseURL: `http://127.0.0.1:${port}/v1`, requests,
      close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }) });
  }));
}
