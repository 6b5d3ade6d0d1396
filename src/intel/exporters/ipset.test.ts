import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { IntelItem } from '../indicator.js';
import { createReport } from './exporter.js';
import { renderIpset } from './ipset.js';

async function collect(gen: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const chunk of gen) text += chunk;
  return text;
}

const item = (indicator: string, type: IntelItem['type']): IntelItem => ({ indicator, type, meta: [{ source: 's', pulseId: '', active: true }] });

const run = promisify(execFile);
const hasIpset = await run('ipset', ['--version']).then(() => true, () => false);

describe('renderIpset()', () => {
  it('renderIpset() fills temporary sets, swaps them with the live ones, then destroys them', async () => {
    const report = createReport();
    const text = await collect(renderIpset([[item('1.2.3.0/24', 'cidr'), item('2001:db8::5', 'ipv6'), item('a.test', 'domain'), item('0.0.0.0/0', 'cidr')]], { report, maxelem: 1000 }));
    expect(text).toBe([
      'create honeyscope-v4 hash:net family inet hashsize 1024 maxelem 1000 -exist',
      'create honeyscope-v4-tmp hash:net family inet hashsize 1024 maxelem 1000 -exist',
      'flush honeyscope-v4-tmp',
      'create honeyscope-v6 hash:net family inet6 hashsize 1024 maxelem 1000 -exist',
      'create honeyscope-v6-tmp hash:net family inet6 hashsize 1024 maxelem 1000 -exist',
      'flush honeyscope-v6-tmp',
      'add honeyscope-v4-tmp 1.2.3.0/24 -exist',
      'add honeyscope-v6-tmp 2001:db8::5 -exist',
      'swap honeyscope-v4-tmp honeyscope-v4',
      'swap honeyscope-v6-tmp honeyscope-v6',
      'destroy honeyscope-v4-tmp',
      'destroy honeyscope-v6-tmp',
      '',
    ].join('\n'));
    expect(report).toEqual({ written: 2, rejected: [{ indicator: '0.0.0.0/0', type: 'cidr', reason: 'expected a prefix of at least /8, found /0' }] });
  });

  it.skipIf(!hasIpset)('renderIpset() output loads with the real ipset restore, replaces the entries, and a failing restore leaves the live sets as they were', async () => {
    const name = `hs${randomBytes(4).toString('hex')}`;
    const dir = await mkdtemp(join(tmpdir(), 'hs-ipset-'));
    const file = join(dir, 'sets.ipset');
    const render = async (items: IntelItem[]): Promise<string> => collect(renderIpset([items], { report: createReport(), name }));
    const entries = async (set: string): Promise<string[]> => {
      const { stdout } = await run('ipset', ['list', set]);
      return stdout.slice(stdout.indexOf('Members:\n') + 9).split('\n').filter((l) => l !== '').sort();
    };
    try {
      await writeFile(file, await render([item('198.51.100.0/24', 'cidr'), item('203.0.113.5', 'ipv4'), item('2001:db8::5', 'ipv6')]));
      await run('ipset', ['restore', '-f', file]);
      await run('ipset', ['test', `${name}-v4`, '198.51.100.77']);
      await run('ipset', ['test', `${name}-v6`, '2001:db8::5']);
      await expect(run('ipset', ['test', `${name}-v4`, '192.0.2.1'])).rejects.toThrow();

      await writeFile(file, await render([item('192.0.2.1', 'ipv4'), item('203.0.113.5', 'ipv4')]));
      await run('ipset', ['restore', '-f', file]);
      expect(await entries(`${name}-v4`)).toEqual(['192.0.2.1', '203.0.113.5']);
      expect(await entries(`${name}-v6`)).toEqual([]);
      await expect(run('ipset', ['list', `${name}-v4-tmp`])).rejects.toThrow();

      // A line ipset refuses, halfway through the adds: restore fails before any swap.
      const good = await render([item('198.51.100.9', 'ipv4'), item('2001:db8::9', 'ipv6')]);
      await writeFile(file, good.replace(`add ${name}-v6-tmp`, `add ${name}-v4-tmp 0.0.0.0/0 -exist\nadd ${name}-v6-tmp`));
      await expect(run('ipset', ['restore', '-f', file])).rejects.toThrow(/CIDR/);
      expect(await entries(`${name}-v4`)).toEqual(['192.0.2.1', '203.0.113.5']);

      // The next good export recovers, although the failed one left its temporary sets behind.
      await writeFile(file, good);
      await run('ipset', ['restore', '-f', file]);
      expect(await entries(`${name}-v4`)).toEqual(['198.51.100.9']);
      expect(await entries(`${name}-v6`)).toEqual(['2001:db8::9']);
    } finally {
      // A set is missing only if restore failed, and that failure is the one to report.
      for (const set of ['v4', 'v6', 'v4-tmp', 'v6-tmp']) await run('ipset', ['destroy', `${name}-${set}`]).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    }
  });
});
