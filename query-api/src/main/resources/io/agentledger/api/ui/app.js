// The chain explorer: a hash router over four views (sign-in, chains, a chain, agents and their
// paths). The hash holds only view names and filters, never the key.
import { session, Unauthorized } from './api.js';
import { h, clear } from './dom.js';
import { chainsView } from './chains.js';
import { chainView } from './chain.js';
import { agentsView, agentView } from './paths.js';

const view = document.getElementById('view');
const nav = document.getElementById('nav');
const signout = document.getElementById('signout');
let signInMessage = '';
let generation = 0;

/** #/chain/abc?x=1 → {parts: ['chain', 'abc'], params: URLSearchParams} */
function route() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [path, query] = hash.split('?');
  return { parts: path.split('/').filter(Boolean).map(decodeURIComponent), params: new URLSearchParams(query || '') };
}

async function render() {
  const mine = ++generation;
  const { parts, params } = route();
  const signedIn = Boolean(session.key());
  nav.hidden = !signedIn;
  signout.hidden = !signedIn;
  if (!signedIn || parts[0] === 'signin') {
    renderSignIn();
    return;
  }
  for (const a of nav.querySelectorAll('a')) {
    a.classList.toggle('active', a.dataset.nav === (parts[0] === 'chain' ? 'chains' : parts[0] === 'agent' ? 'agents' : parts[0]));
  }
  clear(view).append(h('p', { class: 'loading' }, 'Loading…'));
  view.dataset.state = 'loading';
  try {
    let content;
    switch (parts[0]) {
      case 'chain':
        content = await chainView(parts[1]);
        break;
      case 'agents':
        content = await agentsView(params);
        break;
      case 'agent':
        content = await agentView(parts[1], params);
        break;
      default:
        content = await chainsView(params);
    }
    if (mine !== generation) return; // the user moved on meanwhile
    clear(view).append(content);
    view.dataset.state = 'ready';
    view.dataset.view = parts[0] || 'chains';
  } catch (e) {
    if (mine !== generation) return;
    failed(e);
  }
}

/** What a view does with an error: 401 → sign-in with a message; else say what failed. */
function failed(e) {
  if (e instanceof Unauthorized) {
    signInMessage = 'Your API key was refused (401). Sign in with a valid key.';
    session.signOut();
    renderSignIn();
    return;
  }
  clear(view).append(h('div', { class: 'error', role: 'alert' }, e.message || String(e)));
  view.dataset.state = 'error';
}

function renderSignIn() {
  nav.hidden = true;
  signout.hidden = true;
  const input = h('input', {
    id: 'api-key',
    type: 'password',
    name: 'api-key',
    autocomplete: 'off',
    required: true,
    placeholder: 'al_…',
    'aria-label': 'API key',
  });
  const form = h(
    'form',
    {
      id: 'signin',
      class: 'signin',
      onsubmit: (event) => {
        event.preventDefault();
        const key = input.value.trim();
        if (!key) return;
        session.signIn(key);
        signInMessage = '';
        if (route().parts[0] === 'signin' || location.hash === '' || location.hash === '#/') {
          location.hash = '#/chains';
        }
        render();
      },
    },
    h('h1', {}, 'Chain explorer'),
    h('p', {}, 'Sign in with an API key of your project. The key stays in this browser tab (session storage) and is sent only to this server\'s API.'),
    signInMessage ? h('p', { id: 'signin-message', class: 'error', role: 'alert' }, signInMessage) : null,
    h('label', { for: 'api-key' }, 'API key'),
    input,
    h('button', { id: 'signin-submit', type: 'submit' }, 'Sign in'),
    h('p', { class: 'muted' }, 'The standalone prints its key at first start; ./agentledger key prints it again.'),
  );
  clear(view).append(form);
  view.dataset.state = 'signin';
  view.dataset.view = 'signin';
  input.focus();
}

signout.addEventListener('click', () => {
  session.signOut();
  signInMessage = '';
  render();
});
window.addEventListener('hashchange', render);
window.addEventListener('agentledger:error', (event) => failed(event.detail));
render();
