import { describe, expect, it } from 'vitest';
import { ScpSink, scpSinkTarget, type ScpFile } from './scp-sink.js';

function sink(maxBytes = 1024) {
  const replies: string[] = [];
  const files: ScpFile[] = [];
  const s = new ScpSink({ target: '/root', targetIsDir: true, maxBytes, reply: (b) => replies.push(b.toString('latin1')), onFile: (f) => files.push(f) });
  s.start();
  return { s, replies, files };
}

describe('ScpSink', () => {
  it('receives a file sent in pieces and acknowledges each step', () => {
    const { s, replies, files } = sink();
    const stream = Buffer.from('T1700000000 0 1700000000 0\nC0644 5 upload.bin\nhello\0');
    for (const byte of stream) s.data(Buffer.from([byte]));
    expect(files).toEqual([{ name: 'upload.bin', destfile: '/root/upload.bin', data: Buffer.from('hello') }]);
    expect(replies).toEqual(['\0', '\0', '\0', '\0']);
  });

  it('writes to the target itself when it names a file', () => {
    const files: ScpFile[] = [];
    const s = new ScpSink({ target: '/root/upload.bin', targetIsDir: false, maxBytes: 10, reply: () => undefined, onFile: (f) => files.push(f) });
    s.data(Buffer.from('C0644 2 local-name\nab\0'));
    expect(files.map((f) => [f.name, f.destfile])).toEqual([['local-name', '/root/upload.bin']]);
  });

  it('follows directories of a recursive copy', () => {
    const { s, files } = sink();
    s.data(Buffer.from('D0755 0 bin\nC0755 2 x\nab\0E\nC0644 1 y\nc\0'));
    expect(files.map((f) => f.destfile)).toEqual(['/root/bin/x', '/root/y']);
  });

  it('refuses a file over the limit and names it', () => {
    const { s, replies, files } = sink(3);
    s.data(Buffer.from('C0644 5 big\nhello\0'));
    expect(files).toEqual([]);
    expect(replies.at(-1)).toBe('\x01scp: big: No space left on device\n');
    expect(s.done).toBe(true);
  });

  it('refuses path tricks and garbage', () => {
    const slash = sink();
    slash.s.data(Buffer.from('C0644 1 ../x\n'));
    expect(slash.replies.at(-1)).toBe('\x01scp: protocol error: unexpected header\n');
    const { s, replies } = sink();
    s.data(Buffer.from('C0644 1 ..\n'));
    expect(replies.at(-1)).toBe('\x01scp: protocol error: invalid name\n');
    const g = sink();
    g.s.data(Buffer.from('\xff\xfe garbage\n'));
    expect(g.replies.at(-1)).toBe('\x01scp: protocol error: unexpected header\n');
  });
});

describe('scpSinkTarget()', () => {
  it('recognises scp sink commands only', () => {
    expect(scpSinkTarget('scp -t /root/upload.bin')).toEqual({ target: '/root/upload.bin', isDir: false });
    expect(scpSinkTarget('scp -t /root')).toEqual({ target: '/root', isDir: true });
    expect(scpSinkTarget('scp -r -d -t /opt/x')).toEqual({ target: '/opt/x', isDir: true });
    expect(scpSinkTarget('scp -f /etc/passwd')).toBeUndefined();
    expect(scpSinkTarget('scp -t /x; rm -rf /')).toBeUndefined();
    expect(scpSinkTarget('uname -a')).toBeUndefined();
  });
});
