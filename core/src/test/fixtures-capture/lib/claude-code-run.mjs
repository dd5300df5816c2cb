// Runs the real Claude Code CLI once, non-interactively (`claude -p`), against the fake Anthropic
// API, exporting its own OpenTelemetry (logs and metrics; with `beta`, traces too) to an OTLP/HTTP
// endpoint. Used by the capture (claude-code.mjs capture) and by the standalone's ClaudeCodeIT
// (claude-code.mjs run), so both run the CLI the same way.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { NOTE_FILE, NOTE_TEXT } from './fake-anthropic.mjs';

export const MODEL = 'claude-sonnet-4-5';
export const PROMPT = `Read ${NOTE_FILE} and tell me what it says.`;

/**
 * @param o.claude path of the claude executable
 * @param o.fakeBase base URL of the fake Anthropic API
 * @param o.otlpBase OTLP/HTTP base URL (the CLI appends /v1/logs, /v1/metrics, /v1/traces)
 * @param o.protocol 'http/protobuf' or 'http/json'
 * @param o.beta true to turn the traces beta on (CLAUDE_CODE_ENHANCED_TELEMETRY_BETA=1)
 * @param o.headers OTLP headers, e.g. {Authorization: 'Bearer …'}
 * @param o.resourceAttributes OTEL_RESOURCE_ATTRIBUTES as an object (what a fleet orchestrator sets)
 * @param o.workDir the directory the CLI runs in (NOTE.md is written there); also its HOME
 * @param o.resume a session id to continue (`--resume`), for a second prompt in one session
 */
export function runClaude(o) {
  fs.mkdirSync(o.workDir, { recursive: true });
  fs.writeFileSync(path.join(o.workDir, NOTE_FILE), NOTE_TEXT);
  const home = path.join(o.workDir, '.home');
  fs.mkdirSync(home, { recursive: true });
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    // Keep the host's telemetry, provider and Claude settings out of the run.
    if (/^(OTEL_|ANTHROPIC_|CLAUDE_|npm_)/.test(k)) continue;
    env[k] = v;
  }
  const headers = Object.entries(o.headers ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
  const resource = Object.entries(o.resourceAttributes ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
  Object.assign(env, {
    HOME: home,
    CLAUDE_CONFIG_DIR: path.join(home, '.claude'),
    ANTHROPIC_BASE_URL: o.fakeBase,
    ANTHROPIC_API_KEY: 'sk-ant-fixture-dummy-key', // the fake accepts anything; the CLI needs one
    ANTHROPIC_MODEL: MODEL,
    ANTHROPIC_DEFAULT_HAIKU_MODEL: 'claude-haiku-4-5',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_ERROR_REPORTING: '1',
    CLAUDE_CODE_ENABLE_TELEMETRY: '1',
    OTEL_LOGS_EXPORTER: 'otlp',
    OTEL_METRICS_EXPORTER: 'otlp',
    OTEL_EXPORTER_OTLP_PROTOCOL: o.protocol,
    OTEL_EXPORTER_OTLP_ENDPOINT: o.otlpBase,
    OTEL_LOGS_EXPORT_INTERVAL: '500',
    OTEL_METRIC_EXPORT_INTERVAL: '1000',
    ...(headers ? { OTEL_EXPORTER_OTLP_HEADERS: headers } : {}),
    ...(resource ? { OTEL_RESOURCE_ATTRIBUTES: resource } : {}),
    ...(o.beta ? { CLAUDE_CODE_ENHANCED_TELEMETRY_BETA: '1', OTEL_TRACES_EXPORTER: 'otlp', OTEL_TRACES_EXPORT_INTERVAL: '500' } : {}),
  });
  const args = ['-p', o.prompt ?? PROMPT, '--model', MODEL, '--allowedTools', 'Read', '--output-format', 'json'];
  if (o.resume) args.push('--resume', o.resume);
  return new Promise((resolve, reject) => {
    const child = spawn(o.claude, args, { cwd: o.workDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => { stdout += c; });
    child.stderr.on('data', (c) => { stderr += c; });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`claude timed out: ${stderr}`)); }, 180_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`claude exited ${code}: ${stderr}\n${stdout}`));
      let result;
      try { result = JSON.parse(stdout); } catch { return reject(new Error(`claude printed no JSON: ${stdout}\n${stderr}`)); }
      resolve({ result, stderr });
    });
  });
}

export const tempDir = (prefix) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));
