import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { toEventRow, type EventRow } from './event-row.js';
import type { Store } from './store.js';

/** Builds a Cowrie 3.0.12-style event line. */
function line(fields: Record<string, unknown>): string {
  return JSON.stringify({ sensor: 's1', ...fields });
}

function row(fields: Record<string, unknown>): EventRow {
  const raw = line(fields);
  return toEventRow(JSON.parse(raw) as Record<string, unknown>, raw);
}

const T0 = '2026-11-28T17:04:00.000001Z';

/** A small session: connect, two logins, a command, three tunnel attempts with HTTP and SMTP payloads. */
export function sampleRows(): EventRow[] {
  const base = { session: 'aaaaaaaaaaaa', src_ip: '203.0.113.5', protocol: 'ssh' };
  return [
    row({ ...base, eventid: 'cowrie.session.connect', src_port: 40000, dst_ip: '10.0.0.1', dst_port: 22, timestamp: T0, message: 'New connection' }),
    row({ ...base, eventid: 'cowrie.login.failed', username: 'root', password: 'root', timestamp: '2026-11-28T17:04:01.000000Z', message: 'login attempt [root/root] failed' }),
    row({ ...base, eventid: 'cowrie.login.success', username: 'root', password: 'x', timestamp: '2026-11-28T17:04:02.000000Z', message: 'login attempt [root/x] succeeded' }),
    row({ ...base, eventid: 'cowrie.command.input', input: 'uname -a', timestamp: '2026-11-28T17:04:03.000000Z', message: 'CMD: uname -a' }),
    row({ ...base, eventid: 'cowrie.direct-tcpip.request', dst_ip: '93.184.216.34', dst_port: 80, orig_ip: '127.0.0.1', orig_port: 1, timestamp: '2026-11-28T17:04:04.000000Z', message: 'req 1' }),
    row({ ...base, eventid: 'cowrie.direct-tcpip.data', dst_ip: '93.184.216.34', dst_port: 80, data: "b'GET /ip.php HTTP/1.1\\r\\nHost: ipinfo.example\\r\\n\\r\\n'", id: 0, timestamp: '2026-11-28T17:04:04.100000Z', message: 'data 1' }),
    row({ ...base, eventid: 'cowrie.direct-tcpip.request', dst_ip: '198.51.100.25', dst_port: 25, orig_ip: '127.0.0.1', orig_port: 2, timestamp: '2026-11-28T17:05:10.000000Z', message: 'req 2' }),
    row({ ...base, eventid: 'cowrie.direct-tcpip.data', dst_ip: '198.51.100.25', dst_port: 25, data: "b'EHLO test.com\\r\\n'", id: 1, timestamp: '2026-11-28T17:05:10.100000Z', message: 'data 2' }),
    row({ ...base, eventid: 'cowrie.direct-tcpip.request', dst_ip: '198.51.100.25', dst_port: 25, orig_ip: '127.0.0.1', orig_port: 3, timestamp: '2026-11-28T17:05:20.000000Z', message: 'req 3' }),
    row({ session: 'bbbbbbbbbbbb', src_ip: '198.18.0.9', eventid: 'x.unknown.event', timestamp: '2026-11-29T01:00:00.000000Z', message: 'unknown id', extra: [1, 2] }),
  ];
}

