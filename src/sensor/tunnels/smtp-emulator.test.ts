import { describe, it, expect } from 'vitest';
import { tunnelsSection } from '../../config/sections/tunnels.js';
import { createRecordingTunnelIo } from './recording-tunnel-io.js';
import { SMTP_MAX_ERRORS, createSmtpEmulator } from './smtp-emulator.js';

const CONFIG = tunnelsSection.parse({ smtpHostname: 'mail.example.com', smtpMaxDataBytes: 1000 });

const EHLO_REPLY =
  '250-mail.example.com\r\n250-PIPELINING\r\n250-SIZE 1000\r\n250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250-DSN\r\n250 SMTPUTF8\r\n';

function setup() {
  const holder: { end: () => void } = { end: () => undefined };
  const io = createRecordingTunnelIo({ dstPort: 25, channelId: 3, onClose: () => holder.end() });
  const emulator = createSmtpEmulator(io, CONFIG, { queueId: () => '4F1C2A9B07' });
  holder.end = () => emulator.end();
  emulator.start();
  return { io, emulator };
}

const SPAM_RUN =
  'EHLO test.com\r\nMAIL FROM:<bot@test.com>\r\nRCPT TO:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n' +
  'From: bot@test.com\r\nSubject: Cheap pills\r\n\r\nbuy now\r\n.\r\nQUIT\r\n';

const SPAM_REPLIES =
  '220 mail.example.com ESMTP Postfix (Debian/GNU)\r\n' +
  EHLO_REPLY +
  '250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n250 2.1.5 Ok\r\n354 End data with <CR><LF>.<CR><LF>\r\n250 2.0.0 Ok: queued as 4F1C2A9B07\r\n221 2.0.0 Bye\r\n';

const SPAM_EVENT = {
  dst_ip: '93.184.216.34',
  dst_port: 25,
  id: 3,
  ehlo: 'test.com',
  mail_from: 'bot@test.com',
  rcpt_to: ['a@example.org', 'b@example.org'],
  subject: 'Cheap pills',
  size: 'From: bot@test.com\r\nSubject: Cheap pills\r\n\r\nbuy now\r\n'.length,
  commands: ['EHLO', 'MAIL', 'RCPT', 'RCPT', 'DATA'],
  starttls: false,
};

