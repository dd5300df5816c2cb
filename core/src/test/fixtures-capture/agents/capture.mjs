// Reruns the Agents SDK and MCP scenarios against the fake Responses API and the OTLP capture
// server, rewriting ../../resources/fixtures/otlp/<convention>/NN-<scenario>.binpb.
// usage: cd agents && npm ci && node capture.mjs [convention...]
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startFakeResponses } from './lib/fake-responses.mjs';
import { startCaptureServer } from '../lib/capture-server.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.resolve(HERE, '../../resources/fixtures/otlp');

// [convention, scenario, script, export requests expected (one per traced process)]
export const RUNS = [
  ['openai-agents', 'handoff-tool-guardrail', 'openai-agents.mjs', 1],
  ['mcp', 'agent-mcp-tool', 'mcp-client.mjs', 2],
];

function childEnv(extra) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(OTEL_|OPENAI_|npm_)/.test(k)) continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

function runChild(script, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(HERE, 'scenarios', script)], { cwd: HERE, env, stdio: ['ignore', 'inherit', 'inherit'] });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${script} timed out`)); }, 90_000);
    child.on('exit', (code) => { clearTimeout(timer); code === 0 ? resolve() : reject(new Error(`${script} exited ${code}`)); });
  });
}

const log = (m) => console.log(m);
const only = process.argv.slice(2);
const runs = RUNS.filter(([conv]) => only.length === 0 || only.includes(conv));
for (const conv of new Set(runs.map(([c]) => c))) {
  const dir = path.join(OUT, conv);
  fs.mkdirSync(dir, { recursive: true });
  for (const f of fs.readdirSync(dir)) if (/^\d\d-.*\.(binpb|json)$/.test(f)) fs.rmSync(path.join(dir, f));
}
const fake = await startFakeResponses({ log });
const capture = await startCaptureServer({ outDir: OUT, log });
try {
  for (const [conv, scenario, script, expected] of runs) {
    log(`\n## ${conv}/${scenario}: node scenarios/${script}`);
    const before = capture.captures.filter((c) => !c.ignored).length;
    const fakeBefore = fake.requests.length;
    await runChild(script, childEnv({ FAKE_OPENAI_BASE_URL: fake.baseURL, OTLP_BASE: capture.baseFor(conv, scenario) }));
    await new Promise((r) => setTimeout(r, 200)); // let the last request body land
    const got = capture.captures.filter((c) => !c.ignored).slice(before);
    if (got.length !== expected) throw new Error(`${conv}/${scenario}: expected ${expected} trace export requests, got ${got.length}`);
    const unexpected = fake.requests.slice(fakeBefore).filter((r) => r.unexpected);
    if (unexpected.length) throw new Error(`${conv}/${scenario}: SDK called unsupported paths ${unexpected.map((r) => r.path)}`);
    log(`model calls: ${fake.requests.slice(fakeBefore).map((r) => r.profile).join(', ')}`);
  }
} finally {
  await fake.close();
  await capture.close();
}
