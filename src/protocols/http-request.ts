/** An HTTP/1.x request head as a bot sent it, decoded as Latin-1 so no byte is lost. */
export interface HttpRequest {
  method: string;
  target: string;
  /** `HTTP/1.0` or `HTTP/1.1` (any `HTTP/1.x`). */
  version: string;
  /** In order, names in their original case. */
  headers: Array<[name: string, value: string]>;
  /** The authority of an absolute-form or CONNECT target, else the first Host header. */
  host?: string;
  /** The target without its query (the path part of an absolute-form target). */
  path: string;
  /** True when the blank line ending the header block was seen. */
  complete: boolean;
  /** Bytes of the request line and header block, the blank line included when complete. */
  headerBytes: number;
  /** Bytes present after the header block (0 while incomplete). */
  bodyBytes: number;
}

/** Header bytes beyond this are not parsed; the request stays incomplete. */
export const MAX_HTTP_HEADER_BYTES = 64 * 1024;

const REQUEST_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]{1,32}) +(\S+) +(HTTP\/1\.\d)[ \t]*$/;

/**
 * Parses the start of an HTTP/1.x request. Tolerates bare `\n` line ends and
 * folded header lines; skips header lines without a colon.
 *
 * @returns undefined unless `data` starts with a complete HTTP/1.x request line
 */
export function parseHttpRequest(data: Uint8Array): HttpRequest | undefined {
  const limit = Math.min(data.length, MAX_HTTP_HEADER_BYTES);
  const firstEnd = indexOfLf(data, 0, limit);
  if (firstEnd < 0) return undefined;
  const match = REQUEST_LINE.exec(latin1(data, 0, stripCr(data, 0, firstEnd)));
  if (match === null) return undefined;
  const [, method = '', target = '', version = ''] = match;

  const headers: Array<[string, string]> = [];
  let pos = firstEnd + 1;
  let complete = false;
  for (;;) {
    const end = indexOfLf(data, pos, limit);
    if (end < 0) break;
    const line = latin1(data, pos, stripCr(data, pos, end));
    pos = end + 1;
    if (line === '') {
      complete = true;
      break;
    }
    const last = headers[headers.length - 1];
    if ((line[0] === ' ' || line[0] === '\t') && last !== undefined) {
      last[1] = `${last[1]} ${line.trim()}`.trim();
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }

  const request: HttpRequest = {
    method,
    target,
    version,
    headers,
    path: targetPath(method, target),
    complete,
    headerBytes: complete ? pos : limit,
    bodyBytes: complete ? data.length - pos : 0,
  };
  const host = targetHost(method, target) ?? headers.find(([name]) => name.toLowerCase() === 'host')?.[1];
  if (host !== undefined) request.host = host;
  return request;
}

function indexOfLf(data: Uint8Array, from: number, limit: number): number {
  const i = data.indexOf(0x0a, from);
  return i < 0 || i >= limit ? -1 : i;
}

/** End of the line content before `lfIndex`, dropping one `\r`. */
function stripCr(data: Uint8Array, start: number, lfIndex: number): number {
  return lfIndex > start && data[lfIndex - 1] === 0x0d ? lfIndex - 1 : lfIndex;
}

function latin1(data: Uint8Array, start: number, end: number): string {
  return Buffer.from(data.buffer, data.byteOffset + start, end - start).toString('latin1');
}

function targetHost(method: string, target: string): string | undefined {
  if (method.toUpperCase() === 'CONNECT') return target;
  const absolute = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)/.exec(target);
  if (absolute === null) return undefined;
  const authority = absolute[1] ?? '';
  return authority.slice(authority.lastIndexOf('@') + 1);
}

function targetPath(method: string, target: string): string {
  if (method.toUpperCase() === 'CONNECT') return target;
  let rest = target;
  const absolute = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/.exec(target);
  if (absolute !== null) rest = target.slice(absolute[0].length);
  const cut = rest.search(/[?#]/);
  const path = cut < 0 ? rest : rest.slice(0, cut);
  return absolute !== null && !path.startsWith('/') ? `/${path}` : path;
}
