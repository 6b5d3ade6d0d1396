import { posix } from 'node:path';
import type { SFTPWrapper, Attributes } from 'ssh2';
import ssh2 from 'ssh2';
import { FsError, type FakeFs, type FsStat } from '../shell/fake-fs.js';
import { formatMode } from '../shell/format-mode.js';

const { STATUS_CODE, OPEN_MODE } = ssh2.utils.sftp;

export interface SftpUpload {
  filename: string;
  destfile: string;
  data: Buffer;
}

/** An open file: being written (kept as chunks until closed), or read (its bytes). */
type OpenFile =
  | { kind: 'write'; path: string; chunks: Array<{ offset: number; data: Buffer }>; size: number }
  | { kind: 'read'; path: string; data: Buffer }
  | { kind: 'dir'; path: string; listed: boolean };

const MAX_HANDLES = 64;
/** Entries per READDIR answer, as OpenSSH's sftp-server sends them. */
const DIR_BATCH = 100;

function attrsOf(stat: FsStat): Attributes {
  const type = stat.type === 'dir' ? 0o040000 : stat.type === 'device' ? 0o020000 : 0o100000;
  const time = Math.floor(stat.mtime / 1000);
  const id = stat.owner === 'root' ? 0 : 1000;
  return { mode: type | stat.mode, uid: id, gid: id, size: stat.size, atime: time, mtime: time };
}

/** `ls -l`'s line, which sftp clients print as they get it. */
function longname(name: string, stat: FsStat): string {
  const date = new Date(stat.mtime).toUTCString().slice(5, 16);
  return `${formatMode(stat)}    ${stat.type === 'dir' ? 2 : 1} ${stat.owner.padEnd(8)} ${stat.owner.padEnd(8)} ${String(stat.size).padStart(8)} ${date} ${name}`;
}

function statusOf(err: unknown): number {
  if (!(err instanceof FsError)) throw err;
  if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return STATUS_CODE.NO_SUCH_FILE;
  if (err.code === 'EACCES') return STATUS_CODE.PERMISSION_DENIED;
  return STATUS_CODE.FAILURE;
}

/**
 * An SFTP server over the connection's fake file system, the one its shells
 * see: bots can list, stat and download what `ls` shows. Files written are
 * kept in memory (capped at `maxBytes` per session), handed to `onUpload` when
 * closed and put in the fake file system. Nothing touches the real one.
 */
