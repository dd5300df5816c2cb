// The decision graph as SVG, laid out left to right in layers: a node's layer is the longest path
// to it from a root, ignoring edges that close a cycle (a retry pointing back); nodes within a
// layer are ordered by the mean position of their predecessors so edges cross less.
import { h, s } from './dom.js';
import { duration, int, usd } from './format.js';

const W = 190;
const H = 58;
const GAP_X = 70;
const GAP_Y = 18;
const PAD = 20;
/** Beyond this many nodes the drawing would stop being readable or quick: say so instead. */
export const MAX_DRAWN = 2000;

export const EDGE_KINDS = {
  calls: 'calls (an agent or model call runs it)',
  chose: 'chose (the model chose this tool)',
  handoff: 'handoff (control passes to another agent)',
  next: 'next (the following step)',
  retry: 'retry (the step is tried again)',
};

/** Accepts API.md's shape and the older {from, to, label} edges. */
function edgesOf(tree, ids) {
  return (tree.edges || [])
    .map((e) => ({ source: e.source ?? e.from, target: e.target ?? e.to, kind: e.kind ?? e.label ?? 'calls' }))
    .filter((e) => ids.has(e.source) && ids.has(e.target));
}

export function decisionGraph(tree) {
  const nodes = tree.nodes || [];
  if (nodes.length === 0) {
    return h('p', { class: 'empty', id: 'graph-empty' }, 'No decision graph for this chain yet (it is derived when the chain settles).');
  }
  if (nodes.length > MAX_DRAWN || tree.more) {
    return h('p', { class: 'warning', id: 'graph-too-large' }, `This chain's decision graph has more than ${int(MAX_DRAWN)} nodes: too many to draw readably. The span tree below shows every step.`);
  }
  const ids = new Set(nodes.map((n) => n.id));
  const edges = edgesOf(tree, ids);
  const pos = layout(nodes, edges);
  const width = Math.max(...[...pos.values()].map((p) => p.x)) + W + 2 * PAD;
  const height = Math.max(...[...pos.values()].map((p) => p.y)) + H + 2 * PAD + 40;

  const svg = s('svg', {
    id: 'decision-graph',
    class: 'decision-graph',
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-label': `Decision graph: ${nodes.length} nodes, ${edges.length} edges`,
    dataset: { nodes: nodes.length, edges: edges.length },
  });
  svg.append(markers());
  const edgeLayer = s('g', { class: 'dg-edges' });
  const nodeLayer = s('g', { class: 'dg-nodes' });
  svg.append(edgeLayer, nodeLayer);
  for (const e of edges) edgeLayer.append(edge(e, pos.get(e.source), pos.get(e.target)));
  for (const n of nodes) nodeLayer.append(node(n, pos.get(n.id)));
  const scroll = h('div', { class: 'graph-scroll' }, svg);
  const fit = h('button', { type: 'button', id: 'graph-fit', class: 'small' }, 'Fit to width');
  fit.addEventListener('click', () => {
    const fitted = scroll.classList.toggle('fit');
    fit.textContent = fitted ? 'Actual size' : 'Fit to width';
  });
  return h('div', {}, h('div', { class: 'graph-tools' }, legend(), fit), scroll);
}

