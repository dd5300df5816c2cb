// Every call goes through the public API with the user's key, so the page sees exactly what the
// key's project may see. The key lives in sessionStorage only: never in a URL, a cookie or a log.

const KEY = 'agentledger.apiKey';
const TIMEOUT_MS = 60_000;

/** Thrown when the API refuses the key (401): the page goes back to sign-in. */
export class Unauthorized extends Error {}

/** Any other error answer, with the problem detail's text. */
export class ApiError extends Error {
  constructor(status, detail) {
    super(detail || `the API answered ${status}`);
    this.status = status;
  }
}

export const session = {
  key: () => sessionStorage.getItem(KEY),
  signIn: (key) => sessionStorage.setItem(KEY, key),
  signOut: () => sessionStorage.removeItem(KEY),
};

/** GET /api/v1{path} with the query parameters that are set; resolves to the parsed JSON. */
export async function get(path, params = {}) {
  const key = session.key();
  if (!key) throw new Unauthorized('not signed in');
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') query.set(name, value);
  }
  const qs = query.toString();
  let response;
  try {
    response = await fetch(`/api/v1${path}${qs ? '?' + qs : ''}`, {
      headers: { Authorization: `Bearer ${key}`, Accept: 'application/json' },
      credentials: 'omit',
      cache: 'no-store',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (e) {
    throw new ApiError(0, e.name === 'TimeoutError' ? `the API did not answer within ${TIMEOUT_MS / 1000} s; try again` : `the API cannot be reached: ${e.message}`);
  }
  if (response.status === 401) {
    session.signOut();
    throw new Unauthorized('the API key was refused');
  }
  if (!response.ok) {
    let detail = '';
    try {
      detail = (await response.json()).detail;
    } catch (e) {
      // not a problem document
    }
    throw new ApiError(response.status, detail);
  }
  return response.json();
}

/** A path segment, encoded. */
export const seg = (s) => encodeURIComponent(s);
