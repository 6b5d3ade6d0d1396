import { randomBytes } from 'node:crypto';
import { LineSplitter, type Line } from '../../protocols/line-splitter.js';
import {
  SMTP_MAX_LINE_BYTES,
  SmtpMessageReader,
  isSmtpVerb,
  parseSmtpCommandLine,
  smtpAddress,
} from '../../protocols/smtp-dialogue.js';
import type { TunnelEmulator, TunnelIo, TunnelsConfig } from './tunnel-emulator.js';

/** Postfix's smtpd_hard_error_limit: this many bad commands and the server hangs up. */
export const SMTP_MAX_ERRORS = 20;
/** Postfix's smtpd_recipient_limit. */
export const SMTP_MAX_RECIPIENTS = 1000;
/** Verbs kept per reported transaction, so a command flood stays bounded. */
export const SMTP_MAX_LOGGED_COMMANDS = 200;

/** Verbs that add nothing worth a second report after a message was reported. */
const TRAILING_VERBS: ReadonlySet<string> = new Set(['QUIT', 'NOOP', 'RSET']);

export interface SmtpEmulatorOptions {
  /** Queue ids for accepted messages; Postfix-like random hex by default. */
  queueId?: () => string;
}

function randomQueueId(): string {
  return randomBytes(5).toString('hex').toUpperCase();
}

/**
 * Plays a Postfix server that accepts every message and delivers none:
 * greets, answers EHLO/HELO/MAIL/RCPT/DATA/RSET/NOOP/QUIT, refuses STARTTLS,
 * and follows pipelined commands however the chunks split them. Emits
 * `honeyscope.tunnel.smtp` per message, and at the end for anything unreported.
 */
