// The chains list: filters (time, service, agent, session), order by time or cost, pages through
// nextCursor. Every cost says whether it is complete.
import { get } from './api.js';
import { h } from './dom.js';
import { costText, duration, int, time, totalTokens } from './format.js';
import { go, href, report } from './nav.js';

const FILTERS = ['from', 'to', 'service', 'agent', 'sessionId', 'workflowId'];
const PAGE = 50;

/** datetime-local value (read as UTC) → ISO-8601, and back. */
const toIso = (local) => (local ? new Date(local + 'Z').toISOString() : '');
const toLocal = (iso) => (iso ? iso.replace(/(\.\d+)?Z$/, '').slice(0, 16) : '');

export async function chainsView(params) {
  const query = Object.fromEntries(FILTERS.map((f) => [f, params.get(f) || '']));
  query.order = params.get('order') === 'cost' ? 'cost' : 'start';
  const first = await get('/chains', { ...query, limit: PAGE });

  const body = h('tbody', { id: 'chain-rows' });
  const more = h('button', { id: 'chains-more', type: 'button' }, 'Load more');
  let cursor = first.nextCursor;
  const addPage = (page) => {
    body.append(...page.items.map(row));
    cursor = page.nextCursor;
    more.hidden = !cursor;
  };
  more.addEventListener('click', async () => {
    more.disabled = true;
    try {
      addPage(await get('/chains', { ...query, limit: PAGE, cursor }));
    } catch (e) {
      report(e);
    } finally {
      more.disabled = false;
    }
  });
  addPage(first);

  return h(
    'section',
    { class: 'chains' },
    h('h1', {}, 'Chains'),
    filterForm(query),
    first.items.length === 0
      ? h('p', { class: 'empty', id: 'chains-empty' }, 'No chains match these filters (by default, the last 7 days).')
      : h(
          'table',
          { class: 'grid', id: 'chains-table' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', {}, sortLink('Start (UTC)', 'start', query)),
              h('th', {}, 'Chain'),
              h('th', {}, 'Service'),
              h('th', {}, 'Agent'),
              h('th', {}, 'Session'),
              h('th', { class: 'num' }, 'Spans'),
              h('th', { class: 'num' }, 'LLM calls'),
              h('th', { class: 'num' }, 'Tokens'),
              h('th', { class: 'num' }, 'Duration'),
              h('th', { class: 'num' }, sortLink('Cost', 'cost', query)),
            ),
          ),
          body,
        ),
    more,
  );
}

function sortLink(label, order, query) {
  const active = query.order === order;
  return h(
    'a',
    {
      href: href(['chains'], { ...clean(query), order }),
      class: active ? 'sort active' : 'sort',
      dataset: { sort: order },
      title: `Sort by ${order === 'cost' ? 'cost, most expensive first' : 'start time, newest first'}`,
    },
    label,
    active ? ' ▼' : '',
  );
}

function clean(query) {
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v));
}

function filterForm(query) {
  const field = (name, label, attrs = {}) =>
    h('label', {}, label, h('input', { name, id: `filter-${name}`, ...attrs }));
  const form = h(
    'form',
    {
      id: 'chain-filters',
      class: 'filters',
      onsubmit: (event) => {
        event.preventDefault();
        const data = new FormData(form);
        const next = {};
        for (const f of FILTERS) {
          const v = String(data.get(f) || '').trim();
          if (v) next[f] = f === 'from' || f === 'to' ? toIso(v) : v;
        }
        next.order = String(data.get('order'));
        go(['chains'], next);
      },
    },
    field('from', 'From (UTC)', { type: 'datetime-local', value: toLocal(query.from) }),
    field('to', 'To (UTC)', { type: 'datetime-local', value: toLocal(query.to) }),
    field('service', 'Service', { value: query.service, placeholder: 'any' }),
    field('agent', 'Agent', { value: query.agent, placeholder: 'any' }),
    field('sessionId', 'Session', { value: query.sessionId, placeholder: 'any' }),
    field('workflowId', 'Workflow', { value: query.workflowId, placeholder: 'any' }),
    h(
      'label',
      {},
      'Order',
      h(
        'select',
        { name: 'order', id: 'filter-order' },
        h('option', { value: 'start', selected: query.order === 'start' }, 'newest first'),
        h('option', { value: 'cost', selected: query.order === 'cost' }, 'most expensive first'),
      ),
    ),
    h('button', { type: 'submit', id: 'filter-apply' }, 'Apply'),
    h('a', { href: '#/chains', class: 'reset' }, 'Reset'),
  );
  return form;
}

function row(c) {
  const open = () => go(['chain', c.traceId]);
  return h(
    'tr',
    { class: 'chain-row', dataset: { traceId: c.traceId }, onclick: open },
    h('td', { class: 'time' }, time(c.startTime)),
    h('td', {}, h('a', { href: href(['chain', c.traceId]), class: 'chain-link' }, c.name || c.traceId), c.status === 'error' || c.errorCount > 0 ? h('span', { class: 'badge error' }, `${c.errorCount} error${c.errorCount === 1 ? '' : 's'}`) : null),
    h('td', {}, c.service || '–'),
    h('td', {}, c.agent ? h('a', { href: href(['agent', c.agent]), onclick: (e) => e.stopPropagation() }, c.agent) : '–'),
    h('td', { class: 'session' }, c.sessionId ? h('a', { href: href(['chains'], { sessionId: c.sessionId }), onclick: (e) => e.stopPropagation() }, c.sessionId) : '–'),
    h('td', { class: 'num' }, int(c.spanCount)),
    h('td', { class: 'num' }, int(c.llmCalls)),
    h('td', { class: 'num' }, int(totalTokens(c.usage))),
    h('td', { class: 'num' }, duration(c.durationMs)),
    costCell(c),
  );
}

/** A cost cell; an incomplete total is marked and says how many calls have no price. */
export function costCell(c, tag = 'td') {
  return h(
    tag,
    {
      class: c.costComplete === false ? 'num cost incomplete' : 'num cost',
      dataset: { costUsd: c.costUsd ?? '', costComplete: String(c.costComplete !== false), unpriced: c.unpricedCalls ?? 0 },
      title: c.costComplete === false ? `${c.unpricedCalls} call(s) have no known price: the total is at least this much` : 'every call priced',
    },
    costText(c.costUsd, c.costComplete, c.unpricedCalls),
  );
}
