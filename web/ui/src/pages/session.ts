import { apiFetch, getJson } from '../api';
import { formatTime, h } from '../dom';
import { parseAsciicast, player } from '../player';
import { panel, table } from '../table';
import type { SessionDetail } from '../types';
import type { Page } from './page';

type Cred = SessionDetail['credentials'][number];
type Cmd = SessionDetail['commands'][number];
type Tunnel = SessionDetail['tunnels'][number];
type Download = SessionDetail['downloads'][number];

export const sessionPage: Page = async (root, params) => {
  const id = decodeURIComponent(params[0] ?? '');
  const s = await getJson<SessionDetail>(`sessions/${encodeURIComponent(id)}`);
  let replay: HTMLElement = h('p', { class: 'empty' }, 'No terminal recording for this session.');
  if (s.recording) {
    const res = await apiFetch(`sessions/${encodeURIComponent(id)}/recording`);
    try {
      replay = player(parseAsciicast(await res.text()));
    } catch (err) {
      replay = h('p', { class: 'error' }, err instanceof Error ? err.message : String(err));
    }
  }
  root.append(
    h('p', {}, h('a', { href: '#/sessions' }, '← sessions')),
    panel(
      `Session ${s.session}`,
      [],
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, 'source IP'), h('dd', {}, s.srcIp),
        h('dt', {}, 'sensor'), h('dd', {}, s.sensor),
        h('dt', {}, 'start / end (UTC)'), h('dd', {}, `${formatTime(s.start)} – ${formatTime(s.end)}`),
        h('dt', {}, 'client'), h('dd', {}, s.clientVersion ?? ''),
        h('dt', {}, 'logged in'), h('dd', {}, s.loggedIn ? 'yes' : 'no'),
      ),
    ),
    panel('Credentials', [], table([
      { header: 'time', cell: (r: Cred) => formatTime(r.timestamp) },
      { header: 'username', cell: (r) => r.username },
      { header: 'password', cell: (r) => r.password },
      { header: 'result', cell: (r) => (r.success ? 'accepted' : 'refused') },
    ], s.credentials)),
    panel('Commands', [], table([
      { header: 'time', cell: (r: Cmd) => formatTime(r.timestamp) },
      { header: 'input', cell: (r) => h('code', {}, r.input) },
      { header: 'known', cell: (r) => (r.failed ? 'unknown command' : '') },
    ], s.commands)),
    panel('Tunnels (outbound attempts)', [], table([
      { header: 'time', cell: (r: Tunnel) => formatTime(r.timestamp) },
      { header: 'destination', cell: (r) => `${r.dstIp}:${r.dstPort}` },
      { header: 'first bytes sent', cell: (r) => h('pre', { class: 'payload' }, r.payload ?? '') },
    ], s.tunnels)),
    panel('Downloads', [], table([
      { header: 'time', cell: (r: Download) => formatTime(r.timestamp) },
      { header: 'url', cell: (r) => h('span', { class: 'wrap' }, r.url ?? '') },
      { header: 'file', cell: (r) => r.outfile ?? '' },
      { header: 'sha256', cell: (r) => h('code', {}, r.shasum ?? '') },
      { header: 'result', cell: (r) => (r.failed ? 'failed' : 'stored') },
    ], s.downloads)),
    panel('Terminal replay', [], replay),
  );
};
