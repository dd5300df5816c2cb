// The real Claude Code CLI (npm @anthropic-ai/claude-code, installed once into
// ~/.cache/agentledger/claude-code by lib/claude-code-cli.mjs) against the fake Anthropic API.
// Needs no node_modules: node built-ins only.
//
// node claude-code.mjs capture
//     Reruns every scenario against the local OTLP capture server and rewrites
//     ../resources/fixtures/otlp/claude-code/NN-<scenario>[.logs|.metrics].(binpb|json) and RUNS.json.
// node claude-code.mjs run --otlp <base URL> --key <API key> [--beta] [--json]
//     [--resource k=v,k=v] [--resume <session id>]
//     Runs one prompt against <base URL> (e.g. a running AgentLedger's http://127.0.0.1:4318) and
//     prints one JSON line: the CLI's result (session_id, total_cost_usd, usage) and what the fake
//     served. Used by the standalone's ClaudeCodeIT.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeAnthropic } from './lib/fake-anthropic.mjs';
import { startCaptureServer } from './lib/capture-server.mjs';
import { ensureClaudeCode, VERSION } from './lib/claude-code-cli.mjs';
import { runClaude, tempDir } from './lib/claude-code-run.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.resolve(HERE, '../resources/fixtures/otlp');
const CONVENTION = 'claude-code';

// What an orchestrator (Gas Town, Ralph-TUI, …) sets for one fleet member.
export const FLEET_MEMBER = {
  'gen_ai.agent.name': 'fixer',
  'gen_ai.agent.id': 'fixer-7',
  'service.instance.id': 'worker-7',
};

// [scenario, protocol, traces beta]
export const SCENARIOS = [
  ['events', 'http/protobuf', false],
  ['events-json', 'http/json', false],
  ['beta', 'http/protobuf', true],
];

const log = (m) => process.stderr.write(m + '\n');

async function capture() {
  const claude = ensureClaudeCode({ log });
  const dir = path.join(OUT, CONVENTION);
  fs.mkdirSync(dir, { recursive: true });
  for (const f of fs.readdirSync(dir)) if (/^\d\d-.*\.(binpb|json)$/.test(f)) fs.rmSync(path.join(dir, f));
  const runs = {};
  const captureServer = await startCaptureServer({ outDir: OUT, log, signals: ['traces', 'logs', 'metrics'] });
  try {
    for (const [scenario, protocol, beta] of SCENARIOS) {
      const work = tempDir('claude-code-capture-');
      const fake = await startFakeAnthropic({ cwd: work, log });
      try {
        log(`\n## ${scenario}: ${protocol}${beta ? ', traces beta' : ''}`);
        const { result } = await runClaude({
          claude, fakeBase: fake.baseURL, otlpBase: captureServer.baseFor(CONVENTION, scenario), protocol, beta,
          workDir: work, resourceAttributes: FLEET_MEMBER,
        });
        await new Promise((r) => setTimeout(r, 200)); // let the last export land
        runs[scenario] = {
          protocol, beta, session_id: result.session_id, total_cost_usd: result.total_cost_usd, usage: result.usage,
          served: fake.requests.filter((r) => r.path === '/v1/messages').map((r) => r.profile),
          files: captureServer.captures.filter((c) => !c.ignored && c.scenario === scenario).map((c) => c.file),
        };
      } finally {
        await fake.close();
        fs.rmSync(work, { recursive: true, force: true });
      }
    }
  } finally {
    await captureServer.close();
  }
  fs.writeFileSync(path.join(dir, 'RUNS.json'), JSON.stringify({ package: `@anthropic-ai/claude-code@${VERSION}`, runs }, null, 2) + '\n');
  log(`\nwrote ${path.join(dir, 'RUNS.json')}`);
}

function arg(name) {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
}

async function runOnce() {
  const otlp = arg('--otlp');
  if (!otlp) throw new Error('--otlp <base URL> is required');
  const resource = Object.fromEntries((arg('--resource') ?? '').split(',').filter(Boolean).map((kv) => kv.split('=')));
  const work = arg('--work-dir') ?? tempDir('claude-code-run-');
  const fake = await startFakeAnthropic({ cwd: work, log });
  try {
    const { result } = await runClaude({
      claude: ensureClaudeCode({ log }), fakeBase: fake.baseURL, otlpBase: otlp,
      protocol: process.argv.includes('--json') ? 'http/json' : 'http/protobuf',
      beta: process.argv.includes('--beta'), workDir: work, resourceAttributes: resource,
      headers: arg('--key') ? { Authorization: `Bearer ${arg('--key')}` } : {}, resume: arg('--resume'),
    });
    process.stdout.write(JSON.stringify({
      session_id: result.session_id, total_cost_usd: result.total_cost_usd, usage: result.usage,
      served: fake.requests.filter((r) => r.path === '/v1/messages').map((r) => r.profile),
    }) + '\n');
  } finally {
    await fake.close();
  }
}

const command = process.argv[2];
if (command === 'capture') await capture();
else if (command === 'run') await runOnce();
else if (command === 'install') process.stdout.write(ensureClaudeCode({ log }) + '\n');
else {
  log('usage: node claude-code.mjs capture | run --otlp <url> [--key k] [--beta] [--json] [--resource k=v,…] [--resume id] | install');
  process.exitCode = 2;
}
