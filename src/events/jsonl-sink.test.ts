import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonlSink } from './jsonl-sink.js';
import { EventDispatcher } from './dispatcher.js';
import { EventLog } from './event-log.js';
import { silentLogger } from '../lib/logger.js';
import type { Sink } from './sink.js';

const IDENTITY = { session: 'a67df213f604', protocol: 'ssh', src_ip: '127.0.0.1', src_port: 56002, dst_ip: '127.0.0.1', dst_port: 2222 } as const;

function setup(now: () => number, options: { fsync?: boolean; groupCommitMs?: number } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'hs-jsonl-'));
  const path = join(dir, 'log', 'cowrie.json');
  const sink = new JsonlSink({ path, now, fsync: false, ...options });
  const dispatcher = new EventDispatcher({ sensor: 'vm', uuid: 'badf183a-eb4d-11f1-b5f9-02fc00000001', logger: silentLogger(), now });
  dispatcher.addSink(sink);
  return { dir, path, sink, dispatcher };
}

describe('JsonlSink', () => {
  it('writes Cowrie JSON lines in Cowrie key order with microsecond timestamps', async () => {
    const { path, sink, dispatcher } = setup(() => Date.UTC(2026, 10, 28, 17, 4, 53, 950) + 0.692);
    const log = new EventLog(IDENTITY, dispatcher);
    await log.emit('cowrie.login.failed', { username: 'root', password: 'root' }, 'login attempt [root/root] failed');
    await sink.close();
    expect(readFileSync(path, 'utf8')).toBe(
      '{"session":"a67df213f604","protocol":"ssh","src_ip":"127.0.0.1","src_port":56002,"dst_ip":"127.0.0.1","dst_port":2222,' +
        '"username":"root","password":"root","eventid":"cowrie.login.failed","sensor":"vm","uuid":"badf183a-eb4d-11f1-b5f9-02fc00000001",' +
        '"timestamp":"2026-11-28T17:04:53.950692Z","message":"login attempt [root/root] failed"}\n',
    );
  });

  it('escapes non-ASCII and control bytes so one event stays one line', async () => {
    const { path, sink, dispatcher } = setup(() => Date.UTC(2026, 10, 28));
    const log = new EventLog(IDENTITY, dispatcher);
    await log.emit('cowrie.command.input', { input: 'echo ü\n{"eventid":"x"}\u2028' }, 'CMD');
    await sink.close();
    const text = readFileSync(path, 'utf8');
    expect(text.split('\n')).toHaveLength(2);
    expect(text).toContain('"input":"echo \\u00fc\\n{\\"eventid\\":\\"x\\"}\\u2028"');
    expect(JSON.parse(text).input).toBe('echo ü\n{"eventid":"x"}\u2028');
  });

  it('keeps session identity authoritative over event fields', async () => {
    const { path, sink, dispatcher } = setup(() => Date.UTC(2026, 10, 28));
    const log = new EventLog(IDENTITY, dispatcher);
    await log.emit('cowrie.direct-tcpip.request', { src_ip: '6.6.6.6', session: 'evil', dst_ip: '93.184.216.34', dst_port: 80 }, 'x');
    await sink.close();
    const event = JSON.parse(readFileSync(path, 'utf8'));
    expect(event.src_ip).toBe('127.0.0.1');
    expect(event.session).toBe('a67df213f604');
    expect(event.dst_ip).toBe('93.184.216.34');
  });

  it('batches concurrent writes and resolves each after the write', async () => {
    const { path, sink, dispatcher } = setup(() => Date.UTC(2026, 10, 28));
    const log = new EventLog(IDENTITY, dispatcher);
    await Promise.all(Array.from({ length: 1000 }, (_, i) => log.emit('cowrie.command.input', { input: `c${i}` }, 'CMD')));
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(1000);
    await sink.close();
  });

  it('writes with fsync on (the file is opened O_DSYNC)', async () => {
    const { path, sink, dispatcher } = setup(() => Date.UTC(2026, 10, 28), { fsync: true });
    const log = new EventLog(IDENTITY, dispatcher);
    await log.emit('cowrie.command.input', { input: 'durable' }, 'CMD');
    expect(JSON.parse(readFileSync(path, 'utf8')).input).toBe('durable');
    await sink.close();
  });

  it('under load, writes the events of one group-commit interval together; close does not wait for the interval', async () => {
    const { path, sink, dispatcher } = setup(() => Date.UTC(2026, 10, 28), { groupCommitMs: 400 });
    const log = new EventLog(IDENTITY, dispatcher);
    const started = performance.now();
    await log.emit('cowrie.command.input', { input: 'first' }, 'CMD');
    const second = log.emit('cowrie.command.input', { input: 'second' }, 'CMD');
    await new Promise((r) => setTimeout(r, 20));
    const third = log.emit('cowrie.command.input', { input: 'third' }, 'CMD');
    await second;
    // The next batch starts the interval after the first one started (less the timers' millisecond rounding),
    // and the third event, emitted later, went out in the same write.
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(3);
    await third;

    const { sink: closing, dispatcher: d2, path: p2 } = setup(() => Date.UTC(2026, 10, 28), { groupCommitMs: 60_000 });
    const log2 = new EventLog(IDENTITY, d2);
    await log2.emit('cowrie.command.input', { input: 'one' }, 'CMD');
    const pending = log2.emit('cowrie.command.input', { input: 'two' }, 'CMD');
    const closeStarted = performance.now();
    await closing.close();
    await pending;
    expect(performance.now() - closeStarted).toBeLessThan(10_000);
    expect(readFileSync(p2, 'utf8').trim().split('\n')).toHaveLength(2);
    await sink.close();
  });

  it('rotates at UTC midnight to cowrie.json.YYYY-MM-DD and gzips the old day', async () => {
    let now = Date.UTC(2026, 10, 27, 23, 59, 59);
    const { dir, path, sink, dispatcher } = setup(() => now);
    const log = new EventLog(IDENTITY, dispatcher);
    await log.emit('cowrie.command.input', { input: 'day one' }, 'CMD');
    now = Date.UTC(2026, 10, 28, 0, 0, 1);
    await log.emit('cowrie.command.input', { input: 'day two' }, 'CMD');
    await sink.close();
    expect(readdirSync(join(dir, 'log')).sort()).toEqual(['cowrie.json', 'cowrie.json.2026-11-27.gz']);
    expect(JSON.parse(gunzipSync(readFileSync(`${path}.2026-11-27.gz`)).toString()).input).toBe('day one');
    expect(JSON.parse(readFileSync(path, 'utf8')).input).toBe('day two');
  });
});

describe('EventDispatcher', () => {
  it('isolates and counts a failing sink while the others still get the event', async () => {
    const dispatcher = new EventDispatcher({ sensor: 's', uuid: 'u', logger: silentLogger() });
    const got: string[] = [];
    const broken: Sink = { name: 'broken', write: () => { throw new Error('disk full'); } };
    dispatcher.addSink(broken);
    dispatcher.addSink({ name: 'memory', write: (e) => { got.push(e.eventid); } });
    await dispatcher.dispatch({ eventid: 'cowrie.session.connect', fields: {}, message: 'm' });
    await dispatcher.dispatch({ eventid: 'cowrie.session.closed', fields: { duration_ms: 1 }, message: 'm' });
    expect(got).toEqual(['cowrie.session.connect', 'cowrie.session.closed']);
    expect(dispatcher.failures()).toEqual({ broken: 2, memory: 0 });
  });

  it('marks events after close as late', async () => {
    const dispatcher = new EventDispatcher({ sensor: 's', uuid: 'u', logger: silentLogger() });
    const log = new EventLog(IDENTITY, dispatcher);
    log.close();
    const event = await log.emit('cowrie.session.closed', { duration_ms: 5 }, 'x');
    expect(event.late).toBe(true);
  });
});
