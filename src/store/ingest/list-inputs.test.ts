import { describe, it, expect } from 'vitest';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listInputs, sortRotated } from './list-inputs.js';

describe('sortRotated()', () => {
  it('orders dated rotations, then numbered ones oldest first, then the live log', () => {
    expect(sortRotated(['cowrie.json', 'cowrie.json.1', 'cowrie.json.2018-05-07.gz', 'cowrie.json.2', 'cowrie.json.2018-05-06'])).toEqual([
      'cowrie.json.2018-05-06',
      'cowrie.json.2018-05-07.gz',
      'cowrie.json.2',
      'cowrie.json.1',
      'cowrie.json',
    ]);
  });
});

describe('listInputs()', () => {
  it('expands a directory to its JSON logs and keeps "-" for stdin', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hs-list-'));
    try {
      await writeFile(join(dir, 'cowrie.json'), '');
      await writeFile(join(dir, 'cowrie.json.2018-05-06.gz'), '');
      await writeFile(join(dir, 'cowrie.log.2018-05-06'), '');
      await mkdir(join(dir, 'sub.json'));
      expect(await listInputs([dir, '-'])).toEqual([join(dir, 'cowrie.json.2018-05-06.gz'), join(dir, 'cowrie.json'), '-']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('throws HS_IO naming a missing path', async () => {
    await expect(listInputs(['/nonexistent/cowrie.json'])).rejects.toThrow('Cannot read "/nonexistent/cowrie.json": no such file or directory');
  });
});
