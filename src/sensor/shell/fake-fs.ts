import { open } from 'node:fs/promises';
import { posix } from 'node:path';
import { BASE_MTIME, BASE_ROOT, type BaseNode, type FileContent, type FsContext } from './base-fs.js';
import { homeDirectory } from './home-directory.js';

export type FsErrorCode = 'ENOENT' | 'ENOTDIR' | 'EISDIR' | 'EEXIST' | 'ENOSPC' | 'EACCES' | 'ENOTEMPTY';

const FS_MESSAGES: Record<FsErrorCode, string> = {
  ENOENT: 'No such file or directory',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  EEXIST: 'File exists',
  ENOSPC: 'No space left on device',
  EACCES: 'Permission denied',
  ENOTEMPTY: 'Directory not empty',
};

/** A fake file system failure; `message` is the strerror text commands print. */
export class FsError extends Error {
  readonly code: FsErrorCode;
  readonly path: string;

  constructor(code: FsErrorCode, path: string) {
    super(FS_MESSAGES[code]);
    this.name = 'FsError';
    this.code = code;
    this.path = path;
  }
}

export interface FsStat {
  readonly type: 'file' | 'dir' | 'device';
  readonly size: number;
  readonly mode: number;
  readonly mtime: number;
  /** Base files belong to root; what the session makes belongs to its user. */
  readonly owner: string;
}

type OverlayNode =
  | { readonly type: 'file'; readonly data: Buffer; mode: number; mtime: number }
  /** A file whose bytes live in the artifact store (a download), not in memory. */
  | { readonly type: 'artifact'; readonly realPath: string; readonly size: number; mode: number; mtime: number }
  /** `opaque`: created after a delete (or new), so base entries below it stay hidden. */
  | { readonly type: 'dir'; readonly opaque: boolean; mode: number; mtime: number };

interface Found {
  readonly base: BaseNode | undefined;
  readonly overlay: OverlayNode | undefined;
}

export interface FakeFsOptions {
  /** Bytes this session may write in total (cumulative, not net). */
  maxBytes: number;
  /** Changed paths this session may hold. */
  maxEntries?: number;
}

const READ_ONLY_ROOTS = ['/proc', '/sys'];
const USER_WRITABLE = ['/tmp', '/var/tmp', '/dev/shm'];

/**
 * One session's view of the file system: the shared BASE_ROOT plus a small map
 * of this session's changes (path -> node, null = deleted). Nothing here
 * touches the real file system except reading artifact-backed downloads.
 */
export class FakeFs {
  readonly #overlay = new Map<string, OverlayNode | null>();
  readonly #ctx: FsContext;
  readonly #maxBytes: number;
  readonly #maxEntries: number;
  #bytes = 0;

  constructor(ctx: FsContext, options: FakeFsOptions) {
    this.#ctx = ctx;
    this.#maxBytes = options.maxBytes;
    this.#maxEntries = options.maxEntries ?? 10_000;
  }

  get bytesWritten(): number {
    return this.#bytes;
  }

