import { streamEvents } from './api';
import { clear, formatTime, h } from './dom';
import type { FeedEvent } from './types';

const MAX_ITEMS = 200;

function str(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** One line of what happened, all text. */
export function describeEvent(e: FeedEvent): string {
  switch (e.eventid) {
    case 'cowrie.login.success':
    case 'cowrie.login.failed':
      return `${str(e.username)} / ${str(e.password)}`;
    case 'cowrie.command.input':
    case 'cowrie.command.failed':
      return str(e.input);
    case 'cowrie.direct-tcpip.request':
    case 'cowrie.direct-tcpip.data':
      return `→ ${str(e.dst_ip)}:${str(e.dst_port)}`;
    case 'honeyscope.tunnel.smtp':
      return `EHLO ${str(e.ehlo)} → ${str(e.dst_ip)}:${str(e.dst_port)}`;
    case 'honeyscope.tunnel.http':
      return `${str(e.method)} ${str(e.host)}${str(e.path)}`;
    case 'honeyscope.tunnel.tls':
      return `TLS ${str(e.sni)} → ${str(e.dst_ip)}:${str(e.dst_port)}`;
    case 'cowrie.session.file_download':
    case 'cowrie.session.file_download.failed':
      return `${str(e.url)} ${str(e.outfile)}`;
    case 'cowrie.session.file_upload':
      return str(e.filename);
    case 'cowrie.client.version':
      return str(e.version);
    default:
      return str(e.message);
  }
}

function feedItem(e: FeedEvent): HTMLElement {
  const kind = str(e.eventid).split('.').slice(1, 2).join('') || 'other';
  return h(
    'li',
    { class: `feed-item kind-${kind.replace(/[^a-z-]/g, '')}` },
    h('time', {}, formatTime(str(e.timestamp))),
    h('span', { class: 'feed-id' }, str(e.eventid)),
    h('span', { class: 'feed-src' }, str(e.src_ip)),
    e.session ? h('a', { class: 'feed-session', href: `#/session/${encodeURIComponent(str(e.session))}` }, str(e.session)) : null,
    h('span', { class: 'feed-text' }, describeEvent(e)),
  );
}

/** A list that starts with the latest events and grows with new ones from the server; `onEvent` is told of each. */
export function liveFeed(initial: FeedEvent[], onEvent?: () => void): { element: HTMLElement; stop: () => void } {
  const list = h('ol', { class: 'feed', id: 'live-feed' });
  const state = h('span', { class: 'feed-state', id: 'feed-state' }, 'connecting');
  for (const e of [...initial].reverse()) list.appendChild(feedItem(e));
  const stop = streamEvents(
    'events/stream',
    (type, data) => {
      if (type !== 'event') return;
      list.insertBefore(feedItem(JSON.parse(data) as FeedEvent), list.firstChild);
      while (list.childElementCount > MAX_ITEMS) list.lastElementChild?.remove();
      onEvent?.();
    },
    (s) => {
      clear(state);
      state.append(s === 'open' ? 'live' : 'reconnecting');
      state.className = `feed-state ${s}`;
    },
  );
  return { element: h('div', {}, state, list), stop };
}
