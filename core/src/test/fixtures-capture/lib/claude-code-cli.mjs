// The real Claude Code CLI from npm, installed once per machine into a cache outside the repository
// (like embedded-clickhouse's libchdb): $AGENTLEDGER_CLAUDE_CODE_CACHE, else
// $XDG_CACHE_HOME/agentledger/claude-code (~/.cache/agentledger/claude-code), one directory per
// version. npm installs into a staging directory that is renamed into place, so an install killed
// half way leaves nothing half done; a lock directory keeps two installs from racing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

export const PACKAGE = '@anthropic-ai/claude-code';
export const VERSION = '2.1.332';

export function cacheRoot() {
  const configured = process.env.AGENTLEDGER_CLAUDE_CODE_CACHE;
  if (configured && configured.trim()) return path.resolve(configured.trim());
  const xdg = process.env.XDG_CACHE_HOME;
  return path.join(xdg && xdg.trim() ? xdg : path.join(os.homedir(), '.cache'), 'agentledger', 'claude-code');
}

const binary = (dir) => path.join(dir, 'node_modules', '.bin', 'claude');

function sleep(ms) { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms); }

/** The path of the `claude` executable, installing it first when needed. */
export function ensureClaudeCode({ log = () => {} } = {}) {
  const root = cacheRoot();
  const dir = path.join(root, VERSION);
  if (fs.existsSync(binary(dir))) return binary(dir);
  fs.mkdirSync(root, { recursive: true });
  const lock = path.join(root, '.lock');
  const until = Date.now() + 20 * 60_000;
  for (;;) {
    try { fs.mkdirSync(lock); break; } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      // Another install holds the lock; one older than the deadline was abandoned.
      if (Date.now() - fs.statSync(lock).mtimeMs > 20 * 60_000) fs.rmSync(lock, { recursive: true, force: true });
      if (Date.now() > until) throw new Error(`${lock} held for too long`);
      sleep(1000);
    }
  }
  try {
    if (fs.existsSync(binary(dir))) return binary(dir);
    for (const f of fs.readdirSync(root)) if (f.startsWith(`${VERSION}.installing-`)) fs.rmSync(path.join(root, f), { recursive: true, force: true });
    const staging = fs.mkdtempSync(path.join(root, `${VERSION}.installing-`));
    log(`Installing ${PACKAGE}@${VERSION} once into ${dir}`);
    // Its postinstall script links the platform binary (an optional dependency) into bin/.
    const npm = spawnSync('npm', ['install', '--prefix', staging, '--no-save', '--no-package-lock', '--no-audit',
      '--no-fund', '--loglevel=error', '--cache', path.join(staging, '.npm-cache'), `${PACKAGE}@${VERSION}`],
    { encoding: 'utf8', timeout: 20 * 60_000 });
    if (npm.error || npm.status !== 0) {
      throw new Error(`npm install ${PACKAGE}@${VERSION} failed (${npm.error ?? 'exit ' + npm.status}): ${npm.stderr}`);
    }
    fs.rmSync(path.join(staging, '.npm-cache'), { recursive: true, force: true });
    if (!fs.existsSync(binary(staging))) throw new Error(`npm installed ${PACKAGE} but there is no ${binary(staging)}`);
    fs.renameSync(staging, dir);
    return binary(dir);
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}
