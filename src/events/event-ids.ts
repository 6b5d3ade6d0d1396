/**
 * The catalogue of every event id the sensor emits. Cowrie's ids keep Cowrie's
 * fields and formats; ids Cowrie lacks live under `honeyscope.`. docs/events.md
 * documents exactly these (a test checks it).
 */
export const EVENT_CATALOGUE = {
  'cowrie.session.connect': { fields: [], about: 'A TCP connection reached the sensor.' },
  'cowrie.client.version': { fields: ['version'], about: "The client's SSH identification string." },
  'cowrie.client.kex': {
    fields: ['hassh', 'hasshAlgorithms', 'kexAlgs', 'keyAlgs', 'encCS', 'macCS', 'compCS', 'langCS'],
    about: "The client's KEXINIT algorithm lists and its HASSH fingerprint.",
  },
  'cowrie.login.success': { fields: ['username', 'password'], about: 'A password or keyboard-interactive login was accepted.' },
  'cowrie.login.failed': { fields: ['username', 'password'], about: 'A password or keyboard-interactive login was refused.' },
  'cowrie.client.fingerprint': { fields: ['username', 'fingerprint', 'key', 'type'], about: 'A public-key login attempt (always refused).' },
  'cowrie.client.var': { fields: ['name', 'value'], about: 'An environment variable the client sent.' },
  'cowrie.client.size': { fields: ['width', 'height'], about: 'The terminal size of a pty request or window change.' },
  'cowrie.session.params': { fields: ['arch'], about: 'The emulated architecture of a shell session.' },
  'cowrie.command.input': { fields: ['input'], about: 'A command line the client entered or sent with exec.' },
  'cowrie.command.failed': { fields: ['input'], about: 'A command the emulated shell does not know.' },
  'cowrie.command.success': { fields: ['realm', 'input'], about: 'A line typed to a running command (`realm`), such as a new password given to passwd, su or sudo.' },
  'cowrie.session.file_download': {
    fields: ['url', 'outfile', 'shasum', 'destfile', 'duplicate'],
    about: 'A file stored from wget/curl/tftp or a shell redirect (`url` absent for redirects).',
  },
  'cowrie.session.file_download.failed': { fields: ['url', 'reason'], about: 'A download that was refused or failed, and why (`download.mode=off` by default).' },
  'cowrie.session.file_upload': { fields: ['filename', 'outfile', 'shasum', 'destfile', 'duplicate'], about: 'A file the client uploaded.' },
  'cowrie.direct-tcpip.request': {
    fields: ['dst_ip', 'dst_port', 'orig_ip', 'orig_port'],
    about: 'An outbound connection attempt (SSH direct-tcpip channel). Never connected for real.',
  },
  'cowrie.direct-tcpip.data': {
    fields: ['dst_ip', 'dst_port', 'data', 'data_b64', 'id'],
    about: 'Bytes sent into a tunnel: `data` as Cowrie (Python bytes repr), `data_b64` lossless.',
  },
  'cowrie.direct-tcpip.ja4h': { fields: ['ja4h', 'dst_ip', 'dst_port'], about: 'JA4H fingerprint of an HTTP request sent into a tunnel.' },
  'cowrie.direct-tcpip.ja4': { fields: ['ja4', 'dst_ip', 'dst_port'], about: 'JA4 fingerprint of a TLS ClientHello sent into a tunnel.' },
  'cowrie.log.closed': {
    fields: ['ttylog', 'size', 'shasum', 'duplicate', 'duration_ms'],
    about: 'A terminal recording (asciicast v2) was closed.',
  },
  'cowrie.session.closed': { fields: ['duration_ms'], about: 'The connection ended.' },
  'honeyscope.client.error': { fields: ['reason'], about: 'A protocol error or malformed packet from the client (the session ends cleanly).' },
  'honeyscope.session.limit': { fields: ['limit', 'value'], about: 'A configured limit was reached; what was cut off.' },
  'honeyscope.tunnel.smtp': {
    fields: ['dst_ip', 'dst_port', 'id', 'ehlo', 'mail_from', 'rcpt_to', 'subject', 'size', 'commands', 'starttls'],
    about: 'What a bot said to the emulated mail server in one tunnel.',
  },
  'honeyscope.tunnel.http': {
    fields: ['dst_ip', 'dst_port', 'id', 'method', 'target', 'version', 'host', 'path', 'headers', 'body_size'],
    about: 'An HTTP request sent into a tunnel, headers in order.',
  },
  'honeyscope.tunnel.tls': {
    fields: ['dst_ip', 'dst_port', 'id', 'sni', 'alpn', 'versions', 'ciphers', 'ja4'],
    about: 'A TLS ClientHello sent into a tunnel.',
  },
  'honeyscope.tunnel.closed': {
    fields: ['dst_ip', 'dst_port', 'id', 'emulator', 'bytes_in', 'bytes_out', 'truncated', 'duration_ms'],
    about: 'A tunnel channel ended; how much was received and whether it was cut at a limit.',
  },
  'honeyscope.scan.result': {
    fields: ['shasum', 'outfile', 'verdict', 'signatures', 'reason', 'scanner'],
    about: 'A captured file was scanned (clean, infected with signatures, or error).',
  },
} as const satisfies Record<string, { fields: readonly string[]; about: string }>;

export type EventId = keyof typeof EVENT_CATALOGUE;

export const EVENT_IDS: readonly EventId[] = Object.keys(EVENT_CATALOGUE) as EventId[];

export function isEventId(value: string): value is EventId {
  return Object.hasOwn(EVENT_CATALOGUE, value);
}
