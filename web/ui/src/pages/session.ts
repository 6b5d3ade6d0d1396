import { apiFetch, getJson } from '../api';
import { formatTime, h } from '../dom';
import { parseAsciicast, player } from '../player';
import { localCsvButton, panel, table } from '../table';
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
    panel('Credentials', [localCsvButton(`session-${id}-credentials`, [
      { header: 'time', text: (r: Cred) => r.timestamp },
      { header: 'username', text: (r) => r.username },
      { header: 'password', text: (r) => r.password },
      { header: 'success', text: (r) => String(r.success) },
    ], s.credentials)], table([
      { header: 'time', cell: (r: Cred) => formatTime(r.timestamp) },
      { header: 'username', cell: (r) => r.username },
      { header: 'password', cell: (r) => r.password },
      { header: 'result', cell: (r) => (r.success ? 'accepted' : 'refused') },
    ], s.credentials)),
    panel('Commands', [localCsvButton(`session-${id}-commands`, [
      { header: 'time', text: (r: Cmd) => r.timestamp },
      { header: 'input', text: (r) => r.input },
      { header: 'failed', text: (r) => String(r.failed) },
    ], s.commands)], table([
      { header: 'time', cell: (r: Cmd) => formatTime(r.timestamp) },
      { header: 'input', cell: (r) => h('code', {}, r.input) },
      { header: 'known', cell: (r) => (r.failed ? 'unknown command' : '') },
    ], s.commands)),
    panel('Tunnels (outbound attempts)', [localCsvButton(`session-${id}-tunnels`, [
      { header: 'time', text: (r: Tunnel) => r.timestamp },
      { header: 'dst_ip', text: (r) => r.dstIp },
      { header: 'dst_port', text: (r) => String(r.dstPort) },
      { header: 'payload', text: (r) => r.payload ?? '' },
    ], s.tunnels)], table([
      { header: 'time', cell: (r: Tunnel) => formatTime(r.timestamp) },
      { header: 'destination', cell: (r) => `${r.dstIp}:${r.dstPort}` },
      { header: 'first bytes sent', cell: (r) => h('pre', { class: 'payload' }, r.payload ?? '') },
    ], s.tunnels)),
    panel('Downloads', [localCsvButton(`session-${id}-downloads`, [
      { header: 'time', text: (r: Download) => r.timestamp },
      { header: 'url', text: (r) => r.url ?? '' },
      { header: 'file', text: (r) => r.outfile ?? '' },
      { header: 'sha256', text: (r) => r.shasum ?? '' },
      { header: 'failed', text: (r) => String(r.failed) },
    ], s.downloads)], table([
      { header: 'time', cell: (r: Download) => formatTime(r.timestamp) },
      { header: 'url', cell: (r) => h('span', { class: 'wrap' }, r.url ?? '') },
      { header: 'file', cell: (r) => h('span', { class: 'wrap' }, r.outfile ?? '') },
      { header: 'sha256', cell: (r) => h('code', {}, r.shasum ?? '') },
      { header: 'result', cell: (r) => (r.failed ? 'failed' : 'stored') },
    ], s.downloads)),
    panel('Terminal replay', [], replay),
  );
};