export function serveSftp(sftp: SFTPWrapper, options: { fs: FakeFs; home: string; maxBytes: number; onUpload: (upload: SftpUpload) => void; onLimit: () => void }): void {
  const { fs } = options;
  const handles = new Map<number, OpenFile>();
  let nextHandle = 1;
  let bytes = 0;

  function resolvePath(p: string): string {
    const path = posix.normalize(p.startsWith('/') ? p : posix.join(options.home, p || '.'));
    // Clients ask for "/tmp/"; the file system knows "/tmp".
    return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  }
  function fileOf(buf: Buffer): OpenFile | undefined {
    return buf.length === 4 ? handles.get(buf.readUInt32BE(0)) : undefined;
  }
  function newHandle(file: OpenFile): Buffer | undefined {
    if (handles.size >= MAX_HANDLES) return undefined;
    const id = nextHandle++;
    handles.set(id, file);
    const buf = Buffer.alloc(4);
    buf.writeUInt32BE(id);
    return buf;
  }
  function answerStat(id: number, p: string): void {
    const stat = fs.stat(resolvePath(p));
    if (stat === undefined) sftp.status(id, STATUS_CODE.NO_SUCH_FILE);
    else sftp.attrs(id, attrsOf(stat));
  }
  function change(id: number, work: () => void): void {
    try {
      work();
      sftp.status(id, STATUS_CODE.OK);
    } catch (err) {
      sftp.status(id, statusOf(err));
    }
  }

  sftp.on('REALPATH', (id, p) => {
    const path = resolvePath(p);
    // A path still to be made (an upload's target) resolves too, as it did before this server had a file system.
    const stat = fs.stat(path) ?? fs.stat('/');
    sftp.name(id, [{ filename: path, longname: '', attrs: attrsOf(stat!) }]);
  });
  sftp.on('STAT', answerStat);
  sftp.on('LSTAT', answerStat);
  sftp.on('OPEN', (id, filename, flags) => {
    const path = resolvePath(filename);
    if ((flags & OPEN_MODE.WRITE) !== 0) {
      if (fs.stat(path)?.type === 'dir') return sftp.status(id, STATUS_CODE.FAILURE, 'Is a directory');
      const handle = newHandle({ kind: 'write', path, chunks: [], size: 0 });
      return handle ? sftp.handle(id, handle) : sftp.status(id, STATUS_CODE.FAILURE);
    }
    fs.readFile(path).then(
      (data) => {
        const handle = newHandle({ kind: 'read', path, data });
        if (handle) sftp.handle(id, handle);
        else sftp.status(id, STATUS_CODE.FAILURE);
      },
      (err: unknown) => sftp.status(id, statusOf(err)),
    );
  });
  sftp.on('READ', (id, handleBuf, offset, length) => {
    const file = fileOf(handleBuf);
    if (file?.kind !== 'read') return sftp.status(id, STATUS_CODE.FAILURE);
    if (offset >= file.data.length) return sftp.status(id, STATUS_CODE.EOF);
    sftp.data(id, file.data.subarray(offset, Math.min(file.data.length, offset + length)));
  });
  sftp.on('WRITE', (id, handleBuf, offset, data) => {
    const file = fileOf(handleBuf);
    if (file?.kind !== 'write') return sftp.status(id, STATUS_CODE.FAILURE);
    if (bytes + data.length > options.maxBytes) {
      options.onLimit();
      return sftp.status(id, STATUS_CODE.FAILURE, 'No space left on device');
    }
    bytes += data.length;
    file.chunks.push({ offset, data: Buffer.from(data) });
    file.size = Math.max(file.size, offset + data.length);
    sftp.status(id, STATUS_CODE.OK);
  });
  sftp.on('FSTAT', (id, handleBuf) => {
    const file = fileOf(handleBuf);
    if (!file) return sftp.status(id, STATUS_CODE.FAILURE);
    if (file.kind === 'write') return sftp.attrs(id, { mode: 0o100644, uid: 0, gid: 0, size: file.size, atime: 0, mtime: 0 });
    answerStat(id, file.path);
  });
  sftp.on('CLOSE', (id, handleBuf) => {
    const key = handleBuf.length === 4 ? handleBuf.readUInt32BE(0) : -1;
    const file = handles.get(key);
    handles.delete(key);
    if (!file) return sftp.status(id, STATUS_CODE.FAILURE);
    if (file.kind === 'write' && file.size <= options.maxBytes) {
      const data = Buffer.alloc(file.size);
      for (const chunk of file.chunks) chunk.data.copy(data, chunk.offset);
      options.onUpload({ filename: posix.basename(file.path), destfile: file.path, data });
      try {
        fs.writeFile(file.path, data);
      } catch (err) {
        // The upload is logged and kept either way; the fake file system may refuse the place (/proc).
        return sftp.status(id, statusOf(err));
      }
    }
    sftp.status(id, STATUS_CODE.OK);
  });
  sftp.on('OPENDIR', (id, p) => {
    const path = resolvePath(p);
    const stat = fs.stat(path);
    if (stat === undefined) return sftp.status(id, STATUS_CODE.NO_SUCH_FILE);
    if (stat.type !== 'dir') return sftp.status(id, STATUS_CODE.FAILURE, 'Not a directory');
    const handle = newHandle({ kind: 'dir', path, listed: false });
    return handle ? sftp.handle(id, handle) : sftp.status(id, STATUS_CODE.FAILURE);
  });
  sftp.on('READDIR', (id, handleBuf) => {
    const dir = fileOf(handleBuf);
    if (dir?.kind !== 'dir') return sftp.status(id, STATUS_CODE.FAILURE);
    if (dir.listed) return sftp.status(id, STATUS_CODE.EOF);
    dir.listed = true;
    const entries = [];
    for (const name of ['.', '..', ...fs.list(dir.path)].slice(0, DIR_BATCH * 10)) {
      const stat = fs.stat(posix.join(dir.path, name));
      if (stat) entries.push({ filename: name, longname: longname(name, stat), attrs: attrsOf(stat) });
    }
    sftp.name(id, entries);
  });
  sftp.on('MKDIR', (id, p) => change(id, () => fs.mkdir(resolvePath(p))));
  sftp.on('RMDIR', (id, p) => change(id, () => fs.remove(resolvePath(p))));
  sftp.on('REMOVE', (id, p) => change(id, () => fs.remove(resolvePath(p))));
  for (const op of ['FSETSTAT', 'SETSTAT', 'RENAME'] as const) {
    sftp.on(op, (id: number) => sftp.status(id, STATUS_CODE.OK));
  }
  // The client's EOF ends the session. OpenSSH's sftp-server sends exit status 0 before
  // closing (scp reports failure without it); ssh2's SFTP stream has no exit(), so use its protocol.
  sftp.on('end', () => {
    const raw = sftp as unknown as { outgoing: { id: number; state: string }; _protocol: { exitStatus(id: number, status: number): void } };
    if (raw.outgoing.state === 'open') raw._protocol.exitStatus(raw.outgoing.id, 0);
    sftp.end();
  });
  for (const op of ['READLINK', 'SYMLINK', 'EXTENDED'] as const) {
    sftp.on(op, (id: number) => sftp.status(id, STATUS_CODE.OP_UNSUPPORTED));
  }
}
