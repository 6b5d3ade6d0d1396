import { describe, expect, it } from 'vitest';
import { buildSessionDetail } from './build-session-detail.js';

const base = { session: 's1', src_ip: '203.0.113.9', sensor: 'x' };

describe('buildSessionDetail()', () => {
  it('collects credentials, commands, tunnels with their first bytes, downloads and the recording', () => {
    const detail = buildSessionDetail('s1', [
      { ...base, eventid: 'cowrie.session.connect', timestamp: '2018-05-06T17:44:05.000000Z' },
      { ...base, eventid: 'cowrie.client.version', timestamp: '2018-05-06T17:44:05.100000Z', version: 'SSH-2.0-Go' },
      { ...base, eventid: 'cowrie.login.failed', timestamp: '2018-05-06T17:44:06.000000Z', username: 'root', password: 'x' },
      { ...base, eventid: 'cowrie.login.success', timestamp: '2018-05-06T17:44:07.000000Z', username: 'root', password: 'admin' },
      { ...base, eventid: 'cowrie.command.input', timestamp: '2018-05-06T17:44:08.000000Z', input: 'uname -a' },
      { ...base, eventid: 'cowrie.direct-tcpip.request', timestamp: '2018-05-06T17:44:09.000000Z', dst_ip: '192.0.2.1', dst_port: 25 },
      { ...base, eventid: 'cowrie.direct-tcpip.data', timestamp: '2018-05-06T17:44:09.100000Z', dst_ip: '192.0.2.1', dst_port: 25, data_b64: Buffer.from('EHLO x\r\n').toString('base64') },
      { ...base, eventid: 'cowrie.session.file_download', timestamp: '2018-05-06T17:44:10.000000Z', url: 'http://e.test/a', shasum: 'ab', outfile: 'dl/ab' },
      { ...base, eventid: 'cowrie.log.closed', timestamp: '2018-05-06T17:44:11.000000Z', ttylog: 'var/lib/cowrie/tty/ff' },
    ]);
    expect(detail).toMatchObject({
      srcIp: '203.0.113.9',
      start: '2018-05-06T17:44:05.000000Z',
      end: '2018-05-06T17:44:11.000000Z',
      loggedIn: true,
      clientVersion: 'SSH-2.0-Go',
      commandCount: 1,
      attemptCount: 1,
      credentials: [
        { username: 'root', password: 'x', success: false },
        { username: 'root', password: 'admin', success: true },
      ],
      tunnels: [{ dstIp: '192.0.2.1', dstPort: 25, payload: 'EHLO x\r\n' }],
      downloads: [{ url: 'http://e.test/a', shasum: 'ab', outfile: 'dl/ab', failed: false }],
      ttylog: 'var/lib/cowrie/tty/ff',
    });
  });

  it('returns null for a session without events', () => {
    expect(buildSessionDetail('none', [])).toBeNull();
  });
});
