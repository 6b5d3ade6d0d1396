import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The sensor's persistent UUID (DATA/uuid), the `uuid` field of every event. */
export async function sensorUuid(dataDir: string): Promise<string> {
  const path = join(dataDir, 'uuid');
  const existing = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  const value = existing?.trim();
  if (value && /^[0-9a-f-]{36}$/.test(value)) return value;
  const uuid = randomUUID();
  await mkdir(dataDir, { recursive: true });
  await writeFile(path, `${uuid}\n`);
  return uuid;
}
