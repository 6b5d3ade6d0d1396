import { appendFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../lib/logger.js';
import { DiskSpool } from './disk-spool.js';

let dir = '';
beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), 'hs-spool-')), 'spool');
});
afterEach(async () => {
  await rm(join(dir, '..'), { recursive: true, force: true });
});

function openSpool(overrides: { maxBytes?: number; segmentBytes?: number } = {}): Promise<DiskSpool> {
  return DiskSpool.open({ dir, maxBytes: 1 << 20, segmentBytes: 64, logger: silentLogger(), ...overrides });
}

async function drain(spool: DiskSpool): Promise<string[]> {
  const out: string[] = [];
  for (let p = await spool.peek(); p !== undefined; p = await spool.peek()) {
    out.push(p.toString());
    await spool.shift();
  }
  return out;
}

describe('DiskSpool', () => {
  it('replays appended payloads in order across segments and deletes them', async () => {
    const spool = await openSpool();
    for (let i = 0; i < 10; i += 1) await spool.append(Buffer.from(`batch ${i} ${'x'.repeat(20)}`));
    expect((await readdir(dir)).length).toBeGreaterThan(1);
    expect(await drain(spool)).toEqual(Array.from({ length: 10 }, (_, i) => `batch ${i} ${'x'.repeat(20)}`));
    expect(spool.isEmpty).toBe(true);
    expect(spool.bytes).toBe(0);
    expect(await readdir(dir)).toEqual([]);
    await spool.close();
  });

  it('keeps appended payloads across a reopen', async () => {
    const first = await openSpool({ segmentBytes: 1 << 20 });
    await first.append(Buffer.from('a'));
    await first.append(Buffer.from('b'));
    await first.close();
    const second = await openSpool({ segmentBytes: 1 << 20 });
    expect(second.isEmpty).toBe(false);
    await second.append(Buffer.from('c'));
    expect(await drain(second)).toEqual(['a', 'b', 'c']);
    await second.close();
  });

  it('accepts appends while the oldest segment is being replayed', async () => {
    const spool = await openSpool({ segmentBytes: 1 << 20 });
    await spool.append(Buffer.from('a'));
    expect((await spool.peek())?.toString()).toBe('a');
    await spool.append(Buffer.from('b'));
    await spool.shift();
    expect(await drain(spool)).toEqual(['b']);
    await spool.close();
  });

  it('skips a torn frame at the end of a segment left by a crash', async () => {
    const first = await openSpool({ segmentBytes: 1 << 20 });
    await first.append(Buffer.from('acknowledged'));
    await first.close();
    const [name] = await readdir(dir);
    await appendFile(join(dir, name!), Buffer.from([0, 0, 0, 50, 1, 2]));
    const second = await openSpool();
    expect(await drain(second)).toEqual(['acknowledged']);
    await second.close();
  });

  it('append() refuses a payload beyond maxBytes', async () => {
    const spool = await openSpool({ maxBytes: 100 });
    await spool.append(Buffer.alloc(50));
    await expect(spool.append(Buffer.alloc(50))).rejects.toThrow(`Cannot spool 50 bytes in "${dir}": the spool holds 58 of at most 100 bytes`);
    await spool.close();
  });
});
