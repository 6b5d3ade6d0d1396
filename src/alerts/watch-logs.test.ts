import { appendFile, mkdtemp, readFile, rename, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IndicatorSetBuilder } from '../intel/match/indicator-set.js';
import type { MalformedLine } from '../intel/match/malformed-line.js';
import type { Logger } from '../lib/logger.js';
import type { Alert } from './alert.js';
import { AlertDispatcher } from './alert-dispatcher.js';
import { AlertEngine } from './alert-engine.js';
import { parseAlertRules } from './alert-rule.js';
import { createJsonlAlertSink } from './jsonl-alert-sink.js';
import { watchLogs, type WatchSummary } from './watch-logs.js';

const RULES = parseAlertRules('- { id: t1, level: 10, description: query for an indicator, match: { kind: dns } }\n', 'rules.yaml');
const SET = (() => {
  const b = new IndicatorSetBuilder();
  b.addItem({ indicator: 'bad.test', type: 'domain', meta: [{ source: 'test' }] });
  return b.build();
})();

function query(n: number, name = 'bad.test'): string {
  return `28-Nov-2026 17:03:${String(n).padStart(2, '0')}.803 queries: info: client @0x1 10.0.0.${n}#1000 (${name}): query: ${name} IN A +E(0) (127.0.0.1)\n`;
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hs-watch-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Running {
  alerts: Alert[];
  malformed: MalformedLine[];
  until: (check: (s: WatchSummary) => boolean) => Promise<void>;
  stop: () => Promise<WatchSummary>;
}

function start(log: string, logger?: Logger): Running {
  const alerts: Alert[] = [];
  const malformed: MalformedLine[] = [];
  const controller = new AbortController();
  let last: WatchSummary = { records: 0, matches: 0, alerts: 0, malformed: 0 };
  const waiters: (() => void)[] = [];
  const dispatcher = new AlertDispatcher([
    createJsonlAlertSink(join(dir, 'alerts', 'alerts.jsonl')),
    { name: 'memory', write: async (a) => void alerts.push(a), close: async () => undefined },
  ]);
  const done = watchLogs([log], {
    set: SET,
    engine: new AlertEngine(RULES),
    dispatcher,
    statePath: join(dir, 'state', 'watch.json'),
    pollMs: 10,
    signal: controller.signal,
    onMalformed: (b) => void malformed.push(b),
    ...(logger ? { logger } : {}),
    onRound: (s) => {
      last = s;
      for (const w of waiters.splice(0)) w();
    },
  });
  return {
    alerts,
    malformed,
    async until(check) {
      for (let i = 0; i < 300 && !check(last); i++) await new Promise<void>((resolve) => waiters.push(resolve));
      expect(check(last)).toBe(true);
      await dispatcher.flush();
    },
    async stop() {
      controller.abort();
      const summary = await done;
      await dispatcher.close();
      return summary;
    },
  };
}

describe('watchLogs()', () => {
  it('reports a log it cannot follow once, not every round, and again once it recovers', async () => {
    const log = join(dir, 'conn.log');
    // A Zeek TSV log that lost its header (copytruncate): no format can be told.
    await writeFile(log, '1521911720.865716\tCqKst53mF3det3eDV9\t10.47.1.100\n');
    const said: string[] = [];
    const logger = { warn: (_: unknown, msg: string) => void said.push(msg), info: (_: unknown, msg: string) => void said.push(msg) } as unknown as Logger;
    const running = start(log, logger);
    let rounds = 0;
    await running.until(() => ++rounds >= 20);
    expect(said).toEqual(['cannot follow log']);
    await running.stop();
  });

  it('follows a log through rename rotation and truncation, and resumes after a restart without re-alerting', async () => {
    const log = join(dir, 'query.log');
    await writeFile(log, query(1) + query(2, 'good.test'));
    const first = start(log);
    await first.until((s) => s.alerts === 1);
    await appendFile(log, query(3));
    await first.until((s) => s.alerts === 2);

    // Rotation by rename: the last lines of the old file still count, then the new file from its start.
    await rename(log, `${log}.1`);
    await appendFile(`${log}.1`, query(4));
    await writeFile(log, query(5) + 'not a query line at all: query: ???\n');
    await first.until((s) => s.alerts === 4 && s.malformed === 1);

    // Truncation (copytruncate): the file is now shorter than the position, so reading starts again at 0.
    await truncate(log, 0);
    await writeFile(log, query(6));
    await first.until((s) => s.alerts === 5);
    await first.stop();
    expect(first.alerts.map((a) => a.src_ip)).toEqual(['10.0.0.1', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6']);
    expect(first.alerts.map((a) => [a.log.file, a.log.line])).toEqual([[log, 1], [log, 3], [log, 4], [log, 1], [log, 1]]);
    expect(first.malformed).toEqual([{ file: log, line: 2, reason: 'Cannot parse BIND log line: expected "client [@PTR] ADDRESS#PORT (NAME): "' }]);

    // Restart: only what was written while stopped is new.
    await appendFile(log, query(7));
    const second = start(log);
    await second.until((s) => s.alerts === 1);
    await second.stop();
    expect(second.alerts.map((a) => [a.src_ip, a.log.line])).toEqual([['10.0.0.7', 2]]);

    const jsonl = (await readFile(join(dir, 'alerts', 'alerts.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Alert);
    expect(jsonl.map((a) => a.src_ip)).toEqual(['10.0.0.1', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6', '10.0.0.7']);
    const state = JSON.parse(await readFile(join(dir, 'state', 'watch.json'), 'utf8')) as { files: Record<string, { offset: number; line: number }> };
    expect(state.files[log]).toMatchObject({ offset: Buffer.byteLength(query(6) + query(7)), line: 2 });
  });

  it('reads a copytruncated log again from the start when it grew past the old position between two polls', async () => {
    const log = join(dir, 'query.log');
    await writeFile(log, query(1));
    const running = start(log);
    await running.until((s) => s.alerts === 1);
    // Truncated and written again in one go, with lines as long as the old one: never shorter at a poll.
    await writeFile(log, query(2) + query(3) + query(4));
    await running.until((s) => s.alerts === 4);
    await running.stop();
    expect(running.alerts.map((a) => [a.src_ip, a.log.line])).toEqual([
      ['10.0.0.1', 1],
      ['10.0.0.2', 1],
      ['10.0.0.3', 2],
      ['10.0.0.4', 3],
    ]);
  });

  it('resumes a Zeek TSV log in the middle with its #fields header', async () => {
    const log = join(dir, 'dns.log');
    const header = '#separator \\x09\n#path\tdns\n#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tquery\n';
    await writeFile(log, `${header}1.0\tC1\t10.0.0.1\t1\t10.0.0.53\t53\tbad.test\n`);
    const first = start(log);
    await first.until((s) => s.alerts === 1);
    await first.stop();
    await appendFile(log, '2.0\tC2\t10.0.0.2\t1\t10.0.0.53\t53\twww.bad.test\n');
    const second = start(log);
    await second.until((s) => s.alerts === 1);
    await second.stop();
    expect(second.alerts.map((a) => [a.indicator?.seen, a.log.line, a.record_ts])).toEqual([['www.bad.test', 5, 2]]);
    expect(second.malformed).toEqual([]);
  });
});
