import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HoneyscopeError } from '../../lib/errors.js';
import { openIntelStore } from './open-intel-store.js';

describe('openIntelStore()', () => {
  it('openIntelStore() names a data directory that is a file, as a user error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hs-open-intel-'));
    try {
      const file = join(dir, 'afile');
      await writeFile(file, '');
      const config = { core: { dataDir: file }, store: { url: '' } } as Parameters<typeof openIntelStore>[0];
      await expect(openIntelStore(config)).rejects.toThrow(new HoneyscopeError('HS_IO', `Cannot use data directory "${file}": it (or a parent) is a file, expected a directory`));
      await expect(openIntelStore({ ...config, core: { ...config.core, dataDir: join(file, 'sub') } })).rejects.toBeInstanceOf(HoneyscopeError);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
