// Navigation shared by the views, without importing the app (no module cycles).

/** Goes to #/part/part?params. */
export function go(parts, params) {
  location.hash = href(parts, params);
}

export function href(parts, params) {
  const qs = params ? new URLSearchParams(params).toString() : '';
  return '#/' + parts.map(encodeURIComponent).join('/') + (qs ? '?' + qs : '');
}

/** Hands an error of a view's later call (load more, expand) to the app: 401 → sign-in. */
export function report(error) {
  window.dispatchEvent(new CustomEvent('agentledger:error', { detail: error }));
}
