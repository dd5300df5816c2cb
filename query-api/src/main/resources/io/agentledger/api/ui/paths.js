// Agents, and one agent's aggregated paths: the prefix tree of its runs' step sequences, as an
// indented tree with each branch's share of runs, cost and latency; compare= another version.
import { get, seg } from './api.js';
import { h } from './dom.js';
import { costText, duration, int, percent, usd } from './format.js';
import { go, href } from './nav.js';

const OPEN_DEPTH = 4;
const CHUNK = 100;

export async function agentsView() {
  const agents = (await get('/agents')).items || [];
  return h(
    'section',
    { class: 'agents' },
    h('h1', {}, 'Agents'),
    agents.length === 0
      ? h('p', { class: 'empty' }, 'No agents in the last 7 days.')
      : h(
          'table',
          { class: 'grid', id: 'agents-table' },
          h('thead', {}, h('tr', {}, h('th', {}, 'Agent'), h('th', {}, 'Versions'), h('th', { class: 'num' }, 'Chains'), h('th', { class: 'num' }, 'LLM calls'), h('th', { class: 'num' }, 'Tool calls'), h('th', { class: 'num' }, 'Cost (7 days)'))),
          h(
            'tbody',
            {},
            agents.map((a) =>
              h(
                'tr',
                { class: 'agent-row', dataset: { agent: a.agent ?? '' } },
                h('td', {}, a.agent ? h('a', { href: href(['agent', a.agent]) }, a.agent) : '(no agent)'),
                h('td', {}, (a.versions || []).join(', ') || '–'),
                h('td', { class: 'num' }, int(a.chains)),
                h('td', { class: 'num' }, int(a.llmCalls)),
                h('td', { class: 'num' }, int(a.toolCalls)),
                h('td', { class: a.costComplete === false ? 'num cost incomplete' : 'num cost', dataset: { costUsd: a.costUsd ?? '' } }, costText(a.costUsd, a.costComplete, a.unpricedCalls)),
              ),
            ),
          ),
        ),
  );
}

export async function agentView(agent, params) {
  const version = params.get('version') || '';
  const compare = params.get('compare') || '';
  const [paths, agents] = await Promise.all([
    get(`/agents/${seg(agent)}/paths`, { version, compare }),
    get('/agents').catch(() => ({ items: [] })),
  ]);
  const versions = ((agents.items || []).find((a) => a.agent === agent) || {}).versions || [];
  let other = compare ? compared(paths) : null;
  if (compare && !other) {
    // The answer had no compared tree we recognise: read the other version on its own.
    other = (await get(`/agents/${seg(agent)}/paths`, { version: compare })).root || null;
  }
  const root = paths.root;
  return h(
    'section',
    { class: 'paths', dataset: { agent } },
    h('p', { class: 'crumbs' }, h('a', { href: '#/agents' }, '← Agents')),
    h('h1', {}, agent, version ? ` · ${version}` : ''),
    versionForm(agent, versions, version, compare),
    h('p', { class: 'muted', id: 'paths-runs' }, `${int(paths.runs ?? root?.runs ?? 0)} runs${version ? ` of version ${version}` : ''}${compare ? `, compared with version ${compare} (${int(other?.runs ?? 0)} runs)` : ''}. Each row is a step; its children are what runs did next. Share is of all runs.`),
    !root || !root.runs
      ? h('p', { class: 'empty', id: 'paths-empty' }, 'No runs of this agent in the range yet (paths are derived when chains settle).')
      : pathTree(root, other, Boolean(compare)),
  );
}

/** The compared version's tree, under the names an answer may use. */
function compared(paths) {
  const c = paths.compare ?? paths.comparison ?? paths.other;
  return (c && (c.root ?? (c.step !== undefined ? c : null))) || paths.compareRoot || null;
}

function versionForm(agent, versions, version, compare) {
  const select = (name, value, label) =>
    h('label', {}, label, h('select', { name, id: `paths-${name}` }, h('option', { value: '' }, name === 'version' ? 'all versions' : 'none'), versions.map((v) => h('option', { value: v, selected: v === value }, v))));
  const form = h(
    'form',
    {
      class: 'filters',
      id: 'paths-form',
      onsubmit: (e) => {
        e.preventDefault();
        const data = new FormData(form);
        const next = {};
        for (const k of ['version', 'compare']) if (data.get(k)) next[k] = data.get(k);
        if (next.compare && !next.version) {
          // A comparison is between two versions: take another one than the compared.
          const other = versions.find((v) => v !== next.compare);
          if (other) next.version = other;
          else delete next.compare;
        }
        go(['agent', agent], next);
      },
    },
    select('version', version, 'Version'),
    select('compare', compare, 'Compare with'),
    h('button', { type: 'submit', id: 'paths-apply' }, 'Show'),
  );
  return form;
}

function pathTree(root, other, comparing) {
  const container = h('div', { class: 'tree path-tree', id: 'path-tree', role: 'tree' });
  container.append(
    h(
      'div',
      { class: 'tree-row path-row tree-head' },
      h('span', {}, 'Step'),
      h('span', {}, 'Share of runs'),
      h('span', { class: 'num' }, 'Runs'),
      comparing ? h('span', { class: 'num' }, 'Δ share') : h('span', {}, ''),
      h('span', { class: 'num' }, 'Cost mean · p95'),
      h('span', { class: 'num' }, 'Latency mean · p95'),
      h('span', { class: 'num' }, 'Errors'),
      h('span', {}, 'Example'),
    ),
  );
  const total = root.runs || 1;
  const otherTotal = other?.runs || 1;
  addBranches(container, root.children && root.children.length && isSyntheticRoot(root) ? root.children : [root], other && isSyntheticRoot(other) ? other.children || [] : other ? [other] : [], 0, total, otherTotal, comparing);
  return container;
}

