// Deterministic fake of the OpenAI Responses API for the Agents SDK scenarios (loopback only).
// The answer is chosen from the request alone (which tools are offered, which call was answered
// last), so a run always makes the same calls; every answer has its own usage, which the Java
// tests turn into a hand-computed bill (see ../README.md, "agents").
import http from 'node:http';

export const RESPONSE_MODEL = 'gpt-4o-mini-2024-07-18';
export const CREATED = 1767225600; // 2026-01-01T00:00:00Z

// input / cached (part of input) / output / reasoning (part of output)
export const PROFILES = {
  'triage-handoff': { call: { name: 'transfer_to_weather_specialist', args: '{}' }, usage: [900, 512, 40, 0] },
  'specialist-tool': { call: { name: 'get_weather', args: '{"city":"Paris"}' }, usage: [1400, 1024, 60, 0] },
  'specialist-final': { text: 'It is 18°C and sunny in Paris.', usage: [1700, 1280, 110, 0] },
  'forecast-tool': { call: { name: 'get_forecast', args: '{"city":"Paris","days":2}' }, usage: [1100, 0, 50, 0] },
  'forecast-final': { text: 'Sunny today, light rain tomorrow in Paris.', usage: [1300, 1024, 90, 0] },
};

function lastAnsweredCall(input) {
  const items = Array.isArray(input) ? input : [];
  const last = items[items.length - 1];
  if (!last || last.type !== 'function_call_output') return null;
  const call = items.find((i) => i.type === 'function_call' && i.call_id === last.call_id);
  return call ? call.name : null;
}

export function chooseProfile(body) {
  const tools = (body.tools ?? []).map((t) => t.name);
  const answered = lastAnsweredCall(body.input);
  if (tools.includes('transfer_to_weather_specialist')) return 'triage-handoff';
  if (tools.includes('get_weather')) return answered === 'get_weather' ? 'specialist-final' : 'specialist-tool';
  if (tools.includes('get_forecast')) return answered === 'get_forecast' ? 'forecast-final' : 'forecast-tool';
  return null;
}

function response(body, name, seq) {
  const p = PROFILES[name];
  const [inputTokens, cached, outputTokens, reasoning] = p.usage;
  const out = p.call
    ? [{ type: 'function_call', id: `fc_${name}`, call_id: `call_${name.replace(/-/g, '_')}`, name: p.call.name,
        arguments: p.call.args, status: 'completed' }]
    : [{ type: 'message', id: `msg_${name}`, role: 'assistant', status: 'completed',
        content: [{ type: 'output_text', text: p.text, annotations: [], logprobs: [] }] }];
  return {
    id: `resp_${name}_${seq}`, object: 'response', created_at: CREATED, status: 'completed', error: null,
    incomplete_details: null, instructions: body.instructions ?? null, max_output_tokens: null,
    model: RESPONSE_MODEL, output: out, parallel_tool_calls: true, previous_response_id: null,
    reasoning: { effort: null, summary: null }, service_tier: 'default', store: true, temperature: 1,
    text: { format: { type: 'text' } }, tool_choice: 'auto', tools: body.tools ?? [], top_p: 1,
    truncation: 'disabled', user: null, metadata: {},
    usage: { input_tokens: inputTokens, input_tokens_details: { cached_tokens: cached }, output_tokens: outputTokens,
      output_tokens_details: { reasoning_tokens: reasoning }, total_tokens: inputTokens + outputTokens },
  };
}

export function startFakeResponses({ log = () => {} } = {}) {
  const requests = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      let body = {};
      try { body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'); } catch { /* empty */ }
      const path = new URL(req.url, 'http://x').pathname.replace(/\/+$/, '');
      const send = (status, obj) => {
        res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': 'req_fixture' });
        res.end(JSON.stringify(obj));
      };
      const profile = req.method === 'POST' && path.endsWith('/responses') && !body.stream ? chooseProfile(body) : null;
      if (!profile) {
        log(`fake-responses: unexpected ${req.method} ${path} stream=${!!body.stream}`);
        requests.push({ path, unexpected: true });
        return send(404, { error: { message: `fake server cannot answer ${req.method} ${path}`, type: 'invalid_request_error' } });
      }
      requests.push({ path, model: body.model, profile });
      log(`fake-responses: ${path} model=${body.model} -> ${profile}`);
      return send(200, response(body, profile, requests.length));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    resolve({ baseURL: `http://127.0.0.1:${port}/v1`, requests,
      close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }) });
  }));
}

// Run standalone: prints the base URL on stdout, serves until killed (the Java IT uses this).
if (import.meta.url === `file://${process.argv[1]}`) {
  const fake = await startFakeResponses({ log: (m) => process.stderr.write(m + '\n') });
  process.stdout.write(fake.baseURL + '\n');
}