describe('createSmtpEmulator()', () => {
  it('start() greets as Postfix', () => {
    const { io } = setup();
    expect(io.output()).toBe('220 mail.example.com ESMTP Postfix (Debian/GNU)\r\n');
    expect(io.events).toEqual([]);
  });

  it('answers a pipelined spam run in one chunk, reports the message once and closes on QUIT', () => {
    const { io, emulator } = setup();
    emulator.data(Buffer.from(SPAM_RUN));
    expect(io.output()).toBe(SPAM_REPLIES);
    expect(io.writes.length).toBe(2);
    expect(io.closed).toBe(true);
    emulator.end();
    expect(io.events).toEqual([
      {
        eventid: 'honeyscope.tunnel.smtp',
        fields: SPAM_EVENT,
        message: 'SMTP to 93.184.216.34:25: EHLO test.com, MAIL FROM <bot@test.com>, 2 recipients, 53 bytes of DATA, queued as 4F1C2A9B07',
      },
    ]);
  });

  it('gives the same answers and report when the bytes arrive one at a time', () => {
    const { io, emulator } = setup();
    for (const byte of Buffer.from(SPAM_RUN)) emulator.data(Buffer.from([byte]));
    expect(io.output()).toBe(SPAM_REPLIES);
    expect(io.events.map((e) => e.fields)).toEqual([SPAM_EVENT]);
  });

  it("reports Cowrie's captured EHLO when the channel ends", () => {
    const { io, emulator } = setup();
    emulator.data(Buffer.from('EHLO test\r\n'));
    expect(io.output()).toBe('220 mail.example.com ESMTP Postfix (Debian/GNU)\r\n' + EHLO_REPLY);
    expect(io.events).toEqual([]);
    emulator.end();
    emulator.end();
    expect(io.events.map((e) => e.fields)).toEqual([
      { dst_ip: '93.184.216.34', dst_port: 25, id: 3, ehlo: 'test', mail_from: null, rcpt_to: [], subject: null, size: null, commands: ['EHLO'], starttls: false },
    ]);
  });

  it('refuses STARTTLS and goes on in plain text', () => {
    const { io, emulator } = setup();
    emulator.data(Buffer.from('EHLO x\r\nSTARTTLS\r\nHELO y\r\n'));
    expect(io.output().endsWith('454 4.7.0 TLS not available due to local problem\r\n250 mail.example.com\r\n')).toBe(true);
    emulator.end();
    expect(io.events[0]?.fields).toMatchObject({ ehlo: 'y', starttls: true, commands: ['EHLO', 'STARTTLS', 'HELO'] });
  });

  it('answers commands out of order as Postfix does', () => {
    const { io, emulator } = setup();
    emulator.data(Buffer.from('MAIL FROM:<a@b>\r\nHELO h\r\nRCPT TO:<c@d>\r\nDATA\r\nMAIL FROM:<a@b>\r\nMAIL FROM:<a@b>\r\nDATA\r\nRCPT TO:c@d\r\nRCPT bogus\r\nRSET\r\nNOOP\r\nEHLO\r\nMAIL TO:<x>\r\n'));
    expect(io.output().split('\r\n').slice(1, -1)).toEqual([
      '503 5.5.1 Error: send HELO/EHLO first',
      '250 mail.example.com',
      '503 5.5.1 Error: need MAIL command',
      '503 5.5.1 Error: need RCPT command',
      '250 2.1.0 Ok',
      '503 5.5.1 Error: nested MAIL command',
      '554 5.5.1 Error: no valid recipients',
      '250 2.1.5 Ok',
      '501 5.5.4 Syntax: RCPT TO:<address>',
      '250 2.0.0 Ok',
      '250 2.0.0 Ok',
      '501 Syntax: EHLO hostname',
      '501 5.5.4 Syntax: MAIL FROM:<address>',
    ]);
  });

  it('refuses a message larger than smtpMaxDataBytes with 552 and still reports it', () => {
    const { io, emulator } = setup();
    const body = ('x'.repeat(98) + '\r\n').repeat(20);
    emulator.data(Buffer.from(`HELO h\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n${body}.\r\nNOOP\r\n`));
    expect(io.output().endsWith('354 End data with <CR><LF>.<CR><LF>\r\n552 5.3.4 Message size exceeds fixed limit\r\n250 2.0.0 Ok\r\n')).toBe(true);
    expect(io.events[0]?.fields).toMatchObject({ size: 2000, subject: null, rcpt_to: ['c@d'] });
  });

  it('answers 502 to unknown commands and hangs up after too many errors', () => {
    const { io, emulator } = setup();
    emulator.data(Buffer.from('AUTH LOGIN\r\n'));
    expect(io.output().endsWith('502 5.5.2 Error: command not recognized\r\n')).toBe(true);
    emulator.data(Buffer.from('\x00\xff\r\n\r\n'.repeat(SMTP_MAX_ERRORS), 'latin1'));
    expect(io.output().endsWith('421 4.7.0 mail.example.com Error: too many errors\r\n')).toBe(true);
    expect(io.closed).toBe(true);
    const written = io.output().length;
    emulator.data(Buffer.from('NOOP\r\n'));
    expect(io.output().length).toBe(written);
  });

  it('answers an over-long line once, keeping memory bounded', () => {
    const { io, emulator } = setup();
    for (let i = 0; i < 50; i++) emulator.data(Buffer.alloc(32_768, 0x41));
    expect(io.output()).toBe('220 mail.example.com ESMTP Postfix (Debian/GNU)\r\n');
    emulator.data(Buffer.from('\r\nNOOP\r\n'));
    expect(io.output().split('\r\n').slice(1, -1)).toEqual(['500 5.5.0 Error: line too long', '250 2.0.0 Ok']);
  });

  it('reports an unfinished message when the channel ends in DATA', () => {
    const { io, emulator } = setup();
    emulator.data(Buffer.from('HELO h\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\nSubject: half\r\nbody wit'));
    emulator.end();
    expect(io.events.map((e) => e.fields)).toEqual([
      { dst_ip: '93.184.216.34', dst_port: 25, id: 3, ehlo: 'h', mail_from: 'a@b', rcpt_to: ['c@d'], subject: 'half', size: 23, commands: ['HELO', 'MAIL', 'RCPT', 'DATA'], starttls: false },
    ]);
  });

  it('reports a second transaction without DATA but not a bare trailing QUIT', () => {
    const { io, emulator } = setup();
    emulator.data(Buffer.from(SPAM_RUN.replace('QUIT\r\n', 'MAIL FROM:<x@y>\r\nRCPT TO:<z@w>\r\nQUIT\r\n')));
    expect(io.events.map((e) => e.fields['commands'])).toEqual([['EHLO', 'MAIL', 'RCPT', 'RCPT', 'DATA'], ['MAIL', 'RCPT', 'QUIT']]);
    const again = setup();
    again.emulator.data(Buffer.from(SPAM_RUN));
    expect(again.io.events.length).toBe(1);
  });
});
