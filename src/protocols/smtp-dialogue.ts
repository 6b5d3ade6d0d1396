import { LineSplitter, type Line } from './line-splitter.js';

/** What an SMTP client said, read from its bytes alone (as Cowrie logged them). */
export interface SmtpDialogue {
  /** The argument of the first EHLO. */
  ehlo?: string;
  /** The argument of the first HELO. */
  helo?: string;
  /** MAIL FROM addresses without angle brackets, in order ('' for the null sender). */
  mailFrom: string[];
  /** RCPT TO addresses without angle brackets, in order. */
  rcptTo: string[];
  /** Command verbs in order, uppercased (`EHLO`, `MAIL`, ...). */
  commands: string[];
  starttls: boolean;
  /** The first message sent after DATA, when there was one. */
  data?: SmtpMessage;
}

export interface SmtpMessage {
  subject?: string;
  /** Bytes of the message as sent (lines with their CR LF, dot-stuffing kept, final `.` line excluded). */
  size: number;
}

export interface SmtpCommand {
  /** Uppercased first word; empty for an empty line. */
  verb: string;
  /** The rest of the line, trimmed (`FROM:<a@b> SIZE=10` for MAIL). */
  argument: string;
}

/** RFC 5321 allows 1000 bytes; bots send longer, so keep some room. */
export const SMTP_MAX_LINE_BYTES = 4096;

/** A verb looks like a command word, not binary noise. */
const VERB = /^[A-Z][A-Z0-9-]{0,19}$/;

/** Splits a command line into its verb and argument. */
export function parseSmtpCommandLine(line: string): SmtpCommand {
  const trimmed = line.trim();
  const space = trimmed.search(/[ \t]/);
  if (space < 0) return { verb: trimmed.toUpperCase(), argument: '' };
  return { verb: trimmed.slice(0, space).toUpperCase(), argument: trimmed.slice(space + 1).trim() };
}

/** True when `verb` has the shape of an SMTP command word. */
export function isSmtpVerb(verb: string): boolean {
  return VERB.test(verb);
}

/**
 * The address of a MAIL (`FROM:`) or RCPT (`TO:`) argument, without angle
 * brackets: `FROM:<a@b> SIZE=10` gives `a@b`, `FROM:<>` gives ''.
 *
 * @returns undefined when the argument does not start with the keyword
 */
export function smtpAddress(argument: string, keyword: 'FROM' | 'TO'): string | undefined {
  const match = new RegExp(`^${keyword}\\s*:\\s*(?:<([^>]*)>|(\\S*))`, 'i').exec(argument);
  if (match === null) return undefined;
  return (match[1] ?? match[2] ?? '').trim();
}

/**
 * Follows the lines of one DATA section: counts its size, picks the Subject
 * header (folded lines joined) and spots the terminating `.` line.
 */
export class SmtpMessageReader {
  #size = 0;
  #inHeaders = true;
  #subject: string | undefined;
  #inSubject = false;

  /** Feeds one line; returns true when it was the terminating `.`. */
  push(line: Line): boolean {
    if (line.text === '.' && !line.truncated) return true;
    this.#size += line.bytes + (line.terminated ? 2 : 0);
    if (!this.#inHeaders) return false;
    if (line.text === '') {
      this.#inHeaders = false;
      return false;
    }
    if (this.#inSubject && (line.text[0] === ' ' || line.text[0] === '\t')) {
      this.#subject = `${this.#subject ?? ''} ${line.text.trim()}`.trim();
      return false;
    }
    this.#inSubject = false;
    const match = /^subject[ \t]*:(.*)$/i.exec(line.text);
    if (match !== null && this.#subject === undefined) {
      this.#subject = (match[1] ?? '').trim();
      this.#inSubject = true;
    }
    return false;
  }

  result(): SmtpMessage {
    return this.#subject === undefined ? { size: this.#size } : { subject: this.#subject, size: this.#size };
  }
}

/**
 * Reads the commands of a pipelined SMTP client stream (for example Cowrie's
 * logged `EHLO test.com\r\n...`). Stops at STARTTLS, after which a client
 * would speak TLS. An unterminated last line counts as a line.
 */
export function parseSmtpCommands(data: Uint8Array): SmtpDialogue {
  const splitter = new LineSplitter({ maxLineBytes: SMTP_MAX_LINE_BYTES });
  const lines = splitter.push(data);
  const last = splitter.flush();
  if (last !== undefined) lines.push(last);

  const dialogue: SmtpDialogue = { mailFrom: [], rcptTo: [], commands: [], starttls: false };
  let message: SmtpMessageReader | undefined;
  for (const line of lines) {
    if (message !== undefined) {
      if (message.push(line)) {
        dialogue.data ??= message.result();
        message = undefined;
      }
      continue;
    }
    const { verb, argument } = parseSmtpCommandLine(line.text);
    if (!isSmtpVerb(verb)) continue;
    dialogue.commands.push(verb);
    if (verb === 'EHLO') dialogue.ehlo ??= argument;
    else if (verb === 'HELO') dialogue.helo ??= argument;
    else if (verb === 'MAIL') pushDefined(dialogue.mailFrom, smtpAddress(argument, 'FROM'));
    else if (verb === 'RCPT') pushDefined(dialogue.rcptTo, smtpAddress(argument, 'TO'));
    else if (verb === 'DATA') message = new SmtpMessageReader();
    else if (verb === 'STARTTLS') {
      dialogue.starttls = true;
      break;
    }
  }
  if (message !== undefined) dialogue.data ??= message.result();
  return dialogue;
}

function pushDefined(list: string[], value: string | undefined): void {
  if (value !== undefined) list.push(value);
}
