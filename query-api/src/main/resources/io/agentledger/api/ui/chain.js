// One chain: its totals, cost by agent and by model, the span tree and the decision graph.
import { get, seg } from './api.js';
import { h } from './dom.js';
import { costCell } from './chains.js';
import { costText, duration, int, time, tokens, usd } from './format.js';
import { href } from './nav.js';
import { spanTree } from './tree.js';
import { decisionGraph, MAX_DRAWN } from './graph.js';

/** Chains with more spans than this open their tree lazily, a few levels per request. */
export const LAZY_SPANS = 10000;
/** Levels asked for at first (the roots and two levels below), and per opened span. */
const FIRST_LEVELS = 3;
const MORE_LEVELS = 2;

export async function chainView(traceId) {
  const [chain, decisions] = await Promise.all([
    chainOf(traceId),
    decisionsOf(traceId).catch((e) => ({ failed: e })),
  ]);
  const loadChildren = async (spanId) => (await get(`/chains/${seg(traceId)}`, { parent: spanId, depth: MORE_LEVELS })).tree || [];
  if (decisions.failed && decisions.failed.name === 'Unauthorized') throw decisions.failed;
  return h(
    'section',
    { class: 'chain', dataset: { traceId } },
    h('p', { class: 'crumbs' }, h('a', { href: '#/chains' }, '← Chains')),
    h('h1', {}, chain.name || traceId, ' ', h('span', { class: `badge status-${chain.status}` }, chain.status)),
    summary(chain),
    h(
      'div',
      { class: 'columns' },
      h('section', { class: 'panel' }, h('h2', {}, 'Cost by agent'), byAgent(chain.byAgent || [])),
      h('section', { class: 'panel' }, h('h2', {}, 'Cost by model'), byModel(chain.byModel || [])),
    ),
    h('section', { class: 'panel', id: 'decisions' }, h('h2', {}, 'Decision graph'), decisions.failed ? h('p', { class: 'error' }, `Decisions unavailable: ${decisions.failed.message}`) : decisionGraph(decisions)),
    h(
      'section',
      { class: 'panel', id: 'spans' },
      h('h2', {}, 'Spans'),
      chain.lazy
        ? h('p', { class: 'muted', id: 'tree-lazy' }, `A large chain (${int(chain.spanCount)} spans): its tree opens level by level as you expand it (totals cover every span).`)
        : chain.treeTruncated ? h('p', { class: 'warning', id: 'tree-truncated' }, `This chain has more spans than one answer holds: the tree shows ${int(chain.treeSpans)} of ${int(chain.spanCount)} (totals cover them all).`) : null,
      spanTree(chain.tree || [], chain.lazy ? loadChildren : null, decisions.failed ? new Map() : mcpServers(decisions)),
    ),
  );
}

/**
 * The chain with the first levels of its tree; a small chain's tree is then read whole (one more
 * request only when it is deeper than the first levels), a large one's stays lazy.
 */
async function chainOf(traceId) {
  const path = `/chains/${seg(traceId)}`;
  const first = await get(path, { depth: FIRST_LEVELS });
  if (!first.treeTruncated) return first;
  if (first.spanCount <= LAZY_SPANS) return get(path);
  return { ...first, lazy: true };
}

/** spanId → the MCP server that served the tool call, as the decision tree names it. */
function mcpServers(decisions) {
  return new Map((decisions.nodes || []).filter((n) => n.kind === 'tool' && n.server && n.spanId).map((n) => [n.spanId, n.server]));
}

/** The decision tree, following nextCursor while a drawing is still possible. */
async function decisionsOf(traceId) {
  const path = `/chains/${seg(traceId)}/decisions`;
  const first = await get(path);
  const tree = { nodes: [...(first.nodes || [])], edges: [...(first.edges || [])] };
  let cursor = first.nextCursor;
  while (cursor && tree.nodes.length <= MAX_DRAWN) {
    const page = await get(path, { cursor });
    tree.nodes.push(...(page.nodes || []));
    tree.edges.push(...(page.edges || []));
    cursor = page.nextCursor;
  }
  tree.more = Boolean(cursor);
  return tree;
}

