import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { HoneyscopeError } from '../../lib/errors.js';

export interface StoredArtifact {
  /** Lowercase hex SHA-256 of the bytes. */
  readonly shasum: string;
  /** Path relative to the data dir, as events carry it: `downloads/<sha256>`. */
  readonly outfile: string;
  /** Real path of the stored file. */
  readonly path: string;
  /** True when a file with the same hash was already stored. */
  readonly duplicate: boolean;
  readonly size: number;
}

export interface StoreArtifactOptions {
  /** Bytes past which storing stops with HS_LIMIT (the temp file is removed). */
  maxBytes?: number;
}

/**
 * Stores captured bytes content-addressed in DATA/downloads/<sha256>: streams
 * them to a temp file while hashing, fsyncs, then renames, so a reader never
 * sees half a file. An existing file with that hash is kept (`duplicate`).
 */
export async function storeArtifact(
  dataDir: string,
  data: Buffer | AsyncIterable<Buffer>,
  options: StoreArtifactOptions = {},
): Promise<StoredArtifact> {
  const dir = join(dataDir, 'downloads');
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.tmp-${randomBytes(8).toString('hex')}`);
  const hash = createHash('sha256');
  const fh = await open(tmp, 'wx', 0o600);
  let size = 0;
  try {
    const chunks: AsyncIterable<Buffer> | Buffer[] = Buffer.isBuffer(data) ? [data] : data;
    for await (const chunk of chunks) {
      size += chunk.length;
      if (options.maxBytes !== undefined && size > options.maxBytes) {
        throw new HoneyscopeError('HS_LIMIT', `Cannot store artifact: it exceeds ${options.maxBytes} bytes`);
      }
      hash.update(chunk);
      await fh.write(chunk);
    }
    await fh.sync();
    await fh.close();
  } catch (err) {
    await fh.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  const shasum = hash.digest('hex');
  const path = join(dir, shasum);
  const duplicate = await stat(path).then(
    () => true,
    (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return false;
      throw err;
    },
  );
  if (duplicate) await unlink(tmp);
  else await rename(tmp, path);
  return { shasum, outfile: `downloads/${shasum}`, path, duplicate, size };
}
