import { decodePythonBytes } from '../protocols/python-bytes.js';
import { parseHttpRequest } from '../protocols/http-request.js';
import { parseSmtpCommands } from '../protocols/smtp-dialogue.js';
import { parseClientHello } from '../protocols/tls-client-hello.js';

/** What a bot sent into a tunnel, as far as the store's columns need it. */
export interface DecodedPayload {
  kind: 'http' | 'smtp' | 'tls' | 'other' | 'undecodable';
  httpMethod?: string;
  httpHost?: string;
  httpPath?: string;
  httpHeaders?: Array<[string, string]>;
  smtpEhlo?: string;
  tlsSni?: string;
}

const SMTP_VERB = /^(EHLO|HELO|MAIL FROM|RCPT TO|STARTTLS|AUTH|QUIT|RSET|NOOP|DATA)\b/i;

/**
 * Decodes a `direct-tcpip.data` event's bytes (`data_b64` when present, else
 * Cowrie's Python bytes repr `data`) and recognises HTTP, SMTP and TLS.
 * Attacker bytes never throw here: what cannot be decoded is `undecodable`.
 */
export function decodePayload(event: Readonly<Record<string, unknown>>): DecodedPayload | undefined {
  const bytes = payloadBytes(event);
  if (bytes === undefined) return typeof event.data === 'string' ? { kind: 'undecodable' } : undefined;
  if (bytes.length >= 3 && bytes[0] === 0x16 && bytes[1] === 0x03) {
    // A ClientHello split over packets is still TLS, only without a readable SNI.
    const hello = safely(() => parseClientHello(bytes));
    return { kind: 'tls', ...(hello?.sni ? { tlsSni: hello.sni } : {}) };
  }
  const http = parseHttpRequest(bytes);
  if (http !== undefined) {
    return {
      kind: 'http',
      httpMethod: http.method,
      httpPath: http.path,
      httpHeaders: http.headers,
      ...(http.host !== undefined ? { httpHost: http.host } : {}),
    };
  }
  const head = bytes.subarray(0, 16).toString('latin1');
  if (SMTP_VERB.test(head)) {
    const smtp = safely(() => parseSmtpCommands(bytes));
    const greeting = smtp?.ehlo ?? smtp?.helo;
    return { kind: 'smtp', ...(greeting ? { smtpEhlo: greeting } : {}) };
  }
  return { kind: 'other' };
}

function payloadBytes(event: Readonly<Record<string, unknown>>): Buffer | undefined {
  if (typeof event.data_b64 === 'string') return Buffer.from(event.data_b64, 'base64');
  if (typeof event.data !== 'string') return undefined;
  try {
    return decodePythonBytes(event.data);
  } catch (err) {
    if (err instanceof SyntaxError) return undefined;
    throw err;
  }
}

/** Protocol parsers may refuse malformed attacker bytes; that is a fact about the payload, not an error. */
function safely<T>(parse: () => T): T | undefined {
  try {
    return parse();
  } catch (err) {
    if (err instanceof SyntaxError || err instanceof RangeError || err instanceof TypeError) return undefined;
    throw err;
  }
}
