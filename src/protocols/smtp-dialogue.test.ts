import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { decodePythonBytes } from './python-bytes.js';
import { parseSmtpCommandLine, parseSmtpCommands, smtpAddress } from './smtp-dialogue.js';

const COWRIE = JSON.parse(readFileSync(new URL('./testdata/cowrie-direct-tcpip.json', import.meta.url), 'utf8')) as {
  python3: string[];
};

function parse(text: string) {
  return parseSmtpCommands(Buffer.from(text, 'latin1'));
}

describe('parseSmtpCommands()', () => {
  it('reads the EHLO Cowrie 3.0.12 logged', () => {
    const value = COWRIE.python3.find((v) => v.startsWith("b'EHLO"));
    expect(value).toBe("b'EHLO test\\r\\n'");
    expect(parseSmtpCommands(decodePythonBytes(value ?? ''))).toEqual({
      ehlo: 'test',
      mailFrom: [],
      rcptTo: [],
      commands: ['EHLO'],
      starttls: false,
    });
  });

  it('reads a pipelined spam run with the subject and size of the message', () => {
    const message = 'From: a@b\r\nSubject: Hello\r\n  there\r\nX: y\r\n\r\nbody line\r\n..dot\r\n';
    const dialogue = parse(
      `EHLO test.com\r\nMAIL FROM:<spam@test.com> SIZE=100\r\nRCPT TO:<one@example.org>\r\nrcpt to: two@example.org\r\nDATA\r\n${message}.\r\nQUIT\r\n`,
    );
    expect(dialogue).toEqual({
      ehlo: 'test.com',
      mailFrom: ['spam@test.com'],
      rcptTo: ['one@example.org', 'two@example.org'],
      commands: ['EHLO', 'MAIL', 'RCPT', 'RCPT', 'DATA', 'QUIT'],
      starttls: false,
      data: { subject: 'Hello there', size: message.length },
    });
  });

  it('keeps HELO and the null sender', () => {
    expect(parse('HELO localhost\nMAIL FROM:<>\n')).toMatchObject({ helo: 'localhost', mailFrom: [''], commands: ['HELO', 'MAIL'] });
  });

  it('stops at STARTTLS because TLS bytes follow', () => {
    const data = Buffer.concat([Buffer.from('EHLO x\r\nSTARTTLS\r\n'), Buffer.from([0x16, 0x03, 0x01, 0x0a, 0x41, 0x42, 0x0d, 0x0a])]);
    expect(parseSmtpCommands(data)).toMatchObject({ commands: ['EHLO', 'STARTTLS'], starttls: true });
  });

  it('reports an unfinished message and an unterminated last line', () => {
    expect(parse('DATA\r\nSubject: s\r\npartial')).toMatchObject({ commands: ['DATA'], data: { subject: 's', size: 19 } });
    expect(parse('EHLO a\r\nQUIT')).toMatchObject({ commands: ['EHLO', 'QUIT'] });
  });

  it('skips binary noise and empty lines', () => {
    const noise = Buffer.from([0x00, 0xff, 0x0a, 0x0d, 0x0a, 0x16, 0x03, 0x0a]);
    expect(parseSmtpCommands(Buffer.concat([noise, Buffer.from('NOOP\r\n')]))).toEqual({
      mailFrom: [],
      rcptTo: [],
      commands: ['NOOP'],
      starttls: false,
    });
  });

  it('returns an empty dialogue for no bytes', () => {
    expect(parse('')).toEqual({ mailFrom: [], rcptTo: [], commands: [], starttls: false });
  });
});

describe('parseSmtpCommandLine()', () => {
  it('uppercases the verb and trims the argument', () => {
    expect(parseSmtpCommandLine('mail FROM:<a@b>  ')).toEqual({ verb: 'MAIL', argument: 'FROM:<a@b>' });
    expect(parseSmtpCommandLine('quit')).toEqual({ verb: 'QUIT', argument: '' });
    expect(parseSmtpCommandLine('')).toEqual({ verb: '', argument: '' });
  });
});

describe('smtpAddress()', () => {
  it('takes the address with or without angle brackets', () => {
    expect(smtpAddress('FROM:<a@b> SIZE=10', 'FROM')).toBe('a@b');
    expect(smtpAddress('from: a@b BODY=8BITMIME', 'FROM')).toBe('a@b');
    expect(smtpAddress('TO:<>', 'TO')).toBe('');
    expect(smtpAddress('<a@b>', 'TO')).toBeUndefined();
  });
});
