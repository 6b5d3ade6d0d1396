import './style.css';
import { AuthRequiredError, dropPrefetched, prefetchJson, setCredentials } from './api';
import { clear, h } from './dom';
import { disposeCharts } from './live-charts';
import type { Page } from './pages/page';

/**
 * Each page is its own chunk (the charting library with the pages that draw
 * charts), loaded when first visited; its first API requests start at once,
 * alongside the code, and the page picks them up.
 */
const ROUTES: Record<string, { load: () => Promise<Page>; prefetch?: () => void }> = {
  '': {
    load: async () => (await import('./pages/overview')).overviewPage,
    prefetch: () => {
      prefetchJson('overview');
      prefetchJson('rates', { view: 'day' });
      prefetchJson('alerts/count');
      prefetchJson('events/recent', { limit: 50 });
    },
  },
  outbound: {
    load: async () => (await import('./pages/outbound')).outboundPage,
    prefetch: () => {
      prefetchJson('outbound/tree', { top: 20 });
      prefetchJson('outbound/days');
      for (const list of ['ehlo', 'http', 'tls']) prefetchJson(`payloads/${list}`);
    },
  },
  sessions: { load: async () => (await import('./pages/sessions')).sessionsPage },
  session: { load: async () => (await import('./pages/session')).sessionPage },
  top: { load: async () => (await import('./pages/top-lists')).topListsPage },
  alerts: { load: async () => (await import('./pages/alerts')).alertsPage },
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
  const target = ROUTES[name] ?? (ROUTES[''] as (typeof ROUTES)[string]);
  dropPrefetched();
  target.prefetch?.();
  for (const link of document.querySelectorAll<HTMLAnchorElement>('#nav a')) {
    link.classList.toggle('active', link.dataset.page === (name === '' ? 'overview' : name === 'session' ? 'sessions' : name));
  }
  const root = h('div', { class: `page page-${name || 'overview'}` });
  app.append(root);
  try {
    const page = await target.load();
    if (current !== generation) return;
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
