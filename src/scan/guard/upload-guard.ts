import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, unlink } from 'node:fs/promises';
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { finished, pipeline } from 'node:stream/promises';
import { errorMessage } from '../../lib/errors.js';
import { silentLogger, type Logger } from '../../lib/logger.js';
import type { Verdict } from '../clamd/protocol.js';
import { decodeBase64Stream } from './decode-base64-stream.js';
import { MultipartIndexer, multipartBoundary, type MultipartPart } from './multipart-indexer.js';
import { spoolFormValues, type FormValue } from './spool-form-values.js';

/** What the guard needs of a scanner: INSTREAM of a stream (ClamdClient fits). */
export interface StreamScanner {
  scanStream(source: AsyncIterable<Uint8Array>): Promise<Verdict>;
}

export interface UploadGuardOptions {
  /** The application behind the guard; the request path is appended to its path. */
  upstream: URL;
  scanner: StreamScanner;
  /** Bodies over this many bytes get 413 without being scanned or passed on. */
  maxBodyBytes: number;
  /** Pass requests on when the scanner fails (default: 503, fail closed). */
  failOpen?: boolean;
  /** Where bodies are spooled while they are scanned (default: the OS temp dir). */
  tmpDir?: string;
  logger?: Logger;
}

export interface UploadGuard {
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Removes the spool directory. */
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'trailers', 'transfer-encoding', 'upgrade', 'proxy-connection']);

/** A part (or the whole body) to scan, named as the 403 reply names it. */
interface Piece {
  label: string;
  start: number;
  end: number;
  /** Also scan the part decoded from base64 (Content-Transfer-Encoding), as the application will read it. */
  base64?: boolean;
  /** The file the range is in, when not the spooled body. */
  file?: string;
}

/**
 * Writes the body to `file` with backpressure, feeding the multipart indexer;
 * resolves its size, or undefined (leaving the request unread) once it passes `limit`.
 */
async function spool(req: IncomingMessage, file: string, options: { limit: number; indexer: MultipartIndexer | undefined }): Promise<number | undefined> {
  const { limit, indexer } = options;
  const out = createWriteStream(file);
  let size = 0;
  try {
    for await (const chunk of req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) return undefined;
      indexer?.push(chunk);
      if (!out.write(chunk)) await once(out, 'drain');
    }
  } finally {
    out.end();
    await finished(out);
  }
  return size;
}

/**
 * A reverse proxy that spools each request body to a temp file (so slow
 * uploads never hold clamd's threads), streams every multipart part, or the
 * raw body, through INSTREAM, and only then passes the request on unchanged.
 * Infected: 403; scanner failure: 503 (or pass, if failOpen); too large: 413.
 */
