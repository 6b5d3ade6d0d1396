import { describe, expect, it } from 'vitest';
import type { FsContext } from './base-fs.js';
import { FakeFs, FsError } from './fake-fs.js';

function context(username = 'root'): FsContext {
  return { hostname: 'svr04', kernel: '6.1.0-28-amd64', kernelBuild: '#1 SMP', arch: 'x86_64', username, bootTime: 0, now: () => 1_000_000 };
}

function fsFor(username = 'root', maxBytes = 1024): FakeFs {
  return new FakeFs(context(username), { maxBytes });
}

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof FsError) return err.code;
    throw err;
  }
  return undefined;
}

describe('FakeFs', () => {
  it('reads base files, including ones computed from the context', async () => {
    const fs = fsFor();
    expect((await fs.readFile('/etc/hostname')).toString()).toBe('svr04\n');
    expect((await fs.readFile('/etc/os-release')).toString()).toContain('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"');
    expect((await fs.readFile('/proc/version')).toString()).toMatch(/^Linux version 6\.1\.0-28-amd64 /);
  });

  it('lists directories sorted, with /bin sharing /usr/bin', () => {
    const fs = fsFor();
    expect(fs.list('/')).toEqual(expect.arrayContaining(['bin', 'etc', 'home', 'proc', 'root', 'tmp', 'usr', 'var']));
    expect(fs.list('/bin')).toEqual(fs.list('/usr/bin'));
    expect(fs.list('/bin')).toContain('wget');
  });

  it('writes, appends and reads back session files', async () => {
    const fs = fsFor();
    fs.writeFile('/tmp/a', Buffer.from('one\n'));
    fs.writeFile('/tmp/a', Buffer.from('two\n'), { append: true });
    expect((await fs.readFile('/tmp/a')).toString()).toBe('one\ntwo\n');
    expect(fs.list('/tmp')).toEqual(['a']);
    expect(fs.stat('/tmp/a')).toMatchObject({ type: 'file', size: 8, owner: 'root' });
  });

  it('keeps changes per session: a second FakeFs still sees the base', () => {
    const one = fsFor();
    const two = fsFor();
    one.remove('/etc', { recursive: true });
    expect(one.stat('/etc/passwd')).toBeUndefined();
    expect(two.stat('/etc/passwd')?.type).toBe('file');
  });

  it('hides base entries under a directory deleted and created again', () => {
    const fs = fsFor();
    fs.remove('/etc', { recursive: true });
    fs.mkdir('/etc');
    expect(fs.list('/etc')).toEqual([]);
    expect(fs.stat('/etc/passwd')).toBeUndefined();
  });

  it('refuses to remove a non-empty directory without recursive', () => {
    expect(code(() => fsFor().remove('/etc'))).toBe('ENOTEMPTY');
  });

  it('reports missing parents, existing directories and files in the way', () => {
    const fs = fsFor();
    expect(code(() => fs.writeFile('/nope/x', Buffer.from('x')))).toBe('ENOENT');
    expect(code(() => fs.mkdir('/tmp'))).toBe('EEXIST');
    expect(code(() => fs.writeFile('/tmp', Buffer.from('x')))).toBe('EISDIR');
    fs.mkdir('/tmp/a/b/c', { parents: true });
    expect(fs.stat('/tmp/a/b/c')?.type).toBe('dir');
  });

  it('caps the bytes a session may write', () => {
    const fs = fsFor('root', 10);
    fs.writeFile('/tmp/a', Buffer.alloc(8));
    expect(code(() => fs.writeFile('/tmp/b', Buffer.alloc(3)))).toBe('ENOSPC');
    expect(fs.bytesWritten).toBe(8);
  });

  it('discards writes to /dev/null and refuses /proc', () => {
    const fs = fsFor();
    fs.writeFile('/dev/null', Buffer.from('x'));
    expect(fs.bytesWritten).toBe(0);
    expect(code(() => fs.writeFile('/proc/x', Buffer.from('x')))).toBe('EACCES');
  });

  it('lets a non-root user write only to home and temp directories', async () => {
    const fs = fsFor('admin');
    expect(code(() => fs.writeFile('/etc/x', Buffer.from('x')))).toBe('EACCES');
    fs.mkdir('/home/admin');
    fs.writeFile('/home/admin/x', Buffer.from('x'));
    await expect(fs.readFile('/etc/shadow')).rejects.toThrow('Permission denied');
  });

  it('changes modes copy-on-write without touching the base', () => {
    const fs = fsFor();
    fs.chmod('/etc/passwd', 0o600);
    expect(fs.stat('/etc/passwd')?.mode).toBe(0o600);
    expect(fsFor().stat('/etc/passwd')?.mode).toBe(0o644);
  });
});