/** The shared behaviour of every Store; each implementation's test calls this. */
export function runStoreContract(options: { name: string; create: () => Promise<Store>; cleanup?: () => Promise<void> }): void {
  describe(`Store contract: ${options.name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await options.create();
    });
    afterEach(async () => {
      await store.close();
      await options.cleanup?.();
    });

    it('append() stores every row once and reports duplicates on a second append', async () => {
      const rows = sampleRows();
      expect(await store.append(rows)).toEqual({ inserted: rows.length, duplicates: 0 });
      expect(await store.append(rows)).toEqual({ inserted: 0, duplicates: rows.length });
      expect((await store.summary({})).events).toBe(rows.length);
    });

    it('append() ignores a row repeated inside one batch', async () => {
      const rows = sampleRows();
      const first = rows[0] as EventRow;
      expect(await store.append([first, first, first])).toEqual({ inserted: 1, duplicates: 2 });
    });

    it('rawEvents() returns every event whole, unknown ids included, in time order', async () => {
      const rows = sampleRows();
      await store.append([...rows].reverse());
      const raws: string[] = [];
      for await (const raw of store.rawEvents({})) raws.push(raw);
      expect(raws).toEqual(rows.map((r) => r.raw));
    });

    it('summary() counts events, sessions, attempts and intruders within a filter', async () => {
      await store.append(sampleRows());
      expect(await store.summary({})).toEqual({
        events: 10,
        sessions: 2,
        attempts: 3,
        intruders: 1,
        firstUs: Date.parse('2026-11-28T17:04:00Z') * 1000 + 1,
        lastUs: Date.parse('2026-11-29T01:00:00Z') * 1000,
      });
      const day = await store.summary({ sinceUs: Date.parse('2026-11-28T17:05:00Z') * 1000, untilUs: Date.parse('2026-11-29T00:00:00Z') * 1000 });
      expect(day.events).toBe(3);
      expect((await store.summary({ sensor: 'other' })).events).toBe(0);
    });

    it('outbound queries group attempts by origin, port, destination, minute and triple', async () => {
      await store.append(sampleRows());
      const f = {};
      expect(await store.outboundByOrigin(f, 10)).toEqual([{ ip: '203.0.113.5', attempts: 3, sessions: 1 }]);
      expect(await store.outboundByPort(f, 10)).toEqual([
        { port: 25, attempts: 2 },
        { port: 80, attempts: 1 },
      ]);
      expect(await store.outboundByDestination(f, 1)).toEqual([{ ip: '198.51.100.25', port: 25, attempts: 2 }]);
      expect(await store.outboundPerMinute(f)).toEqual([
        { minute: Date.parse('2026-11-28T17:04:00Z'), attempts: 1 },
        { minute: Date.parse('2026-11-28T17:05:00Z'), attempts: 2 },
      ]);
      expect(await store.outboundTriples(f, 10)).toEqual([
        { src: '203.0.113.5', port: 25, dst: '198.51.100.25', attempts: 2 },
        { src: '203.0.113.5', port: 80, dst: '93.184.216.34', attempts: 1 },
      ]);
      expect(await store.outboundByHost(f, 10)).toEqual([{ host: 'ipinfo.example', kind: 'http', count: 1 }]);
    });

    it('payload queries return EHLO greetings, HTTP requests with headers and no TLS names here', async () => {
      await store.append(sampleRows());
      expect(await store.smtpGreetings({}, 10)).toEqual([{ greeting: 'test.com', count: 1 }]);
      expect(await store.httpRequests({}, 10)).toEqual([
        { method: 'GET', host: 'ipinfo.example', path: '/ip.php', port: 80, headers: '[["Host","ipinfo.example"]]', count: 1 },
      ]);
      expect(await store.tlsServerNames({}, 10)).toEqual([]);
    });

    it('credential, command, download and session queries aggregate their events', async () => {
      await store.append(sampleRows());
      expect(await store.topCredentials({}, 10)).toEqual([
        { username: 'root', password: 'root', count: 1, successes: 0 },
        { username: 'root', password: 'x', count: 1, successes: 1 },
      ]);
      expect(await store.topCommands({}, 10)).toEqual([{ name: 'uname -a', count: 1 }]);
      expect(await store.topDownloads({}, 10)).toEqual([]);
      const sessions = await store.sessions({}, 1);
      expect(sessions).toEqual([
        {
          session: 'aaaaaaaaaaaa',
          srcIp: '203.0.113.5',
          startUs: Date.parse('2026-11-28T17:04:00Z') * 1000 + 1,
          endUs: Date.parse('2026-11-28T17:05:20Z') * 1000,
          events: 9,
          logins: 2,
          commands: 1,
          attempts: 3,
        },
      ]);
      expect((await store.countByEventId({}))[0]).toEqual({ eventid: 'cowrie.direct-tcpip.request', count: 3 });
    });

    it('checkpoints are saved, replaced and read back per source', async () => {
      expect(await store.getCheckpoint('/x/cowrie.json')).toBeUndefined();
      await store.putCheckpoint({ source: '/x/cowrie.json', head: 'h', offset: 10, line: 2 });
      await store.putCheckpoint({ source: '/x/cowrie.json', head: 'h', offset: 20, line: 4 });
      expect(await store.getCheckpoint('/x/cowrie.json')).toEqual({ source: '/x/cowrie.json', head: 'h', offset: 20, line: 4 });
    });
  });
}