export async function createUploadGuard(options: UploadGuardOptions): Promise<UploadGuard> {
  const logger = options.logger ?? silentLogger();
  const spoolDir = await mkdtemp(join(options.tmpDir ?? tmpdir(), 'hs-guard-'));

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > options.maxBodyBytes) {
      reply(res, 413, { error: 'Request body too large', limit: options.maxBodyBytes });
      req.resume();
      return;
    }
    const file = join(spoolDir, randomBytes(12).toString('hex'));
    const boundary = multipartBoundary(req.headers['content-type']);
    const indexer = boundary ? new MultipartIndexer(boundary) : undefined;
    try {
      const size = await spool(req, file, { limit: options.maxBodyBytes, indexer });
      if (size === undefined) {
        // Read and drop the rest so the client sees the 413 rather than a reset, then close.
        res.setHeader('connection', 'close');
        reply(res, 413, { error: 'Request body too large', limit: options.maxBodyBytes });
        req.resume();
        return;
      }
      let pieces: Piece[];
      try {
        // Nothing to scan in an empty body (a GET): clamd is not asked, so it cannot block plain page views.
        pieces = indexer ? indexer.finish().map(pieceOf) : size > 0 ? [{ label: 'body', start: 0, end: size }] : [];
      } catch (err) {
        reply(res, 400, { error: 'Malformed multipart body', reason: (err as SyntaxError).message });
        return;
      }
      if (size > 0 && isFormEncoded(req.headers['content-type'])) pieces.push(...(await formValuePieces(file, `${file}.values`)));
      for (const piece of pieces) {
        if (piece.end <= piece.start) continue;
        const bytes = createReadStream(piece.file ?? file, { start: piece.start, end: piece.end - 1, highWaterMark: 64 * 1024 });
        const verdict = await options.scanner.scanStream(piece.base64 ? decodeBase64Stream(bytes) : bytes);
        if (verdict.kind === 'infected') {
          logger.warn({ part: piece.label, signatures: verdict.signatures, url: req.url }, 'upload refused: infected');
          reply(res, 403, { error: 'Upload refused: infected', signature: verdict.signatures[0], signatures: verdict.signatures, part: piece.label });
          return;
        }
        if (verdict.kind === 'error') {
          logger.error({ part: piece.label, reason: verdict.reason, url: req.url }, 'upload scan failed');
          if (!options.failOpen) {
            reply(res, 503, { error: 'Upload not scanned: the scanner failed', reason: verdict.reason, part: piece.label });
            return;
          }
        }
      }
      await forward(req, res, file, size);
    } finally {
      for (const spooled of [file, `${file}.values`]) {
        await unlink(spooled).catch((err: NodeJS.ErrnoException) => {
          if (err.code !== 'ENOENT') logger.error({ file: spooled, err: errorMessage(err) }, 'cannot remove spooled body');
        });
      }
    }
  }

  function forward(req: IncomingMessage, res: ServerResponse, file: string, size: number): Promise<void> {
    return new Promise((resolve) => {
      const target = new URL(options.upstream.href);
      const [path, query] = splitUrl(req.url ?? '/');
      target.pathname = `${target.pathname.replace(/\/$/, '')}${path}`;
      target.search = query;
      const headers = forwardHeaders(req.headers, target, req.socket.remoteAddress);
      if (size > 0 || req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined) headers['content-length'] = String(size);
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      const upstream = send(target, { method: req.method ?? 'GET', headers }, (upstreamRes) => {
        const out: Record<string, string | string[]> = {};
        for (const [name, value] of Object.entries(upstreamRes.headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.statusMessage, out);
        pipeline(upstreamRes, res).then(resolve, (err: unknown) => {
          logger.warn({ err: errorMessage(err) }, 'upstream response broken off');
          resolve();
        });
      });
      upstream.on('error', (err) => {
        logger.error({ upstream: options.upstream.href, err: errorMessage(err) }, 'upstream request failed');
        if (!res.headersSent) reply(res, 502, { error: 'Upstream unavailable' });
        else res.destroy();
        resolve();
      });
      if (size > 0) createReadStream(file).pipe(upstream);
      else upstream.end();
    });
  }

  return {
    handle(req, res) {
      handleRequest(req, res).catch((err: unknown) => {
        logger.error({ err: errorMessage(err), url: req.url }, 'upload guard failed');
        if (!res.headersSent) reply(res, options.failOpen ? 502 : 503, { error: 'Upload guard failed' });
        else res.destroy();
      });
    },
    async close() {
      await rm(spoolDir, { recursive: true, force: true });
    },
  };
}

function pieceOf(part: MultipartPart, index: number): Piece {
  const base64 = /^\s*base64\s*$/i.test(part.headers['content-transfer-encoding'] ?? '');
  return { label: part.filename ?? part.name ?? `part ${index + 1}`, start: part.start, end: part.end, ...(base64 ? { base64 } : {}) };
}

function isFormEncoded(contentType: string | undefined): boolean {
  return /^\s*application\/x-www-form-urlencoded\s*(;|$)/i.test(contentType ?? '');
}

/** The body's decoded field values, spooled to `valuesFile`, as pieces to scan after the raw body. */
async function formValuePieces(bodyFile: string, valuesFile: string): Promise<Piece[]> {
  const out = createWriteStream(valuesFile);
  let values: FormValue[];
  try {
    values = await spoolFormValues(createReadStream(bodyFile, { highWaterMark: 64 * 1024 }), out);
  } finally {
    out.end();
    await finished(out);
  }
  return values.map((v) => ({ label: v.name, start: v.start, end: v.end, file: valuesFile }));
}

function splitUrl(url: string): [string, string] {
  const q = url.indexOf('?');
  return q === -1 ? [url, ''] : [url.slice(0, q), url.slice(q)];
}

function forwardHeaders(incoming: IncomingHttpHeaders, target: URL, remote: string | undefined): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  const connectionListed = String(incoming.connection ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase());
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined || HOP_BY_HOP.has(name) || connectionListed.includes(name) || name === 'content-length') continue;
    headers[name] = value;
  }
  if (incoming.host) headers['x-forwarded-host'] = incoming.host;
  headers.host = target.host;
  if (remote) {
    const prior = incoming['x-forwarded-for'];
    headers['x-forwarded-for'] = prior ? `${String(prior)}, ${remote}` : remote;
  }
  return headers;
}

function reply(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