/** id → {x, y, layer} */
export function layout(nodes, edges) {
  const out = new Map(nodes.map((n) => [n.id, []]));
  const inDegree = new Map(nodes.map((n) => [n.id, 0]));
  for (const e of edges) {
    out.get(e.source).push(e);
    inDegree.set(e.target, inDegree.get(e.target) + 1);
  }
  // Depth-first from the roots (then from anything unreached), iteratively: edges to a node still
  // on the stack close a cycle and do not count for layering.
  const state = new Map();
  const order = [];
  const back = new Set();
  const starts = [...nodes.filter((n) => inDegree.get(n.id) === 0), ...nodes].map((n) => n.id);
  for (const start of starts) {
    if (state.has(start)) continue;
    const stack = [[start, 0]];
    state.set(start, 'open');
    order.push(start);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const next = out.get(top[0])[top[1]++];
      if (!next) {
        state.set(top[0], 'done');
        stack.pop();
      } else if (state.get(next.target) === 'open') {
        back.add(next);
      } else if (!state.has(next.target)) {
        state.set(next.target, 'open');
        order.push(next.target);
        stack.push([next.target, 0]);
      }
    }
  }
  // Longest path over the acyclic rest, in topological order (Kahn).
  const forward = edges.filter((e) => !back.has(e));
  const pending = new Map(nodes.map((n) => [n.id, 0]));
  for (const e of forward) pending.set(e.target, pending.get(e.target) + 1);
  const layer = new Map(nodes.map((n) => [n.id, 0]));
  const rank = new Map(order.map((id, i) => [id, i]));
  const ready = order.filter((id) => pending.get(id) === 0);
  const preds = new Map(nodes.map((n) => [n.id, []]));
  while (ready.length) {
    const id = ready.shift();
    for (const e of out.get(id)) {
      if (back.has(e)) continue;
      preds.get(e.target).push(id);
      layer.set(e.target, Math.max(layer.get(e.target), layer.get(id) + 1));
      pending.set(e.target, pending.get(e.target) - 1);
      if (pending.get(e.target) === 0) ready.push(e.target);
    }
  }
  const layers = [];
  for (const id of order) (layers[layer.get(id)] ||= []).push(id);
  const index = new Map();
  layers.forEach((ids, l) => {
    if (l > 0) {
      const weight = (id) => {
        const p = preds.get(id).filter((q) => layer.get(q) < l);
        return p.length ? p.reduce((sum, q) => sum + index.get(q), 0) / p.length : rank.get(id);
      };
      const w = new Map(ids.map((id) => [id, weight(id)]));
      ids.sort((a, b) => w.get(a) - w.get(b) || rank.get(a) - rank.get(b));
    }
    ids.forEach((id, i) => index.set(id, i));
  });
  const pos = new Map();
  layers.forEach((ids, l) =>
    ids.forEach((id, i) => pos.set(id, { x: PAD + l * (W + GAP_X), y: PAD + i * (H + GAP_Y), layer: l })),
  );
  return pos;
}