  stat(path: string): FsStat | undefined {
    const found = this.#find(path);
    if (found === undefined) return undefined;
    const { overlay, base } = found;
    if (overlay !== undefined) {
      const owner = this.#ctx.username;
      if (overlay.type === 'dir') return { type: 'dir', size: 4096, mode: overlay.mode, mtime: overlay.mtime, owner };
      const size = overlay.type === 'file' ? overlay.data.length : overlay.size;
      return { type: 'file', size, mode: overlay.mode, mtime: overlay.mtime, owner };
    }
    if (base === undefined) return undefined;
    const owner = 'root';
    if (base.type === 'dir') return { type: 'dir', size: 4096, mode: base.mode, mtime: BASE_MTIME, owner };
    if (base.type === 'device') return { type: 'device', size: 0, mode: base.mode, mtime: BASE_MTIME, owner };
    return { type: 'file', size: this.#baseText(base.content).length, mode: base.mode, mtime: BASE_MTIME, owner };
  }

  /** Sorted entry names of a directory. */
  list(path: string): string[] {
    const found = this.#require(path);
    if (!this.#isDir(found)) throw new FsError('ENOTDIR', path);
    const names = new Set<string>();
    const opaque = found.overlay?.type === 'dir' && found.overlay.opaque;
    if (!opaque && found.base?.type === 'dir') for (const name of found.base.children.keys()) names.add(name);
    for (const [key, node] of this.#overlay) {
      if (key === '/' || posix.dirname(key) !== path) continue;
      const name = posix.basename(key);
      if (node === null) names.delete(name);
      else names.add(name);
    }
    return [...names].sort();
  }

  async readFile(path: string): Promise<Buffer> {
    const found = this.#require(path);
    if (this.#isDir(found)) throw new FsError('EISDIR', path);
    if (path === '/etc/shadow' && this.#ctx.username !== 'root') throw new FsError('EACCES', path);
    const { overlay, base } = found;
    if (overlay?.type === 'file') return overlay.data;
    if (overlay?.type === 'artifact') return readHead(overlay.realPath, this.#maxBytes);
    if (base?.type === 'file') return Buffer.from(this.#baseText(base.content), 'latin1');
    return Buffer.alloc(0);
  }

  /** Writes (or appends) bytes; writes to devices are discarded. */
  writeFile(path: string, data: Buffer, options: { append?: boolean; mode?: number } = {}): void {
    const found = this.#find(path);
    if (found !== undefined && this.#isDir(found)) throw new FsError('EISDIR', path);
    if (found?.base?.type === 'device' && found.overlay === undefined) return;
    this.#checkWritable(path);
    if (this.#bytes + data.length > this.#maxBytes) throw new FsError('ENOSPC', path);
    const previous = found !== undefined && options.append === true ? this.#memoryContent(found) : undefined;
    const mode = (found !== undefined ? this.stat(path)?.mode : undefined) ?? options.mode ?? 0o644;
    this.#set(path, { type: 'file', data: previous !== undefined && previous.length > 0 ? Buffer.concat([previous, data]) : data, mode, mtime: this.#ctx.now() });
    this.#bytes += data.length;
  }

  /** Places a stored artifact (a download) at `path` without holding its bytes in memory. */
  linkArtifact(path: string, artifact: { realPath: string; size: number }): void {
    const found = this.#find(path);
    if (found !== undefined && this.#isDir(found)) throw new FsError('EISDIR', path);
    this.#checkWritable(path);
    this.#set(path, { type: 'artifact', realPath: artifact.realPath, size: artifact.size, mode: 0o644, mtime: this.#ctx.now() });
  }

  mkdir(path: string, options: { parents?: boolean } = {}): void {
    const found = this.#find(path);
    if (found !== undefined) {
      if (options.parents === true && this.#isDir(found)) return;
      throw new FsError('EEXIST', path);
    }
    const parent = posix.dirname(path);
    if (this.#find(parent) === undefined) {
      if (options.parents !== true) throw new FsError('ENOENT', path);
      this.mkdir(parent, options);
    }
    this.#checkWritable(path);
    this.#set(path, { type: 'dir', opaque: true, mode: 0o755, mtime: this.#ctx.now() });
  }

  remove(path: string, options: { recursive?: boolean } = {}): void {
    const found = this.#require(path);
    this.#checkWritable(path);
    if (this.#isDir(found)) {
      if (options.recursive !== true && this.list(path).length > 0) throw new FsError('ENOTEMPTY', path);
      const prefix = `${path}/`;
      for (const key of [...this.#overlay.keys()]) if (key.startsWith(prefix)) this.#overlay.delete(key);
    }
    this.#overlay.delete(path);
    if (this.#existsInBase(path)) this.#overlay.set(path, null);
  }

  chmod(path: string, mode: number): void {
    const found = this.#require(path);
    this.#checkWritable(path);
    this.#touchNode(path, found, { mode });
  }

  /** Creates an empty file or updates the mtime. */
  touch(path: string): void {
    const found = this.#find(path);
    if (found === undefined) {
      this.writeFile(path, Buffer.alloc(0));
      return;
    }
    this.#checkWritable(path);
    this.#touchNode(path, found, {});
  }

  #touchNode(path: string, found: Found, change: { mode?: number }): void {
    const now = this.#ctx.now();
    const { overlay, base } = found;
    if (overlay !== undefined) {
      overlay.mtime = now;
      if (change.mode !== undefined) overlay.mode = change.mode;
      return;
    }
    if (base === undefined || base.type === 'device') return;
    const mode = change.mode ?? base.mode;
    if (base.type === 'dir') this.#set(path, { type: 'dir', opaque: false, mode, mtime: now });
    else this.#set(path, { type: 'file', data: Buffer.from(this.#baseText(base.content), 'latin1'), mode, mtime: now });
  }

  #set(path: string, node: OverlayNode): void {
    if (!this.#overlay.has(path) && this.#overlay.size >= this.#maxEntries) throw new FsError('ENOSPC', path);
    const parent = this.#find(posix.dirname(path));
    if (parent === undefined) throw new FsError('ENOENT', path);
    if (!this.#isDir(parent)) throw new FsError('ENOTDIR', path);
    this.#overlay.set(path, node);
  }

  #checkWritable(path: string): void {
    const under = (root: string): boolean => path === root || path.startsWith(`${root}/`);
    if (path === '/' || READ_ONLY_ROOTS.some(under)) throw new FsError('EACCES', path);
    if (this.#ctx.username === 'root') return;
    const home = homeDirectory(this.#ctx.username);
    if (![...USER_WRITABLE, home].some(under)) throw new FsError('EACCES', path);
  }

  /** Current bytes of a file held in memory or in the base (an appended-to download starts over). */
  #memoryContent(found: Found): Buffer {
    if (found.overlay?.type === 'file') return found.overlay.data;
    if (found.overlay === undefined && found.base?.type === 'file') return Buffer.from(this.#baseText(found.base.content), 'latin1');
    return Buffer.alloc(0);
  }

  #baseText(content: FileContent): string {
    return typeof content === 'function' ? content(this.#ctx) : content;
  }

  #isDir(found: Found): boolean {
    return found.overlay !== undefined ? found.overlay.type === 'dir' : found.base?.type === 'dir';
  }

  #require(path: string): Found {
    const found = this.#find(path);
    if (found === undefined) throw new FsError('ENOENT', path);
    return found;
  }

  #existsInBase(path: string): boolean {
    let node: BaseNode | undefined = BASE_ROOT;
    for (const name of path.split('/').filter(Boolean)) {
      node = node?.type === 'dir' ? node.children.get(name) : undefined;
    }
    return node !== undefined;
  }

  /** Walks `path` (absolute, normalised) through overlay and base together. */
  #find(path: string): Found | undefined {
    let base: BaseNode | undefined = BASE_ROOT;
    const rootEntry = this.#overlay.get('/');
    let overlay: OverlayNode | undefined = rootEntry ?? undefined;
    let prefix = '';
    for (const name of path.split('/').filter(Boolean)) {
      const isDir = overlay !== undefined ? overlay.type === 'dir' : base?.type === 'dir';
      if (!isDir) return undefined;
      const baseVisible = overlay === undefined || (overlay.type === 'dir' && !overlay.opaque);
      const parentBase: BaseNode | undefined = baseVisible ? base : undefined;
      prefix += `/${name}`;
      const entry = this.#overlay.get(prefix);
      if (entry === null) return undefined;
      base = parentBase?.type === 'dir' ? parentBase.children.get(name) : undefined;
      overlay = entry;
      if (overlay === undefined && base === undefined) return undefined;
    }
    return { base, overlay };
  }
}

/** At most `limit` bytes from the start of a real file (a stored download). */
async function readHead(path: string, limit: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(Math.min(limit, (await fh.stat()).size));
    const { bytesRead } = await fh.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}