/** A root without a step of its own ("", "start", "root") only gathers the runs' first steps. */
function isSyntheticRoot(n) {
  return !n.step || n.step === 'start' || n.step === 'root' || n.step === '(start)';
}

function addBranches(container, nodes, others, depth, total, otherTotal, comparing, from = 0) {
  const sorted = from === 0 ? [...nodes].sort((a, b) => b.runs - a.runs) : nodes;
  const byStep = new Map(others.map((o) => [o.step, o]));
  const end = Math.min(sorted.length, from + CHUNK);
  for (let i = from; i < end; i++) container.append(...branch(sorted[i], byStep.get(sorted[i].step), depth, total, otherTotal, comparing));
  if (from === 0 && comparing) {
    // Branches only the compared version took: gone in this one.
    const mine = new Set(nodes.map((n) => n.step));
    for (const o of others) if (!mine.has(o.step)) container.append(gone(o, depth, otherTotal));
  }
  if (end < sorted.length) {
    const more = h('button', { type: 'button', class: 'tree-more' }, `Show ${int(sorted.length - end)} more branches`);
    more.addEventListener('click', () => {
      more.remove();
      addBranches(container, sorted, others, depth, total, otherTotal, comparing, end);
    });
    container.append(more);
  }
}

function branch(n, o, depth, total, otherTotal, comparing) {
  const kids = n.children || [];
  const share = n.share ?? n.runs / total;
  const otherShare = o ? o.share ?? o.runs / otherTotal : 0;
  const delta = n.shareDelta ?? (comparing ? share - otherShare : null);
  const group = h('div', { class: 'tree-group', role: 'group' });
  group.hidden = true;
  const toggle = h('button', { type: 'button', class: 'toggle', disabled: kids.length === 0 }, kids.length ? '▸' : '');
  let built = false;
  const setOpen = (open) => {
    if (open && !built) {
      addBranches(group, kids, o?.children || [], depth + 1, total, otherTotal, comparing);
      built = true;
    }
    group.hidden = !open;
    toggle.textContent = kids.length ? (open ? '▾' : '▸') : '';
  };
  toggle.addEventListener('click', () => setOpen(group.hidden));
  const bar = h('span', { class: 'share-bar' }, h('span', { class: 'share-fill' }), h('span', { class: 'share-text' }, percent(share)));
  bar.firstChild.style.width = `${Math.max(0, Math.min(1, share)) * 100}%`;
  const example = (n.exampleTraceIds || [])[0];
  const row = h(
    'div',
    { class: `tree-row path-row${n.errorRate > 0 ? ' has-errors' : ''}`, role: 'treeitem', dataset: { step: n.step, runs: n.runs, share, depth } },
    h('span', { class: 'name' }, toggle, h('span', { class: 'label', title: n.step }, n.step)),
    bar,
    h('span', { class: 'num runs' }, int(n.runs)),
    h('span', { class: `num delta${delta > 0.005 ? ' up' : delta < -0.005 ? ' down' : ''}` }, delta === null ? '' : `${delta >= 0 ? '+' : '−'}${(Math.abs(delta) * 100).toFixed(1)} pp`),
    h('span', { class: 'num cost', dataset: { costMean: n.costUsd?.mean ?? '' } }, stat(n.costUsd, usd)),
    h('span', { class: 'num' }, stat(n.durationMs, duration)),
    h('span', { class: 'num' }, n.errorRate ? percent(n.errorRate) : '0'),
    h('span', {}, example ? h('a', { href: href(['chain', example]), title: example }, 'chain') : ''),
  );
  row.style.setProperty('--depth', depth);
  if (depth < OPEN_DEPTH && kids.length) setOpen(true);
  return [row, group];
}

/** A branch of the compared version that this version never took. */
function gone(o, depth, otherTotal) {
  const share = o.share ?? o.runs / otherTotal;
  const delta = o.shareDelta ?? -share;
  const row = h(
    'div',
    { class: 'tree-row path-row gone', role: 'treeitem', dataset: { step: o.step, runs: 0, share: 0, depth }, title: `only in the compared version: ${int(o.runs)} of its runs` },
    h('span', { class: 'name' }, h('span', { class: 'toggle' }), h('span', { class: 'label' }, o.step), h('span', { class: 'badge' }, 'not taken')),
    h('span', { class: 'share-bar' }, h('span', { class: 'share-text' }, `0% (was ${percent(share)})`)),
    h('span', { class: 'num runs' }, '0'),
    h('span', { class: `num delta${delta < -0.005 ? ' down' : ''}` }, `${delta >= 0 ? '+' : '−'}${(Math.abs(delta) * 100).toFixed(1)} pp`),
    h('span', { class: 'num' }, '–'),
    h('span', { class: 'num' }, '–'),
    h('span', { class: 'num' }, '–'),
    h('span', {}, ''),
  );
  row.style.setProperty('--depth', depth);
  return row;
}

function stat(q, fmt) {
  if (!q || q.mean === undefined || q.mean === null) return '–';
  return `${fmt(q.mean)} · ${fmt(q.p95)}`;
}
