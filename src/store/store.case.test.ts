import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { toEventRow, type EventRow } from './event-row.js';
import type { EventFilter, Store } from './store.js';

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

const HOUR_MS = 3_600_000;
const START_MS = Date.parse('2026-03-01T00:00:00Z');

/** Seeded pseudo-random events over five days: sessions crossing midnight, two sensors and none, NULL fields. */
export function spreadRows(count: number, seed: number): EventRow[] {
  let x = seed;
  const rand = (n: number): number => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x % n;
  };
  const ids = ['cowrie.session.connect', 'cowrie.login.failed', 'cowrie.login.success', 'cowrie.command.input', 'cowrie.direct-tcpip.request', 'cowrie.direct-tcpip.request'];
  const rows: EventRow[] = [];
  for (let i = 0; i < count; i++) {
    const k = rand(40);
    const session = rand(10) === 0 ? undefined : `s${seed}-${k}`;
    // Half the sessions keep to one day and sensor, the others spread over several.
    const confined = session !== undefined && k < 20;
    const ms = START_MS + (confined ? (k % 5) * 24 + rand(24) : rand(5 * 24)) * HOUR_MS + rand(HOUR_MS);
    const eventid = ids[rand(ids.length)] as string;
    const sensor = ['a', 'b', undefined][confined ? k % 3 : rand(3)];
    const raw = JSON.stringify({
      eventid,
      timestamp: new Date(ms).toISOString().replace('Z', `${String(i % 1000).padStart(3, '0')}Z`),
      ...(sensor === undefined ? {} : { sensor }),
      ...(session === undefined ? {} : { session }),
      ...(rand(20) === 0 ? {} : { src_ip: `198.51.100.${rand(6)}` }),
      ...(eventid === 'cowrie.direct-tcpip.request' ? { dst_ip: `192.0.2.${rand(4)}`, dst_port: [25, 80, 443][rand(3)] } : {}),
      ...(eventid.startsWith('cowrie.login') ? { username: ['root', 'admin'][rand(2)], password: String(rand(3)) } : {}),
      ...(eventid === 'cowrie.command.input' ? { input: ['ls', 'uname -a'][rand(2)] } : {}),
      message: `m${seed}-${i}`,
    });
    rows.push(toEventRow(JSON.parse(raw) as Record<string, unknown>, raw));
  }
  return rows;
}

