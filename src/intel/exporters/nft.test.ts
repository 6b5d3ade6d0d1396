import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IntelItem } from '../indicator.js';
import { createReport } from './exporter.js';
import { renderNft } from './nft.js';

const run = promisify(execFile);
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hs-nft-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function collect(gen: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const chunk of gen) text += chunk;
  return text;
}

/** `nft -c -f`: the real parser and kernel-independent checks, without changing the ruleset. */
async function nftCheck(text: string): Promise<void> {
  const file = join(dir, `rules-${Math.random().toString(36).slice(2)}.nft`);
  await writeFile(file, text);
  await run('nft', ['-c', '-f', file]);
}

const item = (indicator: string, type: IntelItem['type']): IntelItem => ({ indicator, type, meta: [{ source: 's', pulseId: '', active: true }] });

describe('renderNft()', () => {
  it('renderNft() writes interval sets for IPv4 and IPv6 that nft -c -f accepts, overlaps included', async () => {
    const report = createReport();
    const text = await collect(renderNft([[
      item('1.2.3.0/24', 'cidr'), item('1.2.3.4', 'ipv4'), item('10.0.0.0/8', 'cidr'), item('2001:db8::/32', 'cidr'), item('2001:db8::5', 'ipv6'), item('evil.test', 'domain'),
    ]], { report }));
    expect(text).toContain('\tset intel_v4 {\n\t\ttype ipv4_addr\n\t\tflags interval\n\t\tauto-merge\n\t\telements = {\n\t\t\t1.2.3.0/24,\n\t\t\t1.2.3.4,\n\t\t\t10.0.0.0/8\n\t\t}\n\t}\n');
    expect(report.written).toBe(5);
    await nftCheck(text);
  });

  it('renderNft() writes empty sets without an elements line', async () => {
    const text = await collect(renderNft([], { report: createReport() }));
    expect(text).not.toContain('elements');
    await nftCheck(text);
  });

  it('renderNft() output fails nft -c when an element is corrupt, so the check is real', async () => {
    const text = (await collect(renderNft([[item('1.2.3.4', 'ipv4')]], { report: createReport() }))).replace('1.2.3.4', '1.2.3.999');
    await expect(nftCheck(text)).rejects.toThrow();
  });

  it('renderNft() refuses a table name that could inject syntax', async () => {
    await expect(collect(renderNft([], { report: createReport(), table: 'x { }' }))).rejects.toThrow(
      new SyntaxError('Invalid nftables table name "x { }": expected a letter then letters, digits or underscores'),
    );
  });
});
