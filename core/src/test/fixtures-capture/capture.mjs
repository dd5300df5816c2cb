// Reruns every scenario against the local fake model server and OTLP capture server, rewriting
// ../resources/fixtures/otlp/<convention>/NN-<scenario>.(binpb|json), then checks MANIFEST.json.
// usage: npm run capture            (all conventions)
//        node capture.mjs openlit   (only the named conventions)
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startFakeOpenAI } from './lib/fake-openai.mjs';
import { startCaptureServer } from './lib/capture-server.mjs';
import { verifyManifest } from './verify.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.resolve(HERE, '../resources/fixtures/otlp');

// [convention, scenario label, script, args]. Each run must produce exactly one trace export request;
// NN is the position of the run within its convention.
export const RUNS = [
  ['vercel-ai-legacy', 'generate-text', 'vercel-ai.mjs', ['legacy', 'generate-text']],
  ['vercel-ai-legacy', 'stream-text', 'vercel-ai.mjs', ['legacy', 'stream-text']],
  ['vercel-ai-legacy', 'embed', 'vercel-ai.mjs', ['legacy', 'embed']],
  ['vercel-ai-legacy', 'generate-text', 'vercel-ai.mjs', ['legacy', 'generate-text', 'json']],
  ['vercel-ai-v7', 'generate-text', 'vercel-ai.mjs', ['v7', 'generate-text']],
  ['vercel-ai-v7', 'stream-text', 'vercel-ai.mjs', ['v7', 'stream-text']],
  ['vercel-ai-v7', 'embed', 'vercel-ai.mjs', ['v7', 'embed']],
  ['vercel-ai-v7', 'generate-text-supplemental', 'vercel-ai.mjs', ['v7-supplemental', 'generate-text']],
  ['vercel-ai-v7', 'generate-text', 'vercel-ai.mjs', ['v7', 'generate-text', 'json']],
  ['openinference', 'agent-tool-roundtrip', 'openinference.mjs', ['agent-tool-roundtrip']],
  ['openinference', 'stream-chat', 'openinference.mjs', ['stream-chat']],
  ['traceloop', 'workflow-agent-tool', 'traceloop.mjs', ['workflow-agent-tool']],
  ['traceloop', 'stream-chat', 'traceloop.mjs', ['stream-chat']],
  ['openlit', 'chat-tools-embed', 'openlit.mjs', ['chat-tools-embed']],
  ['openlit', 'stream-chat', 'openlit.mjs', ['stream-chat']],
  ['langfuse', 'agent-generation-tool', 'langfuse.mjs', ['agent-generation-tool']],
  ['openlit-events', 'chat-unpriced', 'openlit.mjs', ['chat-unpriced']],
];

// Conventions whose log exports (GenAI events) are saved too, as NN-<scenario>.logs.<ext>.
const WITH_LOGS = new Set(['openlit-events']);

function childEnv(extra) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    // Keep the host's telemetry/provider settings out of the scenarios.
    if (/^(OTEL_|TRACELOOP_|LANGFUSE_|OPENLIT_|OPENAI_|AI_SDK_|npm_)/.test(k)) continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

function runChild(script, args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(HERE, 'scenarios', script), ...args],
      { cwd: HERE, env, stdio: ['ignore', 'inherit', 'inherit'] });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${script} ${args.join(' ')} timed out`)); }, 90_000);
    child.on('exit', (code) => { clearTimeout(timer); code === 0 ? resolve() : reject(new Error(`${script} ${args.join(' ')} exited ${code}`)); });
  });
}

const log = (m) => console.log(m);
const only = process.argv.slice(2);
const runs = RUNS.filter(([conv]) => only.length === 0 || only.includes(conv));
if (runs.length === 0) throw new Error(`no runs match ${only.join(', ')}`);

for (const conv of new Set(runs.map(([c]) => c))) {
  const dir = path.join(OUT, conv);
  fs.mkdirSync(dir, { recursive: true });
  for (const f of fs.readdirSync(dir)) if (/^\d\d-.*\.(binpb|json)$/.test(f)) fs.rmSync(path.join(dir, f));
}

const fake = await startFakeOpenAI({ log });
const capture = await startCaptureServer({ outDir: OUT, log,
  signals: (conv) => (WITH_LOGS.has(conv) ? ['traces', 'logs'] : ['traces']) });
let failed = false;
try {
  for (const [conv, scenario, script, args] of runs) {
    log(`\n## ${conv}/${scenario}: node scenarios/${script} ${args.join(' ')}`);
    const before = capture.captures.filter((c) => !c.ignored).length; // of every saved signal
    const fakeBefore = fake.requests.length;
    await runChild(script, args, childEnv({ FAKE_OPENAI_BASE_URL: fake.baseURL, OTLP_BASE: capture.baseFor(conv, scenario) }));
    await new Promise((r) => setTimeout(r, 100)); // let the last request body land
    const got = capture.captures.filter((c) => !c.ignored).slice(before).filter((c) => c.signal === 'traces');
    if (got.length !== 1) throw new Error(`${conv}/${scenario}: expected 1 trace export request, got ${got.length}`);
    const unexpected = fake.requests.slice(fakeBefore).filter((r) => r.unexpected);
    if (unexpected.length) throw new Error(`${conv}/${scenario}: SDK called unsupported paths ${unexpected.map((r) => r.path)}`);
  }
} finally {
  await fake.close();
  await capture.close();
}

log('\n## capture log');
for (const c of capture.captures) {
  log(c.ignored ? `ignored   ${c.convention}/${c.scenario} ${c.path} ${c.contentType}`
    : `${c.file}  POST ${c.path}  ${c.contentType}${c.contentEncoding ? ' ' + c.contentEncoding : ''}  ua=${c.userAgent}  headers=${c.headerNames.join(',')}`);
}

log('\n## MANIFEST.json check');
const problems = verifyManifest({ conventions: only.length ? only : null });
for (const p of problems) log(`MISMATCH ${p}`);
if (problems.length) {
  failed = true;
  log(`\n${problems.length} manifest mismatch(es): the instrumentation now emits something else. Inspect with ` +
    '"node dump.mjs <file>" and update MANIFEST.json / README.md deliberately.');
} else log('all manifest facts hold');
process.exitCode = failed ? 1 : 0;
