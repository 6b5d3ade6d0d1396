import { open, rename, unlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, basename, join } from 'node:path';
import { HoneyscopeError } from './errors.js';
import { ioReason } from './io-reason.js';

/**
 * Replaces `path` atomically: writes a temp file beside it, fsyncs, renames.
 * Readers (named, Zeek, nft) see the old file or the new one, never half of one.
 * `chunks` may be a string, a Buffer or an (async) iterable of them, so big exports stream.
 */
export async function atomicWrite(
  path: string,
  chunks: string | Uint8Array | Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>,
  options: { mode?: number } = {},
): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  // Errors name the file the user asked for, not the hidden temporary one.
  const cannot = (err: unknown): HoneyscopeError => new HoneyscopeError('HS_IO', `Cannot write "${path}": ${ioReason(err)}`, { cause: err });
  const fh = await open(tmp, 'wx', options.mode ?? 0o644).catch((err: unknown) => {
    throw cannot(err);
  });
  try {
    const stream = typeof chunks === 'string' || chunks instanceof Uint8Array ? [chunks] : chunks;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    for await (const chunk of stream) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      pending.push(buf);
      pendingBytes += buf.length;
      if (pendingBytes >= 1 << 20) {
        await fh.write(Buffer.concat(pending));
        pending = [];
        pendingBytes = 0;
      }
    }
    if (pendingBytes > 0) await fh.write(Buffer.concat(pending));
    await fh.sync();
    await fh.close();
    await rename(tmp, path).catch((err: unknown) => {
      throw cannot(err);
    });
  } catch (err) {
    await fh.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}
