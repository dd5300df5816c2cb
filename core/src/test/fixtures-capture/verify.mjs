// Checks every fixture listed in ../resources/fixtures/otlp/MANIFEST.json against the captured payload:
// span count, span names/kinds/scopes/parents, exact attribute values and types, present and absent keys.
// usage: npm run verify
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeFile, flatSpans, plain } from './lib/otlp-decode.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../resources/fixtures/otlp');

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** Matches manifest spans to payload spans: the k-th manifest span named N is the k-th payload span named N by (start time, depth). */
export function matchSpans(expectedSpans, spans) {
  const ids = new Map(spans.map((s) => [s.spanId, s]));
  const depth = (s) => { let d = 0; for (let p = ids.get(s.parentSpanId); p && d < 100; p = ids.get(p.parentSpanId)) d++; return d; };
  // Start times can tie (millisecond clocks); a parent then comes before its same-named child.
  const order = (a, b) => {
    const ta = BigInt(a.startTimeUnixNano); const tb = BigInt(b.startTimeUnixNano);
    return ta !== tb ? (ta < tb ? -1 : 1) : depth(a) - depth(b);
  };
  const byName = new Map();
  for (const s of [...spans].sort(order)) {
    if (!byName.has(s.name)) byName.set(s.name, []);
    byName.get(s.name).push(s);
  }
  const seen = new Map();
  return expectedSpans.map((e) => {
    const k = seen.get(e.name) ?? 0;
    seen.set(e.name, k + 1);
    return byName.get(e.name)?.[k];
  });
}

export function verifyFixture(rel, entry) {
  const problems = [];
  const file = path.join(ROOT, rel);
  if (!fs.existsSync(file)) return [`${rel}: file missing`];
  const decoded = decodeFile(file);
  const spans = flatSpans(decoded);
  const p = (m) => problems.push(`${rel}: ${m}`);
  if (entry.spanCount !== spans.length) p(`spanCount ${spans.length}, manifest says ${entry.spanCount}`);
  const traces = new Set(spans.map((s) => s.traceId)).size;
  if (entry.traceCount != null && entry.traceCount !== traces) p(`traceCount ${traces}, manifest says ${entry.traceCount}`);
  for (const [k, v] of Object.entries(entry.resource ?? {})) {
    const got = plain(decoded.resourceSpans[0]?.resource[k]);
    if (!same(got, v)) p(`resource ${k} = ${JSON.stringify(got)}, manifest says ${JSON.stringify(v)}`);
  }
  const matched = matchSpans(entry.spans, spans);
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  entry.spans.forEach((e, i) => {
    const s = matched[i];
    const where = `span #${i} "${e.name}"`;
    if (!s) return p(`${where} not found`);
    if (e.kind != null && e.kind !== s.kind) p(`${where} kind ${s.kind}, manifest says ${e.kind}`);
    if (e.scope != null && e.scope !== s.scope) p(`${where} scope ${s.scope}, manifest says ${e.scope}`);
    if (e.parent !== undefined) {
      const parent = s.parentSpanId ? byId.get(s.parentSpanId) : null;
      const parentName = parent ? parent.name : null;
      const expectedParent = e.parent === null ? null : e.parent;
      if (expectedParent !== parentName) p(`${where} parent ${JSON.stringify(parentName)}, manifest says ${JSON.stringify(expectedParent)}`);
      if (e.parent !== null && parent) {
        const pi = entry.spans.findIndex((x, j) => matched[j] === parent);
        if (pi < 0) p(`${where} parent span is not one of the manifest spans`);
      }
    }
    for (const [k, v] of Object.entries(e.attributes ?? {})) {
      const a = s.attributes[k];
      if (!a) { p(`${where} missing ${k}`); continue; }
      if (!same(plain(a), v)) p(`${where} ${k} = ${JSON.stringify(plain(a))}, manifest says ${JSON.stringify(v)}`);
      const t = e.attributeTypes?.[k];
      if (t && t !== a.type) p(`${where} ${k} has type ${a.type}, manifest says ${t}`);
    }
    for (const k of e.present ?? []) if (!s.attributes[k]) p(`${where} missing ${k}`);
    for (const k of e.absent ?? []) if (s.attributes[k]) p(`${where} has ${k} = ${JSON.stringify(plain(s.attributes[k]))}, manifest says absent`);
  });
  return problems;
}

export function verifyManifest({ conventions = null } = {}) {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'MANIFEST.json'), 'utf8'));
  const problems = [];
  for (const [rel, entry] of Object.entries(manifest.fixtures)) {
    if (conventions && !conventions.includes(rel.split('/')[0])) continue;
    problems.push(...verifyFixture(rel, entry));
  }
  // Every captured file must be described.
  for (const dir of fs.readdirSync(ROOT, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    if (conventions && !conventions.includes(dir.name)) continue;
    if (dir.name === 'claude-code') continue; // described by its RUNS.json, checked by ClaudeCodeFixturesTest
    for (const f of fs.readdirSync(path.join(ROOT, dir.name))) {
      if (f.includes('.logs.')) continue; // log exports (GenAI events) are checked by their Java test
      if (/\.(binpb|json)$/.test(f) && !manifest.fixtures[`${dir.name}/${f}`]) problems.push(`${dir.name}/${f}: not in MANIFEST.json`);
    }
  }
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const problems = verifyManifest();
  for (const p of problems) console.log(`MISMATCH ${p}`);
  console.log(problems.length ? `${problems.length} mismatch(es)` : 'all manifest facts hold');
  process.exitCode = problems.length ? 1 : 0;
}
