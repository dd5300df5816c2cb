// The decision graph as SVG, laid out left to right in layers (see layout): depth of calls from
// left to right, the steps of one caller in time order from top to bottom.
import { h, s } from './dom.js';
import { duration, int, usd } from './format.js';

const W = 190;
const H = 58;
const GAP_X = 70;
const GAP_Y = 26;
const PAD = 20;
/** A fitted graph is drawn at least this large (half size); a wider one scrolls. */
const MIN_SCALE = 0.5;
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
  const width = Math.max(...[...pos.values()].map((p) => p.x)) + W + 2 * PAD + 60;
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
  // Fitted to the panel by default, but never below MIN_SCALE (labels stay legible): a graph wider
  // than that scrolls. The CSSOM, not a style attribute, which the page's policy refuses.
  svg.style.minWidth = `${Math.round(width * MIN_SCALE)}px`;
  const scroll = h('div', { class: 'graph-scroll fit' }, svg);
  const fit = h('button', { type: 'button', id: 'graph-fit', class: 'small' }, 'Actual size');
  fit.addEventListener('click', () => {
    const fitted = scroll.classList.toggle('fit');
    fit.textContent = fitted ? 'Actual size' : 'Fit to width';
  });
  return h('div', {}, h('div', { class: 'graph-tools' }, legend(), fit), scroll);
}

/** Edges that order steps in time (drawn top to bottom within a layer), not deeper calls. */
const SEQUENCE = new Set(['next', 'retry']);

/**
 * id → {x, y, layer, index}. Depth goes left to right: a node is one layer right of what called
 * it (calls, chose, handoff); the steps of one caller share a layer, in time order top to bottom
 * (next, retry). Edges closing a cycle (a retry back to an earlier step) are left out of layering.
 */
export function layout(nodes, edges) {
  const out = new Map(nodes.map((n) => [n.id, []]));
  const inDegree = new Map(nodes.map((n) => [n.id, 0]));
  for (const e of edges) {
    out.get(e.source).push(e);
    inDegree.set(e.target, inDegree.get(e.target) + 1);
  }
  // Depth-first from the roots (then from anything unreached), iteratively: edges to a node still
  // on the stack close a cycle. The visiting order is also the vertical order's tie-break.
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
  // Longest path over the acyclic rest in topological order (Kahn): a call adds a layer, a
  // sequence edge keeps the layer.
  const pending = new Map(nodes.map((n) => [n.id, 0]));
  for (const e of edges) if (!back.has(e)) pending.set(e.target, pending.get(e.target) + 1);
  const layer = new Map(nodes.map((n) => [n.id, 0]));
  const rank = new Map(order.map((id, i) => [id, i]));
  const ready = order.filter((id) => pending.get(id) === 0);
  const callers = new Map(nodes.map((n) => [n.id, []]));
  const topo = [];
  while (ready.length) {
    const id = ready.shift();
    topo.push(id);
    for (const e of out.get(id)) {
      if (back.has(e)) continue;
      const step = SEQUENCE.has(e.kind) ? 0 : 1;
      if (step) callers.get(e.target).push(id);
      layer.set(e.target, Math.max(layer.get(e.target), layer.get(id) + step));
      pending.set(e.target, pending.get(e.target) - 1);
      if (pending.get(e.target) === 0) ready.push(e.target);
    }
  }
  // Vertical order: by the position of the callers (so a caller's steps sit by it), then in time
  // (topological, then visiting order).
  const topoRank = new Map(topo.map((id, i) => [id, i]));
  const layers = [];
  for (const id of order) (layers[layer.get(id)] ||= []).push(id);
  const index = new Map();
  layers.forEach((ids, l) => {
    const weight = new Map(
      ids.map((id) => {
        const c = callers.get(id).filter((q) => layer.get(q) < l);
        return [id, c.length ? c.reduce((sum, q) => sum + index.get(q), 0) / c.length : -1];
      }),
    );
    ids.sort((a, b) => weight.get(a) - weight.get(b) || topoRank.get(a) - topoRank.get(b) || rank.get(a) - rank.get(b));
    ids.forEach((id, i) => index.set(id, i));
  });
  // A caller lines up with its first step where the column above is free.
  const pos = new Map();
  layers.forEach((ids) => {
    let y = PAD;
    for (const id of ids) {
      const c = callers.get(id).map((q) => pos.get(q)).filter(Boolean);
      const want = c.length ? Math.min(...c.map((p) => p.y)) : PAD;
      y = Math.max(y, want);
      pos.set(id, { x: PAD + layer.get(id) * (W + GAP_X), y, layer: layer.get(id), index: index.get(id) });
      y += H + GAP_Y;
    }
  });
  return pos;
}

function markers() {
  const defs = s('defs');
  for (const kind of Object.keys(EDGE_KINDS)) {
    defs.append(
      s(
        'marker',
        { id: `arrow-${kind}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerUnits: 'userSpaceOnUse', markerWidth: 10, markerHeight: 10, orient: 'auto-start-reverse' },
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
    const mid = x1 + GAP_X / 2;
    d = `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`;
  } else if (b.layer === a.layer && b.y > a.y && b.index === a.index + 1) {
    // The next step right below: a short arrow down.
    d = `M${a.x + W / 2},${a.y + H} L${b.x + W / 2},${b.y}`;
  } else if (b.layer === a.layer) {
    // A step further down, or back up (a retry of an earlier step): a bracket on the right.
    const reach = 24 + Math.min(40, Math.abs(b.index - a.index) * 6);
    const x = a.x + W;
    d = `M${x},${a.y + H / 2 - 8} C${x + reach},${a.y + H / 2 - 8} ${x + reach},${b.y + H / 2 + 8} ${x},${b.y + H / 2 + 8}`;
  } else {
    // Back to an earlier layer: arc below both nodes.
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
      return n.server ? `${n.tool} @ ${n.server}` : n.tool;
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
  if (n.server) lines.push(`MCP server: ${n.server}`);
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
