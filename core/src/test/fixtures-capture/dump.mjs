// Prints captured OTLP payloads as span trees with all attributes.
// usage: node dump.mjs [--json | --facts] <file-or-dir>...   (--facts prints a draft MANIFEST.json entry)   (default: every fixture under ../resources/fixtures/otlp)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeFile, flatSpans, plain } from './lib/otlp-decode.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const FIXTURE_ROOT = path.resolve(HERE, '../resources/fixtures/otlp');
const KIND = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'];

function listFixtures(p) {
  const st = fs.statSync(p);
  if (st.isFile()) return [p];
  return fs.readdirSync(p).sort().flatMap((f) => listFixtures(path.join(p, f)))
    .filter((f) => /\.(binpb|json)$/.test(f) && !/(MANIFEST|RUNS)\.json$/.test(f) && !/\.(logs|metrics)\./.test(f));
}

function raw(a) {
  if (a.type === 'string') return JSON.stringify(a.value);
  if (a.type === 'array') return '[' + a.value.map(raw).join(', ') + ']';
  if (a.type === 'kvlist') return '{' + Object.entries(a.value).map(([k, v]) => `${k}: ${raw(v)}`).join(', ') + '}';
  return String(a.value);
}

function fmt(a, max = 200) {
  let s = raw(a);
  if (s.length > max) s = s.slice(0, max) + `… (${s.length} chars)`;
  const elem = a.type === 'array' && a.value.length ? `<${a.value[0].type}>` : '';
  return `${s}  (${a.type}${elem})`;
}

function dump(file) {
  const decoded = decodeFile(file);
  const spans = flatSpans(decoded);
  console.log(`\n=== ${path.relative(FIXTURE_ROOT, file)} — ${spans.length} spans`);
  for (const rs of decoded.resourceSpans) {
    console.log('resource:');
    for (const [k, v] of Object.entries(rs.resource)) console.log(`    ${k} = ${fmt(v)}`);
  }
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const children = new Map();
  const roots = [];
  for (const s of spans) {
    if (s.parentSpanId && byId.has(s.parentSpanId)) {
      if (!children.has(s.parentSpanId)) children.set(s.parentSpanId, []);
      children.get(s.parentSpanId).push(s);
    } else roots.push(s);
  }
  const byStart = (a, b) => (BigInt(a.startTimeUnixNano) < BigInt(b.startTimeUnixNano) ? -1 : 1);
  const walk = (s, depth) => {
    const pad = '  '.repeat(depth);
    const parent = s.parentSpanId ? (byId.has(s.parentSpanId) ? '' : ` parent=${s.parentSpanId} (not in payload)`) : '';
    console.log(`${pad}- "${s.name}" kind=${KIND[s.kind] ?? s.kind} scope=${s.scope}@${s.scopeVersion} status=${s.status.code}${parent}`);
    console.log(`${pad}    trace=${s.traceId} span=${s.spanId}`);
    for (const [k, v] of Object.entries(s.attributes).sort(([a], [b]) => a.localeCompare(b))) console.log(`${pad}    ${k} = ${fmt(v)}`);
    for (const e of s.events) {
      console.log(`${pad}    event "${e.name}"`);
      for (const [k, v] of Object.entries(e.attributes)) console.log(`${pad}        ${k} = ${fmt(v)}`);
    }
    for (const c of (children.get(s.spanId) ?? []).sort(byStart)) walk(c, depth + 1);
  };
  for (const r of roots.sort(byStart)) walk(r, 0);
}

