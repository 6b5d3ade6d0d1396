/** Where clamd listens: a TCP host and port, or a Unix socket path. */
export type ClamdAddress = { kind: 'tcp'; host: string; port: number } | { kind: 'unix'; path: string };

/**
 * Parses `/run/clamav/clamd.ctl`, `unix:/path`, `HOST:PORT`, `[v6]:PORT` or
 * `tcp://HOST:PORT`. Throws TypeError naming the value otherwise.
 */
export function parseClamdAddress(value: string): ClamdAddress {
  if (value.startsWith('unix:')) return { kind: 'unix', path: value.slice('unix:'.length) };
  if (value.startsWith('/') || value.startsWith('./')) return { kind: 'unix', path: value };
  const text = value.startsWith('tcp://') ? value.slice('tcp://'.length) : value;
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:\s[\]]+):(\d{1,5})$/.exec(text);
  const port = match ? Number(match[2]) : NaN;
  if (!match || port < 1 || port > 65535) {
    throw new TypeError(`Cannot parse clamd address "${value}": expected a socket path (/run/clamav/clamd.ctl) or HOST:PORT (127.0.0.1:3310)`);
  }
  const host = match[1]!.startsWith('[') ? match[1]!.slice(1, -1) : match[1]!;
  return { kind: 'tcp', host, port };
}

/** As clamdscan names the address in its messages: the socket path, or the host. */
export function describeClamdAddress(address: ClamdAddress): string {
  return address.kind === 'unix' ? `LocalSocket ${address.path}` : `${address.host}:${address.port}`;
}

/** Loopback TCP or a Unix socket: clamd can open the files itself (clamdscan's "not remote"). */
export function isLocalClamd(address: ClamdAddress): boolean {
  if (address.kind === 'unix') return true;
  return address.host === 'localhost' || address.host === '::1' || address.host.startsWith('127.');
}
