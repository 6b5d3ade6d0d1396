import { MAX_HTTP_HEADER_BYTES, parseHttpRequest, type HttpRequest } from '../../protocols/http-request.js';
import { ja4h } from '../../protocols/ja4h.js';
import { CappedBuffer } from './capped-buffer.js';
import { checkIpResponse } from './check-ip-response.js';
import type { TunnelEmulator, TunnelIo, TunnelsConfig } from './tunnel-emulator.js';

/** Requests answered on one keep-alive tunnel before the server closes it. */
export const HTTP_MAX_REQUESTS = 20;

export interface HttpEmulatorOptions {
  /** The clock for the Date header (tests). */
  now?: () => Date;
}

interface Response {
  status: string;
  contentType: string;
  body: string;
}

/** A response as nginx words it: Server, Date, Content-Type, Content-Length, Connection. */
function renderResponse(response: Response, options: { server: string; date: Date; head: boolean; keepAlive: boolean }): Buffer {
  const body = Buffer.from(response.body, 'utf8');
  const head = [
    `HTTP/1.1 ${response.status}`,
    `Server: ${options.server}`,
    `Date: ${options.date.toUTCString()}`,
    `Content-Type: ${response.contentType}`,
    `Content-Length: ${body.length}`,
    `Connection: ${options.keepAlive ? 'keep-alive' : 'close'}`,
    '',
    '',
  ].join('\r\n');
  return options.head ? Buffer.from(head, 'latin1') : Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

function nginxError(status: string, server: string): Response {
  return {
    status,
    contentType: 'text/html',
    body: `<html>\r\n<head><title>${status}</title></head>\r\n<body>\r\n<center><h1>${status}</h1></center>\r\n<hr><center>${server}</center>\r\n</body>\r\n</html>\r\n`,
  };
}

function headerValue(req: HttpRequest, name: string): string | undefined {
  return req.headers.find(([key]) => key.toLowerCase() === name)?.[1];
}

function wantsKeepAlive(req: HttpRequest): boolean {
  const connection = (headerValue(req, 'connection') ?? '').toLowerCase();
  if (connection.includes('close')) return false;
  return req.version === 'HTTP/1.1' || connection.includes('keep-alive');
}

/**
 * Plays a small nginx site. Reads each request head (up to 64 KiB) and its
 * Content-Length body (counted, not kept), fingerprints it, answers a check-my-IP
 * request with the configured fake address and anything else with a tiny page.
 * Keep-alive and pipelined requests are served in order, up to
 * HTTP_MAX_REQUESTS; `Connection: close`, HTTP/1.0, chunked bodies and
 * garbage end the tunnel after the answer.
 */
export function createHttpEmulator(io: TunnelIo, config: TunnelsConfig, options: HttpEmulatorOptions = {}): TunnelEmulator {
  const now = options.now ?? (() => new Date());
  const server = config.httpServerHeader;
  const head = new CappedBuffer(MAX_HTTP_HEADER_BYTES);
  /** Bytes of `head` already searched for the blank line, so each byte is scanned once. */
  let scanned = 0;
  /** True once the request line in `head` is known to be HTTP. */
  let lineChecked = false;
  /** The request whose body is still arriving, and how many body bytes are missing. */
  let pending: { req: HttpRequest; bodySize: number; missing: number } | undefined;
  let served = 0;
  let closed = false;

  function resetHead(rest?: Uint8Array): void {
    head.reset(rest);
    scanned = 0;
    lineChecked = false;
  }

  /** True once `head` holds `\n\n` or `\n\r\n`, the end of a request head. */
  function headEnded(): boolean {
    const bytes = head.bytes();
    let i = bytes.indexOf(0x0a, Math.max(0, scanned - 2));
    while (i >= 0) {
      if (bytes[i + 1] === 0x0a || (bytes[i + 1] === 0x0d && bytes[i + 2] === 0x0a)) return true;
      if (i + 2 >= bytes.length) break;
      i = bytes.indexOf(0x0a, i + 1);
    }
    scanned = bytes.length;
    return false;
  }

  function report(req: HttpRequest, bodySize: number): void {
    const target = `${io.dstIp}:${io.dstPort}`;
    // Cowrie's JA4H variant, so this Cowrie event carries the value Cowrie would log.
    const fingerprint = ja4h(req, { variant: 'cowrie' });
    io.emit('cowrie.direct-tcpip.ja4h', { ja4h: fingerprint, dst_ip: io.dstIp, dst_port: io.dstPort }, `JA4H fingerprint for forwarded HTTP to ${target}: ${fingerprint}`);
    io.emit(
      'honeyscope.tunnel.http',
      {
        dst_ip: io.dstIp,
        dst_port: io.dstPort,
        id: io.channelId,
        method: req.method,
        target: req.target,
        version: req.version,
        host: req.host ?? null,
        path: req.path,
        headers: req.headers,
        body_size: bodySize,
      },
      `HTTP ${req.method} ${req.target}${req.host === undefined ? '' : ` for ${req.host}`} to ${target}`,
    );
  }

  function respond(response: Response, opts: { head: boolean; keepAlive: boolean }): void {
    io.write(renderResponse(response, { server, date: now(), head: opts.head, keepAlive: opts.keepAlive }));
    if (!opts.keepAlive) {
      closed = true;
      resetHead();
      io.close();
    }
  }

  function answer(req: HttpRequest, bodySize: number, chunked: boolean): void {
    served++;
    report(req, bodySize);
    const keepAlive = !chunked && wantsKeepAlive(req) && served < HTTP_MAX_REQUESTS;
    const method = req.method.toUpperCase();
    if (method === 'CONNECT') return respond(nginxError('400 Bad Request', server), { head: false, keepAlive: false });
    const checkIp = checkIpResponse(req, config.checkIpHosts, config.fakePublicIp);
    const response: Response = { status: '200 OK', ...(checkIp ?? { contentType: 'text/html', body: config.httpBody }) };
    respond(response, { head: method === 'HEAD', keepAlive });
  }

  function badRequest(): void {
    respond(nginxError('400 Bad Request', server), { head: false, keepAlive: false });
  }

  /** Serves every whole request in the buffer; parses only once a head can be whole, so trickled bytes cost linear time. */
  function drain(): void {
    while (!closed && pending === undefined && head.length > 0) {
      const bytes = head.bytes();
      // A request line starts with a method; other bytes (a TLS hello, binary) need no more waiting.
      const first = bytes[0] ?? 0x41;
      if (!((first >= 0x41 && first <= 0x5a) || (first >= 0x61 && first <= 0x7a))) return badRequest();
      if (!lineChecked) {
        const lf = bytes.indexOf(0x0a);
        if (lf < 0) {
          if (head.full) badRequest();
          return;
        }
        if (parseHttpRequest(bytes.subarray(0, lf + 1)) === undefined) return badRequest();
        lineChecked = true;
      }
      if (!headEnded() && !head.full) return;
      const req = parseHttpRequest(bytes);
      if (req === undefined) return badRequest();
      if (!req.complete) {
        report(req, 0);
        return respond(nginxError('400 Request Header Or Cookie Too Large', server), { head: false, keepAlive: false });
      }
      const rest = bytes.subarray(req.headerBytes);
      const length = headerValue(req, 'content-length');
      const chunked = (headerValue(req, 'transfer-encoding') ?? '').toLowerCase().includes('chunked');
      if (chunked) {
        resetHead();
        return answer(req, rest.length, true);
      }
      if (length !== undefined && !/^\d{1,15}$/.test(length)) {
        report(req, rest.length);
        return badRequest();
      }
      const declared = length === undefined ? 0 : Number(length);
      if (rest.length < declared) {
        pending = { req, bodySize: rest.length, missing: declared - rest.length };
        resetHead();
        return;
      }
      resetHead(rest.subarray(declared));
      answer(req, declared, false);
    }
  }

  return {
    kind: 'http',
    start(): void {},
    data(chunk: Buffer): void {
      if (closed) return;
      let incoming = chunk;
      if (pending !== undefined) {
        const used = Math.min(pending.missing, incoming.length);
        pending.bodySize += used;
        pending.missing -= used;
        incoming = incoming.subarray(used);
        if (pending.missing > 0) return;
        const { req, bodySize } = pending;
        pending = undefined;
        resetHead(incoming);
        answer(req, bodySize, false);
      } else {
        head.append(incoming);
      }
      drain();
    },
    end(): void {
      if (pending !== undefined) report(pending.req, pending.bodySize);
      pending = undefined;
      closed = true;
      resetHead();
    },
  };
}