function markers() {
  const defs = s('defs');
  for (const kind of Object.keys(EDGE_KINDS)) {
    defs.append(
      s(
        'marker',
        { id: `arrow-${kind}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
        s('path', { d: 'M0,0 L10,5 L0,10 z', class: `dg-arrow kind-${kind}` }),
      ),
    );
  }
  return defs;
}

function edge(e, a, b) {
  let d;
  if (b.layer > a.layer) {
    const x1 = a.x + W;
    const y1 = a.y + H / 2;
    const x2 = b.x;
    const y2 = b.y + H / 2;
    const mid = (x1 + x2) / 2;
    d = `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`;
  } else {
    // Backwards or within a layer (a retry, a loop): arc below both nodes.
    const x1 = a.x + W / 2;
    const y1 = a.y + H;
    const x2 = b.x + W / 2;
    const y2 = b.y + H;
    const low = Math.max(y1, y2) + 30;
    d = `M${x1},${y1} C${x1},${low} ${x2},${low} ${x2},${y2}`;
  }
  const known = EDGE_KINDS[e.kind] ? e.kind : 'calls';
  return s(
    'path',
    { d, class: `dg-edge kind-${known}`, 'marker-end': `url(#arrow-${known})`, dataset: { kind: e.kind, source: e.source, target: e.target } },
    s('title', {}, `${e.kind}: ${e.source} → ${e.target}`),
  );
}

function node(n, p) {
  const status = n.status === 'error' || n.kind === 'error' ? 'error' : n.status === 'ok' ? 'ok' : 'unset';
  const cost = n.totalCostUsd !== undefined && n.totalCostUsd !== null && n.totalCostUsd !== n.costUsd ? `${usd(n.costUsd)} · Σ ${usd(n.totalCostUsd)}` : n.costUsd === undefined ? '' : usd(n.costUsd);
  const g = s(
    'g',
    { class: `dg-node kind-${n.kind} status-${status}`, transform: `translate(${p.x},${p.y})`, dataset: { id: n.id, kind: n.kind, spanId: n.spanId, costUsd: n.costUsd ?? '' } },
    s('title', {}, details(n)),
    s('rect', { width: W, height: H, rx: 6, class: 'dg-box' }),
    s('rect', { width: 6, height: H, rx: 2, class: 'dg-stripe' }),
    s('text', { x: 14, y: 20, class: 'dg-label' }, clip(n.label || n.id, 26)),
    s('text', { x: 14, y: 37, class: 'dg-kind' }, clip([n.kind, subtitle(n)].filter(Boolean).join(' · '), 30)),
    s('text', { x: 14, y: 52, class: 'dg-cost' }, clip([cost, n.durationMs !== undefined ? duration(n.durationMs) : ''].filter(Boolean).join(' · '), 30)),
  );
  if (n.spanId) g.addEventListener('click', () => highlightSpan(n.spanId));
  return g;
}

function subtitle(n) {
  switch (n.kind) {
    case 'llm':
      return n.model;
    case 'tool':
      return n.tool;
    case 'handoff':
      return n.from && n.to ? `${n.from} → ${n.to}` : n.to;
    case 'decision':
      return n.choice;
    case 'approval':
      return n.outcome;
    default:
      return n.agent;
  }
}

function details(n) {
  const lines = [`${n.kind}: ${n.label}`];
  if (n.agent) lines.push(`agent: ${n.agent}`);
  if (n.model) lines.push(`model: ${n.model}${n.finishReason ? ` (${n.finishReason})` : ''}`);
  if (n.chosenTools && n.chosenTools.length) lines.push(`chose: ${n.chosenTools.map((t) => (typeof t === 'string' ? t : t.name)).join(', ')}`);
  if (n.options) lines.push(`options: ${n.options.join(', ')}; chose ${n.choice}${n.reason ? ` (${n.reason})` : ''}`);
  if (n.outcome) lines.push(`approval: ${n.outcome}${n.by ? ` by ${n.by}` : ''}${n.waitMs !== undefined ? ` after ${duration(n.waitMs)}` : ''}`);
  if (n.arguments) lines.push(`arguments: ${n.arguments}`);
  lines.push(`status: ${n.status || 'unset'}`);
  if (n.costUsd !== undefined) lines.push(`cost: ${usd(n.costUsd)}; with what it called: ${usd(n.totalCostUsd)}`);
  return lines.join('\n');
}

function clip(text, max) {
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}

function highlightSpan(spanId) {
  const row = document.querySelector(`.span-row[data-span-id="${CSS.escape(spanId)}"]`);
  if (!row) return;
  document.querySelectorAll('.span-row.highlight').forEach((r) => r.classList.remove('highlight'));
  row.classList.add('highlight');
  row.scrollIntoView({ block: 'center' });
}

function legend() {
  const sample = (kind) =>
    s('svg', { width: 44, height: 12, class: 'legend-line' }, s('path', { d: 'M2,6 L40,6', class: `dg-edge kind-${kind}`, 'marker-end': `url(#arrow-${kind})` }));
  return h(
    'div',
    { class: 'legend', id: 'graph-legend' },
    h('span', { class: 'legend-title' }, 'Edges:'),
    Object.entries(EDGE_KINDS).map(([kind, text]) => h('span', { class: 'legend-item', dataset: { kind } }, sample(kind), text)),
    h('span', { class: 'legend-title' }, 'Status:'),
    ['ok', 'error', 'unset'].map((st) => h('span', { class: `legend-item legend-status status-${st}` }, h('span', { class: 'swatch' }), st)),
  );
}
