import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storeArtifact } from './store-artifact.js';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'honeyscope-artifact-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function* chunks(...parts: string[]): AsyncIterable<Buffer> {
  for (const part of parts) yield Buffer.from(part);
}

describe('storeArtifact()', () => {
  it('stores a buffer under downloads/<sha256>', async () => {
    const sha = createHash('sha256').update('payload').digest('hex');
    const stored = await storeArtifact(dataDir, Buffer.from('payload'));
    expect(stored).toEqual({ shasum: sha, outfile: `downloads/${sha}`, path: join(dataDir, 'downloads', sha), duplicate: false, size: 7 });
    expect(await readFile(stored.path, 'utf8')).toBe('payload');
  });

  it('streams an async iterable and reports a second copy as a duplicate', async () => {
    const first = await storeArtifact(dataDir, chunks('pay', 'load'));
    const second = await storeArtifact(dataDir, Buffer.from('payload'));
    expect(second).toEqual({ ...first, duplicate: true });
    expect(await readdir(join(dataDir, 'downloads'))).toEqual([first.shasum]);
  });

  it('stops past maxBytes and leaves no temp file', async () => {
    await expect(storeArtifact(dataDir, chunks('12345', '67890'), { maxBytes: 8 })).rejects.toThrow('Cannot store artifact: it exceeds 8 bytes');
    expect(await readdir(join(dataDir, 'downloads'))).toEqual([]);
  });
});