function summary(c) {
  const item = (label, value, attrs = {}) => h('div', { class: 'stat', ...attrs }, h('span', { class: 'label' }, label), value);
  return h(
    'div',
    { class: 'stats' },
    item('Cost', costCell(c, 'span'), { id: 'chain-cost' }),
    item('Tools and sandboxes', h('span', { dataset: { costUsd: c.toolCostUsd ?? '' }, title: "part of the cost priced by the project's tool and sandbox prices" }, usd(c.toolCostUsd ?? 0)), { id: 'chain-tool-cost' }),
    item('Tokens', h('span', {}, tokens(c.usage))),
    item('Spans', h('span', {}, `${int(c.spanCount)} · ${int(c.llmCalls)} LLM · ${int(c.toolCalls)} tool`)),
    item('Duration', h('span', {}, duration(c.durationMs))),
    item('Start (UTC)', h('span', {}, time(c.startTime))),
    item('Service', h('span', {}, [c.service, c.serviceVersion].filter(Boolean).join(' ') || '–')),
    item('Agent', c.agent ? h('a', { href: href(['agent', c.agent]) }, c.agent) : h('span', {}, '–')),
    item('Session', c.sessionId ? h('a', { href: href(['chains'], { sessionId: c.sessionId }) }, c.sessionId) : h('span', {}, '–')),
    item('Workflow', c.workflowId ? h('a', { href: href(['chains'], { workflowId: c.workflowId }) }, c.workflowId) : h('span', {}, '–'), { id: 'chain-workflow' }),
    item('Trace', h('code', {}, c.traceId)),
  );
}

function byAgent(rows) {
  if (rows.length === 0) return h('p', { class: 'empty' }, 'No agent spans.');
  return h(
    'table',
    { class: 'grid', id: 'by-agent' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Agent'), h('th', { class: 'num', title: 'spent by the agent itself' }, 'Exclusive'), h('th', { class: 'num', title: 'the agent and everything it called' }, 'Inclusive'), h('th', { class: 'num' }, 'LLM calls'), h('th', { class: 'num' }, 'Tool calls'), h('th', { class: 'num', title: 'part of the inclusive cost priced by tool and sandbox prices' }, 'Tools $'), h('th', {}, 'Tokens'))),
    h(
      'tbody',
      {},
      rows.map((a) =>
        h(
          'tr',
          { dataset: { agent: a.agent ?? '' } },
          h('td', {}, a.agent ? h('a', { href: href(['agent', a.agent]) }, a.agent) : '(no agent)'),
          h('td', { class: a.unpricedCalls ? 'num exclusive cost incomplete' : 'num exclusive', dataset: { costUsd: a.exclusiveCostUsd ?? '' } }, costText(a.exclusiveCostUsd, !a.unpricedCalls, a.unpricedCalls)),
          h('td', { class: 'num inclusive', dataset: { costUsd: a.inclusiveCostUsd ?? '' } }, usd(a.inclusiveCostUsd)),
          h('td', { class: 'num' }, int(a.llmCalls)),
          h('td', { class: 'num' }, int(a.toolCalls)),
          h('td', { class: 'num tool-cost', dataset: { costUsd: a.toolCostUsd ?? '' } }, usd(a.toolCostUsd ?? 0)),
          h('td', {}, tokens(a.usage)),
        ),
      ),
    ),
  );
}

function byModel(rows) {
  if (rows.length === 0) return h('p', { class: 'empty' }, 'No model calls.');
  return h(
    'table',
    { class: 'grid', id: 'by-model' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Provider'), h('th', {}, 'Model'), h('th', { class: 'num' }, 'Cost'), h('th', { class: 'num' }, 'Calls'), h('th', {}, 'Tokens'))),
    h(
      'tbody',
      {},
      rows.map((m) =>
        h(
          'tr',
          { dataset: { model: m.model ?? '' } },
          h('td', {}, m.provider || '–'),
          h('td', {}, m.model || '–'),
          h('td', { class: m.unpricedCalls ? 'num cost incomplete' : 'num cost', dataset: { costUsd: m.costUsd ?? '' } }, m.unpricedCalls && !m.costUsd ? `unknown · ${m.unpricedCalls} unpriced` : costText(m.costUsd, !m.unpricedCalls, m.unpricedCalls)),
          h('td', { class: 'num' }, int(m.llmCalls)),
          h('td', {}, tokens(m.usage)),
        ),
      ),
    ),
  );
}
