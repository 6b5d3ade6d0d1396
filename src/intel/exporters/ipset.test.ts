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

describe('renderIpset()', () => {
  it('renderIpset() writes ipset restore input: create, flush, then add per address family', async () => {
    const text = await collect(renderIpset([[item('1.2.3.0/24', 'cidr'), item('2001:db8::5', 'ipv6'), item('a.test', 'domain')]], { report: createReport(), maxelem: 1000 }));
    expect(text).toBe([
      'create honeyscope-v4 hash:net family inet hashsize 1024 maxelem 1000 -exist',
      'create honeyscope-v6 hash:net family inet6 hashsize 1024 maxelem 1000 -exist',
      'flush honeyscope-v4',
      'flush honeyscope-v6',
      'add honeyscope-v4 1.2.3.0/24 -exist',
      'add honeyscope-v6 2001:db8::5 -exist',
      '',
    ].join('\n'));
  });

  it('renderIpset() output loads with the real ipset restore and the sets match what was listed', async () => {
    const run = promisify(execFile);
    const name = `hs${randomBytes(4).toString('hex')}`;
    const dir = await mkdtemp(join(tmpdir(), 'hs-ipset-'));
    const file = join(dir, 'sets.ipset');
    await writeFile(file, await collect(renderIpset([[item('198.51.100.0/24', 'cidr'), item('203.0.113.5', 'ipv4'), item('2001:db8::5', 'ipv6')]], { report: createReport(), name })));
    try {
      await run('ipset', ['restore', '-f', file]);
      await run('ipset', ['restore', '-f', file]);
      await run('ipset', ['test', `${name}-v4`, '198.51.100.77']);
      await run('ipset', ['test', `${name}-v6`, '2001:db8::5']);
      await expect(run('ipset', ['test', `${name}-v4`, '192.0.2.1'])).rejects.toThrow();
    } finally {
      // A set is missing only if restore failed, and that failure is the one to report.
      await run('ipset', ['destroy', `${name}-v4`]).catch(() => undefined);
      await run('ipset', ['destroy', `${name}-v6`]).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    }
  });
});
