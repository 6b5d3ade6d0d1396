import { getJson } from '../api';
import { clear, formatNumber, formatTime, h } from '../dom';
import { csvButton, panel, table } from '../table';
import type { SessionSummary } from '../types';
import type { Page } from './page';

const PAGE_SIZE = 100;

export const sessionsPage: Page = async (root) => {
  const q = h('input', { type: 'search', name: 'q', id: 'session-search', placeholder: 'session, IP, username, password or command' });
  const list = h('div', { id: 'session-list' });
  const pager = h('div', { class: 'pager' });
  let offset = 0;
  const params = () => ({ q: q.value.trim() || undefined, limit: PAGE_SIZE, offset });

  async function load(): Promise<void> {
    const rows = await getJson<SessionSummary[]>('sessions', params());
    clear(list);
    list.append(
      table(
        [
          { header: 'session', cell: (r: SessionSummary) => h('a', { href: `#/session/${encodeURIComponent(r.session)}` }, r.session) },
          { header: 'source IP', cell: (r) => r.srcIp },
          { header: 'sensor', cell: (r) => r.sensor },
          { header: 'start (UTC)', cell: (r) => formatTime(r.start) },
          { header: 'end (UTC)', cell: (r) => formatTime(r.end) },
          { header: 'logged in', cell: (r) => (r.loggedIn ? 'yes' : 'no') },
          { header: 'commands', cell: (r) => formatNumber(r.commandCount), numeric: true },
          { header: 'outbound', cell: (r) => formatNumber(r.attemptCount), numeric: true },
        ],
        rows,
        { empty: 'No session matches.' },
      ),
    );
    clear(pager);
    if (offset > 0) pager.append(h('button', { type: 'button', on: { click: () => { offset = Math.max(0, offset - PAGE_SIZE); void load(); } } }, '← newer'));
    if (rows.length === PAGE_SIZE) pager.append(h('button', { type: 'button', on: { click: () => { offset += PAGE_SIZE; void load(); } } }, 'older →'));
  }

  root.append(
    panel(
      'Sessions',
      [h('form', { class: 'search', on: { submit: (e) => { e.preventDefault(); offset = 0; void load(); } } }, q, h('button', { type: 'submit' }, 'Search')), csvButton('sessions', params, 'sessions')],
      list,
      pager,
    ),
  );
  await load();
};
