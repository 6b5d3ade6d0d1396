import './style.css';
import { AuthRequiredError, setCredentials } from './api';
import { disposeCharts } from './charts';
import { clear, h } from './dom';
import { alertsPage } from './pages/alerts';
import { outboundPage } from './pages/outbound';
import { overviewPage } from './pages/overview';
import type { Page } from './pages/page';
import { sessionPage } from './pages/session';
import { sessionsPage } from './pages/sessions';
import { topListsPage } from './pages/top-lists';

const ROUTES: Record<string, Page> = {
  '': overviewPage,
  outbound: outboundPage,
  sessions: sessionsPage,
  session: sessionPage,
  top: topListsPage,
  alerts: alertsPage,
};

const app = document.getElementById('app') as HTMLElement;
let cleanup: (() => void) | void;
let generation = 0;

function loginForm(): HTMLElement {
  const token = h('input', { type: 'password', name: 'token', placeholder: 'token' });
  const user = h('input', { type: 'text', name: 'user', placeholder: 'user' });
  const password = h('input', { type: 'password', name: 'password', placeholder: 'password' });
  return h(
    'form',
    {
      class: 'panel login',
      on: {
        submit: (e) => {
          e.preventDefault();
          setCredentials(token.value ? { token: token.value } : { user: user.value, password: password.value });
          void route();
        },
      },
    },
    h('h2', {}, 'Sign in'),
    h('p', {}, 'This dashboard requires a token or a user name and password.'),
    token,
    h('p', {}, 'or'),
    user,
    password,
    h('button', { type: 'submit' }, 'Sign in'),
  );
}

async function route(): Promise<void> {
  const current = ++generation;
  if (typeof cleanup === 'function') cleanup();
  cleanup = undefined;
  disposeCharts();
  clear(app);
  delete document.body.dataset.ready;
  const [name = '', ...params] = location.hash.replace(/^#\/?/, '').split('/');
  const page = ROUTES[name] ?? overviewPage;
  for (const link of document.querySelectorAll<HTMLAnchorElement>('#nav a')) {
    link.classList.toggle('active', link.dataset.page === (name === '' ? 'overview' : name === 'session' ? 'sessions' : name));
  }
  const root = h('div', { class: `page page-${name || 'overview'}` });
  app.append(root);
  try {
    const result = await page(root, params);
    if (current !== generation) {
      if (typeof result === 'function') result();
      return;
    }
    cleanup = result;
    document.body.dataset.ready = name || 'overview';
    performance.mark(`honeyscope:ready:${name || 'overview'}`);
  } catch (err) {
    if (current !== generation) return;
    clear(app);
    if (err instanceof AuthRequiredError) app.append(loginForm());
    else app.append(h('p', { class: 'error' }, `Could not load this page: ${err instanceof Error ? err.message : String(err)}`));
    document.body.dataset.ready = 'error';
  }
}

window.addEventListener('hashchange', () => void route());
void route();
