// The span tree, collapsible. Large chains stay responsive: levels below OPEN_DEPTH start closed,
// and so does everything once AUTO_OPEN_ROWS rows are shown; children are built only when their
// parent is first opened, and at most CHUNK siblings at a time (a "show more" row adds the next).
import { h } from './dom.js';
import { duration, int, totalTokens, usd } from './format.js';

export const OPEN_DEPTH = 2;
export const CHUNK = 100;
export const AUTO_OPEN_ROWS = 300;

const SOURCES = {
  reported: 'reported by the client',
  computed: 'computed from the price catalog',
  estimated: 'estimated from the text (no usage reported)',
  unknown: 'no known price: not in the total',
  none: 'no cost of its own',
  rollup: "its usage repeats its children's and is not counted",
};

/**
 * @param roots the tree's roots (with the levels the answer holds)
 * @param loadChildren for a lazily opened tree, spanId → Promise of that span's children (with
 *     the levels below them that one request holds); null when the tree is whole
 * @param servers spanId → the MCP server that served that tool call (from the decision tree)
 */
export function spanTree(roots, loadChildren = null, servers = new Map()) {
  const list = h('div', { class: 'tree', id: 'span-tree', role: 'tree' });
  list.append(header());
  addNodes(list, roots, 0, { rows: 0, partial: partial(roots), loadChildren, servers });
  return list;
}

/** The nodes whose total misses a cost nobody knows (their own or a descendant's). */
function partial(roots) {
  const all = [];
  const stack = [...roots];
  while (stack.length) {
    const n = stack.pop();
    all.push(n);
    stack.push(...(n.children || []));
  }
  const out = new Set();
  for (let i = all.length - 1; i >= 0; i--) {
    const n = all[i];
    if (n.costSource === 'unknown' || (n.children || []).some((c) => out.has(c))) out.add(n);
  }
  return out;
}

function header() {
  return h(
    'div',
    { class: 'tree-row tree-head' },
    h('span', {}, 'Span'),
    h('span', {}, 'Type'),
    h('span', {}, 'Agent · model'),
    h('span', { class: 'num' }, 'Latency'),
    h('span', { class: 'num' }, 'Tokens'),
    h('span', { class: 'num' }, 'Own cost'),
    h('span', {}, 'How'),
    h('span', { class: 'num' }, 'Total'),
  );
}

/** Appends nodes[from, from + CHUNK) to container, then a "show more" row if some are left. */
function addNodes(container, nodes, depth, shown, from = 0) {
  const end = Math.min(nodes.length, from + CHUNK);
  const fragment = document.createDocumentFragment();
  for (let i = from; i < end; i++) fragment.append(...node(nodes[i], depth, shown));
  if (end < nodes.length) {
    const more = h(
      'button',
      { type: 'button', class: 'tree-more' },
      `Show ${int(Math.min(CHUNK, nodes.length - end))} more of ${int(nodes.length - end)} remaining`,
    );
    more.style.marginLeft = `${depth * 1.25 + 1.5}rem`;
    more.addEventListener('click', () => {
      more.remove();
      addNodes(container, nodes, depth, shown, end);
    });
    fragment.append(more);
  }
  container.append(fragment);
}

/** A span's row and the (initially empty) group its children go into. */
function node(n, depth, shown) {
  shown.rows++;
  const kids = n.children || [];
  const hasKids = kids.length > 0 || n.omittedChildren > 0;
  const group = h('div', { class: 'tree-group', role: 'group' });
  const lazy = kids.length === 0 && n.omittedChildren > 0 && shown.loadChildren;
  const toggle = h('button', { type: 'button', class: 'toggle', 'aria-label': 'expand', disabled: !(kids.length > 0 || lazy) }, hasKids ? '▸' : '');
  let built = false;
  const setOpen = (open) => {
    if (open && !built && lazy) {
      built = true;
      const loading = h('div', { class: 'tree-loading muted' }, `Loading ${int(n.omittedChildren)} children…`);
      group.append(loading);
      shown
        .loadChildren(n.spanId)
        .then((children) => {
          loading.remove();
          addNodes(group, children, depth + 1, shown);
        })
        .catch((e) => {
          loading.textContent = `Children unavailable: ${e.message}`;
          built = false;
        });
    } else if (open && !built) {
      addNodes(group, kids, depth + 1, shown);
      if (n.omittedChildren > 0) group.append(h('div', { class: 'tree-omitted muted' }, `${int(n.omittedChildren)} more children not in this answer`));
      built = true;
    }
    group.hidden = !open;
    row.setAttribute('aria-expanded', String(open));
    toggle.textContent = open ? '▾' : '▸';
  };
  toggle.addEventListener('click', (e) => {
    e.stopPropagation();
    setOpen(group.hidden || !built);
  });
  const costSource = n.costSource || 'none';
  const row = h(
    'div',
    {
      class: `tree-row span-row type-${n.type} status-${n.status}`,
      role: 'treeitem',
      dataset: { spanId: n.spanId, depth, children: kids.length || (lazy ? n.omittedChildren : 0) },
    },
    h('span', { class: 'name' }, toggle, h('span', { class: 'label', title: n.name }, n.name)),
    h('span', {}, h('span', { class: `badge type-${n.type}` }, n.type)),
    who(n, shown.servers.get(n.spanId)),
    h('span', { class: 'num' }, duration(n.durationMs)),
    h('span', { class: 'num', title: usage(n.usage) }, totalTokens(n.usage) ? int(totalTokens(n.usage)) : '–'),
    h('span', { class: n.costUsd === null ? 'num cost-own incomplete' : 'num cost-own', dataset: { costUsd: n.costUsd ?? '' } }, n.costUsd === null ? 'unknown' : usd(n.costUsd)),
    h('span', { class: `cost-source source-${costSource}`, title: [SOURCES[costSource], n.pricedAs && `priced as ${n.pricedAs}`, n.costDetail].filter(Boolean).join('; ') }, costSource),
    shown.partial.has(n)
      ? h('span', { class: 'num cost-total incomplete', dataset: { costUsd: n.totalCostUsd ?? '' }, title: 'a call below has no known price: the total is at least this much' }, `≥ ${usd(n.totalCostUsd ?? 0)}`)
      : h('span', { class: 'num cost-total', dataset: { costUsd: n.totalCostUsd ?? '' } }, usd(n.totalCostUsd)),
  );
  row.style.setProperty('--depth', depth);
  group.hidden = true;
  if (kids.length && depth < OPEN_DEPTH && shown.rows < AUTO_OPEN_ROWS) setOpen(true);
  else row.setAttribute('aria-expanded', 'false');
  row.addEventListener('click', () => (kids.length || lazy) && setOpen(group.hidden || !built));
  return [row, group];
}

/** Agent · model, or agent · tool and the MCP server that served it. */
function who(n, server) {
  const text = [n.agent, n.model || n.toolName].filter(Boolean).join(' · ') || '–';
  if (!server) return h('span', { class: 'who' }, text);
  return h('span', { class: 'who' }, text, ' ', h('span', { class: 'badge mcp-server', title: 'served by this MCP server', dataset: { server } }, `MCP ${server}`));
}

function usage(u) {
  if (!u) return '';
  return `input ${int(u.inputTokens)}, output ${int(u.outputTokens)}, cache read ${int(u.cacheReadTokens)}, cache write ${int(u.cacheWriteTokens)}, reasoning ${int(u.reasoningTokens)}`;
}
