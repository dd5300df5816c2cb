// Deterministic fake of the Anthropic Messages API (POST /v1/messages, streaming SSE or JSON) for
// running the real Claude Code CLI. Loopback only, no node_modules needed. Every answer is chosen
// from the request alone and carries a fixed, distinctive usage, so a bill can be computed by hand.
//
// What the CLI asks and what it gets:
// - a request whose last user message holds a tool_result → FINAL ("Done: the file says hello.")
// - a request with tools whose conversation has not used Read yet → TOOL_CALL (Read NOTE.md)
// - anything else (titles, topic checks, quota checks, answers without tools) → PLAIN
// Each profile's usage is Anthropic-style: input_tokens exclude the cache reads and writes.
import http from 'node:http';

export const NOTE_FILE = 'NOTE.md';
export const NOTE_TEXT = 'hello from the fixture\n';

export const PROFILES = {
  'tool-call': {
    id: 'msg_fixture_tool_call', toolUseId: 'toolu_fixture_read_0001',
    usage: { input_tokens: 1200, output_tokens: 150, cache_read_input_tokens: 0, cache_creation_input_tokens: 8000 },
  },
  final: {
    id: 'msg_fixture_final', text: 'Done: the file says hello.',
    usage: { input_tokens: 400, output_tokens: 60, cache_read_input_tokens: 8000, cache_creation_input_tokens: 500 },
  },
  plain: {
    id: 'msg_fixture_plain', text: 'Paris is the capital of France.',
    usage: { input_tokens: 700, output_tokens: 25, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
  },
};

function lastUser(messages) {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i].role === 'user') return messages[i];
  return undefined;
}

const blocks = (m) => (Array.isArray(m?.content) ? m.content : []);

/** The profile for a request body; the same conversation always gets the same answer. */
export function chooseProfile(body) {
  const messages = body.messages ?? [];
  if (blocks(lastUser(messages)).some((b) => b.type === 'tool_result')) return 'final';
  const tools = Array.isArray(body.tools) ? body.tools.map((t) => t.name) : [];
  const usedRead = messages.some((m) => blocks(m).some((b) => b.type === 'tool_use'));
  const wantsTool = JSON.stringify(lastUser(messages)?.content ?? '').includes(NOTE_FILE);
  if (tools.includes('Read') && wantsTool && !usedRead) return 'tool-call';
  return 'plain';
}

function content(profile, cwd) {
  const p = PROFILES[profile];
  if (p.toolUseId) {
    return [{ type: 'tool_use', id: p.toolUseId, name: 'Read', input: { file_path: `${cwd}/${NOTE_FILE}` } }];
  }
  return [{ type: 'text', text: p.text }];
}

function message(profile, model, cwd) {
  const p = PROFILES[profile];
  return {
    id: p.id, type: 'message', role: 'assistant', model, content: content(profile, cwd),
    stop_reason: p.toolUseId ? 'tool_use' : 'end_turn', stop_sequence: null, usage: { ...p.usage },
  };
}

function sse(res, profile, model, cwd) {
  const p = PROFILES[profile];
  const send = (event, data) => res.write(`event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`);
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'request-id': `req_${p.id}` });
  send('message_start', {
    message: { ...message(profile, model, cwd), content: [], stop_reason: null, usage: { ...p.usage, output_tokens: 1 } },
  });
  content(profile, cwd).forEach((block, index) => {
    if (block.type === 'text') {
      send('content_block_start', { index, content_block: { type: 'text', text: '' } });
      send('ping', {});
      send('content_block_delta', { index, delta: { type: 'text_delta', text: block.text } });
    } else {
      send('content_block_start', { index, content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} } });
      send('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: JSON.stringify(block.input) } });
    }
    send('content_block_stop', { index });
  });
  send('message_delta', {
    delta: { stop_reason: p.toolUseId ? 'tool_use' : 'end_turn', stop_sequence: null },
    usage: { output_tokens: p.usage.output_tokens },
  });
  send('message_stop', {});
  res.end();
}

/**
 * Starts the fake on 127.0.0.1. {@code cwd} is the directory the CLI works in (the tool call reads
 * NOTE.md there). Requests are recorded in {@code requests}: {method, path, model, stream, profile}.
 */
export function startFakeAnthropic({ cwd, log = () => {} }) {
  const requests = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const path = new URL(req.url, 'http://x').pathname;
      let body = {};
      try { body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {}; } catch { body = {}; }
      if (req.method === 'POST' && path === '/v1/messages') {
        const profile = chooseProfile(body);
        requests.push({ method: req.method, path, model: body.model, stream: !!body.stream, profile });
        log(`fake-anthropic: ${body.model} stream=${!!body.stream} tools=${(body.tools ?? []).length} → ${profile}`);
        if (body.stream) return sse(res, profile, body.model, cwd);
        res.writeHead(200, { 'content-type': 'application/json', 'request-id': `req_${PROFILES[profile].id}` });
        return res.end(JSON.stringify(message(profile, body.model, cwd)));
      }
      if (req.method === 'POST' && path === '/v1/messages/count_tokens') {
        requests.push({ method: req.method, path, model: body.model });
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ input_tokens: 100 }));
      }
      requests.push({ method: req.method, path, unexpected: true });
      log(`fake-anthropic: unexpected ${req.method} ${path}`);
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ type: 'error', error: { type: 'not_found_error', message: `no ${path} here` } }));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    resolve({
      port, requests, baseURL: `http://127.0.0.1:${port}`,
      close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }),
    });
  }));
}
