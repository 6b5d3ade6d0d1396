import { describe, expect, it } from 'vitest';
import { encodeChunkHeader, encodeCommand, encodeInstream, parseScanLine, parseSessionReply, parseVersionCommands, pathVerdicts, ReplySplitter, verdictFromReplies } from './protocol.js';

describe('encodeCommand()', () => {
  it('frames a z-command with its argument and a NUL', () => {
    expect(encodeCommand('SCAN', '/tmp/a b').toString('latin1')).toBe('zSCAN /tmp/a b\0');
    expect(encodeCommand('PING').toString('latin1')).toBe('zPING\0');
  });

  it('refuses an argument with a NUL byte', () => {
    expect(() => encodeCommand('SCAN', 'a\0b')).toThrow(new TypeError('Cannot encode clamd command SCAN: the argument contains a NUL byte'));
  });
});

describe('encodeChunkHeader()', () => {
  it('writes the length as 4 bytes big-endian', () => {
    expect([...encodeChunkHeader(0x01a00000)]).toEqual([1, 0xa0, 0, 0]);
  });

  it('refuses a length over 32 bits', () => {
    expect(() => encodeChunkHeader(2 ** 32)).toThrow(new RangeError('Cannot encode INSTREAM chunk length 4294967296: expected an integer from 0 to 4294967295'));
  });
});

describe('encodeInstream()', () => {
  it('splits data into chunks and ends with a zero-length chunk', () => {
    const out = encodeInstream(Buffer.from('hello'), 2);
    expect(out.toString('latin1')).toBe('zINSTREAM\0\0\0\0\x02he\0\0\0\x02ll\0\0\0\x01o\0\0\0\0');
  });

  it('sends only the terminator for empty data', () => {
    expect(encodeInstream(Buffer.alloc(0), 8).toString('latin1')).toBe('zINSTREAM\0\0\0\0\0');
  });
});

describe('ReplySplitter', () => {
  it('joins a reply split across segments and splits several in one', () => {
    const splitter = new ReplySplitter();
    expect(splitter.push(Buffer.from('5: '))).toEqual([]);
    expect(splitter.push(Buffer.from('ClamAV 1.4.6\x001: PONG\x002: str'))).toEqual(['5: ClamAV 1.4.6', '1: PONG']);
    expect(splitter.pendingText()).toBe('2: str');
  });

  it('recognises the newline-terminated timeout reply', () => {
    const splitter = new ReplySplitter();
    expect(splitter.push(Buffer.from('COMMAND READ TIMED OUT\n'))).toEqual(['COMMAND READ TIMED OUT']);
    expect(splitter.pending).toBe(0);
  });
});

describe('parseScanLine()', () => {
  it('reads OK from the end of a path that contains ": " and FOUND', () => {
    expect(parseScanLine('/d/clean: Eicar FOUND.txt: OK')).toEqual({ path: '/d/clean: Eicar FOUND.txt', status: 'ok' });
  });

  it('reads the signature between the last ": " and FOUND', () => {
    expect(parseScanLine('/d/a: b.com: Eicar-Test-Signature.UNOFFICIAL FOUND')).toEqual({ path: '/d/a: b.com', status: 'found', signature: 'Eicar-Test-Signature.UNOFFICIAL' });
    expect(parseScanLine('stream: Heuristics.Limits.Exceeded.MaxFileSize FOUND')).toEqual({ path: 'stream', status: 'found', signature: 'Heuristics.Limits.Exceeded.MaxFileSize' });
  });

  it('splits an error at the start of a known message even when the path has ": "', () => {
    expect(parseScanLine('/d/x: y.txt: File path check failure: No such file or directory. ERROR')).toEqual({
      path: '/d/x: y.txt',
      status: 'error',
      reason: 'File path check failure: No such file or directory.',
    });
    expect(parseScanLine('/dev/null: Not supported file type ERROR')).toEqual({ path: '/dev/null', status: 'error', reason: 'Not supported file type' });
  });

  it('reads replies without a path as errors', () => {
    expect(parseScanLine('INSTREAM size limit exceeded. ERROR')).toEqual({ path: '', status: 'error', reason: 'INSTREAM size limit exceeded.' });
    expect(parseScanLine('UNKNOWN COMMAND')).toEqual({ path: '', status: 'error', reason: 'UNKNOWN COMMAND' });
  });

  it('throws SyntaxError for a line with no status', () => {
    expect(() => parseScanLine('stream: OK?')).toThrow(new SyntaxError('Cannot parse clamd reply "stream: OK?": expected a line ending in OK, FOUND or ERROR'));
    expect(() => parseScanLine('stream: two words FOUND')).toThrow(new SyntaxError('Cannot parse clamd reply "stream: two words FOUND": expected "PATH: NAME FOUND"'));
  });
});

describe('verdictFromReplies()', () => {
  it('is clean only for OK lines', () => {
    expect(verdictFromReplies(['stream: OK'])).toEqual({ kind: 'clean' });
  });

  it('collects every signature of an ALLMATCHSCAN', () => {
    expect(verdictFromReplies(['/f: A.UNOFFICIAL FOUND', '/f: B.UNOFFICIAL FOUND'])).toEqual({ kind: 'infected', signatures: ['A.UNOFFICIAL', 'B.UNOFFICIAL'] });
  });

  it('is an error for no reply, an error before OK, garbage or a timeout', () => {
    expect(verdictFromReplies([])).toEqual({ kind: 'error', reason: 'clamd sent an empty reply' });
    expect(verdictFromReplies(['/dev/null: Not supported file type ERROR', '/dev/null: OK'])).toEqual({ kind: 'error', reason: 'Not supported file type' });
    expect(verdictFromReplies(['hello'])).toEqual({ kind: 'error', reason: 'Cannot parse clamd reply "hello": expected a line ending in OK, FOUND or ERROR' });
    expect(verdictFromReplies(['COMMAND READ TIMED OUT'])).toEqual({ kind: 'error', reason: 'COMMAND READ TIMED OUT' });
  });
});

describe('pathVerdicts()', () => {
  it('groups directory replies by file and keeps unparsable lines as errors of the root', () => {
    expect(pathVerdicts(['/d/a: X FOUND', '/d/b: lstat() failed: EACCES. ERROR', 'junk'], '/d')).toEqual([
      { path: '/d/a', verdict: { kind: 'infected', signatures: ['X'] } },
      { path: '/d/b', verdict: { kind: 'error', reason: 'lstat() failed: EACCES.' } },
      { path: '/d', verdict: { kind: 'error', reason: 'Cannot parse clamd reply "junk": expected a line ending in OK, FOUND or ERROR' } },
    ]);
  });
});

describe('parseSessionReply()', () => {
  it('splits the request id from the body', () => {
    expect(parseSessionReply('12: stream: OK')).toEqual({ id: 12, body: 'stream: OK' });
    expect(parseSessionReply('COMMAND READ TIMED OUT')).toBeNull();
  });
});

describe('parseVersionCommands()', () => {
  it('splits the version and the command list', () => {
    expect(parseVersionCommands('ClamAV 1.4.6| COMMANDS: SCAN QUIT RELOAD')).toEqual({ version: 'ClamAV 1.4.6', commands: ['SCAN', 'QUIT', 'RELOAD'] });
  });
});
