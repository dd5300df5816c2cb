// How numbers are shown. Costs are the API's numbers to the micro-dollar, never rounded away:
// what the page shows is what the API answered.

const USD = new Intl.NumberFormat('en-US', { maximumFractionDigits: 6 });
const INT = new Intl.NumberFormat('en-US');

/** $0.019795; "unknown" when the API has no number. */
export function usd(value) {
  if (value === undefined || value === null) return 'unknown';
  const n = Number(value);
  if (n !== 0 && Math.abs(n) < 0.0000005) return '< $0.000001';
  return '$' + USD.format(n);
}

/**
 * A total that may be incomplete: "$0.0123", or "≥ $0.0123 · 2 unpriced" when some calls have no
 * known cost (the true total is at least the known part).
 */
export function costText(costUsd, costComplete, unpriced) {
  if (costComplete !== false) return usd(costUsd ?? 0);
  return `≥ ${usd(costUsd ?? 0)} · ${unpriced ?? '?'} unpriced`;
}

export function int(n) {
  return n === undefined || n === null ? '–' : INT.format(n);
}

export function tokens(usage) {
  if (!usage) return '–';
  const parts = [`${int(usage.inputTokens)} in`, `${int(usage.outputTokens)} out`];
  if (usage.cacheReadTokens) parts.push(`${int(usage.cacheReadTokens)} cached`);
  if (usage.reasoningTokens) parts.push(`${int(usage.reasoningTokens)} reasoning`);
  return parts.join(' · ');
}

export function totalTokens(usage) {
  return usage ? (usage.inputTokens || 0) + (usage.outputTokens || 0) : 0;
}

export function duration(ms) {
  if (ms === undefined || ms === null) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** 2026-11-30 07:50:21 (UTC, as the API answers). */
export function time(iso) {
  if (!iso) return '–';
  return iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '');
}

export function percent(share) {
  if (share === undefined || share === null) return '–';
  return `${(share * 100).toFixed(share < 0.1 ? 1 : 0)}%`;
}

export function shortId(id) {
  return id ? id.slice(0, 8) + '…' : '–';
}