// Attributes worth asserting in Java tests (model, provider, usage, cost, tool, session, user, agent, kind).
const FACT_KEY = new RegExp([
  '^gen_ai\\.(operation\\.name|provider\\.name|system|request\\.model|request\\.stream|request\\.is_stream|response\\.model|response\\.id|response\\.finish_reasons|usage\\..*|agent\\.name|tool\\.name|tool\\.call\\.id|tool\\.type|tool\\.args|conversation\\.id|output\\.type)$',
  '^ai\\.(operationId|model\\.id|model\\.provider|response\\.model|response\\.id|response\\.finishReason|usage\\..*|telemetry\\..*|toolCall\\.name|toolCall\\.id|settings\\.context\\..*|settings\\.runtimeContext\\..*|response\\.providerMetadata)$',
  '^operation\\.(name|cost)$', '^resource\\.name$',
  '^llm\\.(system|provider|model_name|request\\.model_name|response\\.model_name|token_count\\..*|finish_reason|cost\\..*)$',
  '^embedding\\.model_name$', '^openinference\\.span\\.kind$', '^agent\\.name$', '^tool\\.(name|id)$', '^session\\.id$', '^user\\.id$',
  '^traceloop\\.(span\\.kind|entity\\.name|workflow\\.name|association\\.properties\\..*)$',
  '^langfuse\\.(observation\\.(type|model\\.name|usage_details|cost_details|metadata\\..*)|trace\\.name|environment|internal\\..*)$',
  '^telemetry\\.sdk\\.name$', '^server\\.address$',
].join('|'));
// Values that change from run to run: assert presence only.
const DYNAMIC_KEY = /(duration|msTo|time_to_first|time_per_output|avgOutputTokensPerSecond|timestamp|^server\.port$)/;

/** A draft MANIFEST.json entry for one capture (review it; do not paste blindly). */
export function facts(file) {
  const decoded = decodeFile(file);
  const spans = flatSpans(decoded);
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const byStart = (a, b) => (BigInt(a.startTimeUnixNano) < BigInt(b.startTimeUnixNano) ? -1 : 1);
  const kids = (id) => spans.filter((s) => s.parentSpanId === id || (!id && (!s.parentSpanId || !byId.has(s.parentSpanId)))).sort(byStart);
  const ordered = [];
  const walk = (s) => { ordered.push(s); kids(s.spanId).forEach(walk); };
  kids('').forEach(walk);
  const resource = {};
  for (const k of ['service.name', 'telemetry.sdk.name']) if (decoded.resourceSpans[0]?.resource[k]) resource[k] = plain(decoded.resourceSpans[0].resource[k]);
  return {
    encoding: file.endsWith('.json') ? 'json' : 'protobuf',
    spanCount: spans.length,
    traceCount: new Set(spans.map((s) => s.traceId)).size,
    resource,
    spans: ordered.map((s) => {
      const keys = Object.keys(s.attributes).filter((k) => FACT_KEY.test(k)).sort();
      const attributes = {}; const attributeTypes = {}; const present = [];
      for (const k of keys) {
        if (DYNAMIC_KEY.test(k)) { present.push(k); continue; }
        attributes[k] = plain(s.attributes[k]);
        if (s.attributes[k].type === 'int' || s.attributes[k].type === 'double') attributeTypes[k] = s.attributes[k].type;
      }
      for (const k of Object.keys(s.attributes)) if (DYNAMIC_KEY.test(k) && !present.includes(k)) present.push(k);
      const parent = s.parentSpanId ? byId.get(s.parentSpanId)?.name ?? null : null;
      return { name: s.name, kind: s.kind, scope: s.scope, parent, attributes, attributeTypes, present: present.sort() };
    }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const asJson = args.includes('--json');
  const asFacts = args.includes('--facts');
  const targets = args.filter((a) => !a.startsWith('--'));
  const files = (targets.length ? targets : [FIXTURE_ROOT]).flatMap((t) => listFixtures(path.resolve(t)));
  for (const f of files) {
    if (asFacts) console.log(JSON.stringify({ [path.relative(FIXTURE_ROOT, f)]: facts(f) }, null, 2));
    else if (asJson) console.log(JSON.stringify({ file: path.relative(FIXTURE_ROOT, f), ...decodeFile(f) }, null, 2));
    else dump(f);
  }
}