/** What the store must answer, computed from the rows themselves. */
export function expected(rows: readonly EventRow[], filter: EventFilter) {
  const inside = rows.filter(
    (r) => (filter.sinceUs === undefined || r.ts_us >= filter.sinceUs) && (filter.untilUs === undefined || r.ts_us < filter.untilUs) && (filter.sensor === undefined || r.sensor === filter.sensor),
  );
  const attempts = inside.filter((r) => r.eventid === 'cowrie.direct-tcpip.request');
  const bySession = new Map<string, EventRow[]>();
  for (const r of inside) if (r.session !== null) bySession.set(r.session, [...(bySession.get(r.session) ?? []), r]);
  const byOrigin = new Map<string | null, { n: number; sessions: Set<string> }>();
  for (const r of attempts) {
    const o = byOrigin.get(r.src_ip) ?? { n: 0, sessions: new Set<string>() };
    o.n += 1;
    if (r.session !== null) o.sessions.add(r.session);
    byOrigin.set(r.src_ip, o);
  }
  // SQL's order: NULL after every address.
  const ipOrder = (a: string | null, b: string | null): number => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1);
  const count = (list: readonly EventRow[], id: string): number => list.filter((r) => r.eventid === id).length;
  return {
    summary: {
      events: inside.length,
      sessions: bySession.size,
      attempts: attempts.length,
      intruders: new Set(attempts.map((r) => r.src_ip).filter((ip) => ip !== null)).size,
      firstUs: inside.length === 0 ? null : Math.min(...inside.map((r) => r.ts_us)),
      lastUs: inside.length === 0 ? null : Math.max(...inside.map((r) => r.ts_us)),
    },
    byOrigin: [...byOrigin]
      .sort(([ipA, a], [ipB, b]) => b.n - a.n || ipOrder(ipA, ipB))
      .map(([ip, o]) => ({ ip: ip ?? '', attempts: o.n, sessions: o.sessions.size })),
    sessions: [...bySession]
      .map(([session, list]) => ({
        session,
        srcIp: list.map((r) => r.src_ip).filter((ip) => ip !== null).sort()[0] ?? '',
        startUs: Math.min(...list.map((r) => r.ts_us)),
        endUs: Math.max(...list.map((r) => r.ts_us)),
        events: list.length,
        logins: count(list, 'cowrie.login.failed') + count(list, 'cowrie.login.success'),
        commands: count(list, 'cowrie.command.input'),
        attempts: count(list, 'cowrie.direct-tcpip.request'),
      }))
      .sort((a, b) => b.events - a.events || (a.session < b.session ? -1 : 1))
      .slice(0, 5),
    attemptsPerMinute: attempts.length,
    daily: (() => {
      const top = [...byOrigin].sort(([ipA, a], [ipB, b]) => b.n - a.n || ipOrder(ipA, ipB)).slice(0, 2).map(([ip]) => String(ip));
      const counts = new Map<string, number>();
      for (const r of attempts) {
        const key = `${new Date(r.ts_us / 1000).toISOString().slice(0, 10)} ${top.includes(String(r.src_ip)) && r.src_ip !== null ? r.src_ip : 'other'}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      return { sources: top, counts: [...counts].sort().map(([k, attempts]) => ({ day: k.split(' ')[0], source: k.split(' ')[1], attempts })) };
    })(),
  };
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

    it('append() stores attacker NULs, ports past 32 bits and the last days of 2099', async () => {
      const rows = [
        row({ eventid: 'cowrie.login.failed', session: 'nul', timestamp: T0, username: 'ro\u0000ot', password: '\u0000', message: 'login attempt [ro\u0000ot/\u0000] failed' }),
        row({ eventid: 'cowrie.direct-tcpip.request', session: 'big', timestamp: T0, dst_ip: '192.0.2.1', dst_port: 99_999_999_999, src_port: 2 ** 40, message: 'request' }),
        row({ eventid: 'cowrie.session.connect', session: 'late', timestamp: '2099-12-31T23:59:59.999999Z', message: 'connect' }),
      ];
      expect(await store.append(rows)).toEqual({ inserted: 3, duplicates: 0 });
      expect(await store.topCredentials({}, 10)).toEqual([expect.objectContaining({ username: 'ro\\x00ot', password: '\\x00' })]);
      const raws: string[] = [];
      for await (const raw of store.rawEvents({})) raws.push(raw);
      expect(raws).toEqual(rows.map((r) => r.raw));
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

    it('rawEvents() reads on past a page of 5000 rows within a filter, rows sharing a timestamp across the page boundary included', async () => {
      const times = ['2026-11-28T10:00:00.000000Z', '2026-11-28T10:00:00.000001Z', '2026-11-28T11:00:00.000000Z', '2026-11-28T12:00:00.000000Z'];
      const rows = Array.from({ length: 12_000 }, (_, i) =>
        row({ session: `p${i % 7}`, eventid: 'cowrie.command.input', input: `c${i}`, timestamp: times[i % 4], message: `CMD: c${i}` }),
      );
      await store.append(rows);
      const sinceUs = Date.parse('2026-11-28T10:00:00Z') * 1000 + 1;
      const raws: string[] = [];
      for await (const raw of store.rawEvents({ sinceUs })) raws.push(raw);
      const expected = rows.filter((r) => r.ts_us >= sinceUs).sort((a, b) => a.ts_us - b.ts_us || (a.id < b.id ? -1 : 1));
      expect(raws).toHaveLength(9000);
      expect(raws).toEqual(expected.map((r) => r.raw));
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

    it('answers exactly as its events across whole and partial days, sensors and later appends', async () => {
      const dayUs = 86_400_000_000;
      const startUs = START_MS * 1000;
      const filters: EventFilter[] = [
        {},
        { sensor: 'a' },
        { sinceUs: startUs + dayUs, untilUs: startUs + 3 * dayUs },
        { sinceUs: startUs + dayUs / 3, untilUs: startUs + 4 * dayUs + 7_000_000 },
        { sinceUs: startUs + dayUs + 5, untilUs: startUs + dayUs + 4 * 3_600_000_000, sensor: 'b' },
        { sinceUs: startUs + 2 * dayUs - 1 },
        { untilUs: startUs + 2 * dayUs + 1 },
      ];
      const stored: EventRow[] = [];
      for (const seed of [1, 2, 3]) {
        const rows = spreadRows(400, seed);
        // Some of the first batch again: appends that overlap what is stored change nothing.
        await store.append([...rows.slice(0, 200), ...stored.slice(0, 50)]);
        await store.summary({});
        await store.append(rows.slice(200));
        stored.push(...rows);
        for (const filter of filters) {
          const want = expected(stored, filter);
          expect(await store.summary(filter), JSON.stringify(filter)).toEqual(want.summary);
          expect(await store.outboundByOrigin(filter, 50), JSON.stringify(filter)).toEqual(want.byOrigin);
          expect(await store.sessions(filter, 5), JSON.stringify(filter)).toEqual(want.sessions);
          const minutes = await store.outboundPerMinute(filter);
          expect(minutes.reduce((s, m) => s + m.attempts, 0)).toBe(want.attemptsPerMinute);
          expect((await store.overview(filter)).sessions).toBe(want.summary.sessions);
          const daily = await store.outboundDailyBySource(filter, 2);
          expect({ ...daily, counts: [...daily.counts].sort((a, b) => (`${a.day} ${a.source}` < `${b.day} ${b.source}` ? -1 : 1)) }).toEqual(want.daily);
        }
      }
    });

    it('checkpoints are saved, replaced and read back per source', async () => {
      expect(await store.getCheckpoint('/x/cowrie.json')).toBeUndefined();
      await store.putCheckpoint({ source: '/x/cowrie.json', head: 'h', offset: 10, line: 2 });
      await store.putCheckpoint({ source: '/x/cowrie.json', head: 'h', offset: 20, line: 4 });
      expect(await store.getCheckpoint('/x/cowrie.json')).toEqual({ source: '/x/cowrie.json', head: 'h', offset: 20, line: 4 });
    });
  });
}
