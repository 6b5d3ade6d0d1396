import { posix } from 'node:path';
import type { SFTPWrapper, Attributes } from 'ssh2';
import ssh2 from 'ssh2';

const { STATUS_CODE, OPEN_MODE } = ssh2.utils.sftp;

export interface SftpUpload {
  filename: string;
  destfile: string;
  data: Buffer;
}

interface OpenFile {
  path: string;
  chunks: Array<{ offset: number; data: Buffer }>;
  size: number;
  writable: boolean;
}

const MAX_HANDLES = 64;

/**
 * Just enough of an SFTP server for bots to upload: files written are kept in
 * memory (capped at `maxBytes` per session) and handed to `onUpload` when
 * closed; reads find nothing; directory and metadata requests succeed
 * plausibly. Nothing touches the real filesystem.
 */
export function serveSftp(sftp: SFTPWrapper, options: { home: string; maxBytes: number; onUpload: (upload: SftpUpload) => void; onLimit: () => void }): void {
  const handles = new Map<number, OpenFile>();
  let nextHandle = 1;
  let bytes = 0;
  const dirAttrs: Attributes = { mode: 0o40755, uid: 0, gid: 0, size: 4096, atime: 1_700_000_000, mtime: 1_700_000_000 };

  function resolvePath(p: string): string {
    return posix.normalize(p.startsWith('/') ? p : posix.join(options.home, p || '.'));
  }
  function handleOf(buf: Buffer): number | undefined {
    return buf.length === 4 ? buf.readUInt32BE(0) : undefined;
  }
  function newHandle(file: OpenFile): Buffer | undefined {
    if (handles.size >= MAX_HANDLES) return undefined;
    const id = nextHandle++;
    handles.set(id, file);
    const buf = Buffer.alloc(4);
    buf.writeUInt32BE(id);
    return buf;
  }

  sftp.on('REALPATH', (id, p) => sftp.name(id, [{ filename: resolvePath(p), longname: '', attrs: dirAttrs }]));
  sftp.on('STAT', (id, p) => (resolvePath(p) === options.home || p === '/' ? sftp.attrs(id, dirAttrs) : sftp.status(id, STATUS_CODE.NO_SUCH_FILE)));
  sftp.on('LSTAT', (id, p) => (resolvePath(p) === options.home || p === '/' ? sftp.attrs(id, dirAttrs) : sftp.status(id, STATUS_CODE.NO_SUCH_FILE)));
  sftp.on('OPEN', (id, filename, flags) => {
    const writable = (flags & OPEN_MODE.WRITE) !== 0;
    if (!writable) return sftp.status(id, STATUS_CODE.NO_SUCH_FILE);
    const handle = newHandle({ path: resolvePath(filename), chunks: [], size: 0, writable });
    if (!handle) return sftp.status(id, STATUS_CODE.FAILURE);
    sftp.handle(id, handle);
  });
  sftp.on('WRITE', (id, handleBuf, offset, data) => {
    const file = handles.get(handleOf(handleBuf) ?? -1);
    if (!file) return sftp.status(id, STATUS_CODE.FAILURE);
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
    const file = handles.get(handleOf(handleBuf) ?? -1);
    if (!file) return sftp.status(id, STATUS_CODE.FAILURE);
    sftp.attrs(id, { mode: 0o100644, uid: 0, gid: 0, size: file.size, atime: 1_700_000_000, mtime: 1_700_000_000 });
  });
  sftp.on('CLOSE', (id, handleBuf) => {
    const key = handleOf(handleBuf) ?? -1;
    const file = handles.get(key);
    handles.delete(key);
    if (!file) return sftp.status(id, STATUS_CODE.FAILURE);
    if (file.writable && file.size <= options.maxBytes) {
      const data = Buffer.alloc(file.size);
      for (const chunk of file.chunks) chunk.data.copy(data, chunk.offset);
      options.onUpload({ filename: posix.basename(file.path), destfile: file.path, data });
    }
    sftp.status(id, STATUS_CODE.OK);
  });
  sftp.on('READ', (id) => sftp.status(id, STATUS_CODE.EOF));
  sftp.on('OPENDIR', (id, p) => {
    const handle = newHandle({ path: resolvePath(p), chunks: [], size: 0, writable: false });
    return handle ? sftp.handle(id, handle) : sftp.status(id, STATUS_CODE.FAILURE);
  });
  sftp.on('READDIR', (id) => sftp.status(id, STATUS_CODE.EOF));
  for (const op of ['FSETSTAT', 'SETSTAT', 'MKDIR', 'REMOVE', 'RMDIR', 'RENAME'] as const) {
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
