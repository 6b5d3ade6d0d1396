import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eicar, EICAR_NAME, MARKER, MARKER_NAME, startClamd, type ClamdInstance } from '../../test/helpers/clamd.js';
import { ClamdClient } from './clamd/client.js';
import { scanFiles } from './scan-files.js';

let clamd: ClamdInstance;
let dir: string;

beforeAll(async () => {
  clamd = await startClamd();
  dir = await mkdtemp(join(tmpdir(), 'hs-scan-files-'));
});

afterAll(async () => {
  await clamd?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('scanFiles()', () => {
  it('pipelines many files over IDSESSIONs and returns each verdict in input order', async () => {
    const paths: string[] = [];
    const expected: unknown[] = [];
    for (let i = 0; i < 120; i++) {
      const path = join(dir, `f${i}`);
      paths.push(path);
      if (i % 40 === 7) {
        await writeFile(path, eicar());
        expected.push({ kind: 'infected', signatures: [EICAR_NAME] });
      } else if (i % 40 === 9) {
        await writeFile(path, `x${MARKER}x`);
        expected.push({ kind: 'infected', signatures: [MARKER_NAME] });
      } else {
        await writeFile(path, `clean file ${i}`);
        expected.push({ kind: 'clean' });
      }
    }
    const large = join(dir, 'large');
    await writeFile(large, Buffer.concat([Buffer.alloc(200 * 1024, 0x2e), Buffer.from(MARKER)]));
    paths.push(large, join(dir, 'missing'));
    expected.push({ kind: 'infected', signatures: [MARKER_NAME] }, { kind: 'error', reason: `Cannot open "${join(dir, 'missing')}": ENOENT` });
    const client = new ClamdClient({ address: { kind: 'tcp', host: clamd.host, port: clamd.port } });
    const results = await scanFiles(client, paths, { sessions: 3, window: 8 });
    expect(results.map((r) => r.path)).toEqual(paths);
    expect(results.map((r) => r.verdict)).toEqual(expected);
    // In path mode clamd opens the files itself and words a missing one its own way.
    const byPath = await scanFiles(client, paths, { sessions: 2, window: 16, mode: 'path' });
    expect(byPath.map((r) => r.verdict)).toEqual([...expected.slice(0, -1), { kind: 'error', reason: 'File path check failure: No such file or directory.' }]);
  });

  it('reports every file as an error, never clean, when clamd is unreachable', async () => {
    const path = join(dir, 'one');
    await writeFile(path, 'data');
    const client = new ClamdClient({ address: { kind: 'unix', path: join(dir, 'nowhere.sock') } });
    const [result] = await scanFiles(client, [path, path]);
    expect(result!.verdict).toEqual({ kind: 'error', reason: `Cannot connect to clamd on LocalSocket ${join(dir, 'nowhere.sock')}: ENOENT`, transient: 'unavailable' });
  });
});