export function createSmtpEmulator(io: TunnelIo, config: TunnelsConfig, options: SmtpEmulatorOptions = {}): TunnelEmulator {
  const host = config.smtpHostname;
  const queueId = options.queueId ?? randomQueueId;
  const splitter = new LineSplitter({ maxLineBytes: SMTP_MAX_LINE_BYTES });
  let greeting: string | undefined;
  let mailFrom: string | undefined;
  let rcptTo: string[] = [];
  let commands: string[] = [];
  let starttls = false;
  let message: SmtpMessageReader | undefined;
  let errors = 0;
  let closed = false;
  let replies: string[] = [];
  let reported = false;

  function report(fields: { subject?: string; size?: number; queued?: string }): void {
    const target = `${io.dstIp}:${io.dstPort}`;
    const parts = [greeting === undefined ? 'no EHLO' : `EHLO ${greeting}`];
    if (mailFrom !== undefined) parts.push(`MAIL FROM <${mailFrom}>`);
    parts.push(`${rcptTo.length} recipient${rcptTo.length === 1 ? '' : 's'}`);
    if (fields.size !== undefined) parts.push(`${fields.size} bytes of DATA`);
    if (fields.queued !== undefined) parts.push(`queued as ${fields.queued}`);
    io.emit(
      'honeyscope.tunnel.smtp',
      {
        dst_ip: io.dstIp,
        dst_port: io.dstPort,
        id: io.channelId,
        ehlo: greeting ?? null,
        mail_from: mailFrom ?? null,
        rcpt_to: rcptTo,
        subject: fields.subject ?? null,
        size: fields.size ?? null,
        commands,
        starttls,
      },
      `SMTP to ${target}: ${parts.join(', ')}`,
    );
    commands = [];
    reported = true;
  }

  function resetTransaction(): void {
    mailFrom = undefined;
    rcptTo = [];
  }

  function reply(text: string): void {
    replies.push(`${text}\r\n`);
  }

  function error(text: string): void {
    errors++;
    if (errors >= SMTP_MAX_ERRORS) {
      reply(`421 4.7.0 ${host} Error: too many errors`);
      closed = true;
      return;
    }
    reply(text);
  }

  function finishMessage(): void {
    const result = message?.result() ?? { size: 0 };
    message = undefined;
    if (result.size > config.smtpMaxDataBytes) {
      reply('552 5.3.4 Message size exceeds fixed limit');
      report(result);
    } else {
      const id = queueId();
      reply(`250 2.0.0 Ok: queued as ${id}`);
      report({ ...result, queued: id });
    }
    resetTransaction();
  }

  function command(line: Line): void {
    if (line.truncated) {
      error('500 5.5.0 Error: line too long');
      return;
    }
    const { verb, argument } = parseSmtpCommandLine(line.text);
    if (verb === '') {
      error('500 5.5.2 Error: bad syntax');
      return;
    }
    if (!isSmtpVerb(verb)) {
      error('502 5.5.2 Error: command not recognized');
      return;
    }
    if (commands.length < SMTP_MAX_LOGGED_COMMANDS) commands.push(verb);
    switch (verb) {
      case 'EHLO':
      case 'HELO':
        if (argument === '') {
          error(`501 Syntax: ${verb} hostname`);
          return;
        }
        greeting = argument;
        resetTransaction();
        if (verb === 'HELO') reply(`250 ${host}`);
        else reply([`250-${host}`, '250-PIPELINING', `250-SIZE ${config.smtpMaxDataBytes}`, '250-STARTTLS', '250-ENHANCEDSTATUSCODES', '250-8BITMIME', '250-DSN', '250 SMTPUTF8'].join('\r\n'));
        return;
      case 'MAIL': {
        if (greeting === undefined) return error('503 5.5.1 Error: send HELO/EHLO first');
        if (mailFrom !== undefined) return error('503 5.5.1 Error: nested MAIL command');
        const address = smtpAddress(argument, 'FROM');
        if (address === undefined) return error('501 5.5.4 Syntax: MAIL FROM:<address>');
        mailFrom = address;
        reply('250 2.1.0 Ok');
        return;
      }
      case 'RCPT': {
        if (mailFrom === undefined) return error('503 5.5.1 Error: need MAIL command');
        const address = smtpAddress(argument, 'TO');
        if (address === undefined) return error('501 5.5.4 Syntax: RCPT TO:<address>');
        if (rcptTo.length >= SMTP_MAX_RECIPIENTS) return reply('452 4.5.3 Error: too many recipients');
        rcptTo.push(address);
        reply('250 2.1.5 Ok');
        return;
      }
      case 'DATA':
        if (rcptTo.length === 0) return error(mailFrom === undefined ? '503 5.5.1 Error: need RCPT command' : '554 5.5.1 Error: no valid recipients');
        message = new SmtpMessageReader();
        reply('354 End data with <CR><LF>.<CR><LF>');
        return;
      case 'RSET':
        resetTransaction();
        reply('250 2.0.0 Ok');
        return;
      case 'NOOP':
        reply('250 2.0.0 Ok');
        return;
      case 'QUIT':
        reply('221 2.0.0 Bye');
        closed = true;
        return;
      case 'STARTTLS':
        starttls = true;
        reply('454 4.7.0 TLS not available due to local problem');
        return;
      default:
        error('502 5.5.2 Error: command not recognized');
    }
  }

  function flushReplies(): void {
    if (replies.length > 0) io.write(Buffer.from(replies.join(''), 'latin1'));
    replies = [];
  }

  return {
    kind: 'smtp',
    start(): void {
      io.write(Buffer.from(`220 ${host} ESMTP Postfix (Debian/GNU)\r\n`, 'latin1'));
    },
    data(chunk: Buffer): void {
      if (closed) return;
      for (const line of splitter.push(chunk)) {
        if (message !== undefined) {
          if (message.push(line)) finishMessage();
        } else {
          command(line);
        }
        if (closed) break;
      }
      flushReplies();
      if (closed) io.close();
    },
    end(): void {
      if (message !== undefined) {
        const partial = splitter.flush();
        if (partial !== undefined) message.push(partial);
        report(message.result());
        message = undefined;
      } else if (commands.some((verb) => !TRAILING_VERBS.has(verb)) || (!reported && commands.length > 0)) {
        report({});
      }
      closed = true;
    },
  };
}
