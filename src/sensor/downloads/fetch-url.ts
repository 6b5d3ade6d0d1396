import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import ipaddr from 'ipaddr.js';
import type { ResolvedConfig } from '../../config/schema.js';
import { errorMessage, isHoneyscopeError } from '../../lib/errors.js';
import { checkAddress, parseAllowList } from './address-policy.js';
import { storeArtifact, type StoredArtifact } from './store-artifact.js';

export type ResolveHost = (hostname: string) => Promise<string[]>;

export interface FetchUrlOptions {
  download: ResolvedConfig['download'];
  dataDir: string;
  /** Aborts the transfer (the session went away). */
  signal?: AbortSignal;
  /** Name resolution; defaults to the system resolver (all addresses). */
  resolve?: ResolveHost;
  userAgent?: string;
}

export type FetchFailureStage = 'unsupported' | 'resolve' | 'refused' | 'connect' | 'http' | 'limit';

export type FetchUrlResult =
  | {
      readonly ok: true;
      readonly url: string;
      readonly finalUrl: string;
      readonly address: string;
      readonly status: number;
      readonly contentType: string | undefined;
      readonly artifact: StoredArtifact;
    }
  | { readonly ok: false; readonly url: string; readonly stage: FetchFailureStage; readonly reason: string };

class FetchFailure extends Error {
  readonly stage: FetchFailureStage;

  constructor(stage: FetchFailureStage, reason: string) {
    super(reason);
    this.stage = stage;
  }
}

export async function resolveAll(hostname: string): Promise<string[]> {
  const records = await dnsLookup(hostname, { all: true, verbatim: true });
  return records.map((r) => r.address);
}

/**
 * Downloads a URL for the artifact store, safely: each host is resolved once,
 * every address must pass the address policy, and the connection goes to the
 * validated address (Host header and SNI carry the name), so a second DNS
 * answer cannot redirect it. Redirects are re-validated hop by hop; size and
 * total time are capped. Never throws for attacker-caused failures.
 */
export async function fetchUrl(url: string, options: FetchUrlOptions): Promise<FetchUrlResult> {
  const config = options.download;
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), config.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout.signal]) : timeout.signal;
  try {
    const allow = parseAllowList(config.allow);
    let current = parseUrl(url);
    for (let hop = 0; ; hop++) {
      const address = await pickAddress(current.hostname, { allow, resolve: options.resolve ?? resolveAll });
      const response = await get(current, address, { signal, userAgent: options.userAgent ?? 'Wget/1.21.3' });
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (status >= 300 && status < 400 && location !== undefined) {
        response.destroy();
        if (hop >= config.maxRedirects) throw new FetchFailure('http', `more than ${config.maxRedirects} redirects`);
        current = parseUrl(location, current);
        continue;
      }
      if (status < 200 || status >= 300) {
        response.destroy();
        throw new FetchFailure('http', `HTTP ${status} ${response.statusMessage ?? ''}`.trim());
      }
      const declared = Number(response.headers['content-length']);
      if (Number.isFinite(declared) && declared > config.maxBytes) {
        response.destroy();
        throw new FetchFailure('limit', `Content-Length ${declared} exceeds download.maxBytes ${config.maxBytes}`);
      }
      const artifact = await storeArtifact(options.dataDir, response, { maxBytes: config.maxBytes });
      return {
        ok: true,
        url,
        finalUrl: current.toString(),
        address,
        status,
        contentType: response.headers['content-type'],
        artifact,
      };
    }
  } catch (err) {
    if (err instanceof FetchFailure) return { ok: false, url, stage: err.stage, reason: err.message };
    if (timeout.signal.aborted) return { ok: false, url, stage: 'limit', reason: `timed out after ${config.timeoutMs} ms` };
    if (isHoneyscopeError(err, 'HS_LIMIT')) return { ok: false, url, stage: 'limit', reason: `body exceeds download.maxBytes ${config.maxBytes}` };
    if (options.signal?.aborted === true) return { ok: false, url, stage: 'connect', reason: 'interrupted' };
    if (isNetworkError(err)) return { ok: false, url, stage: 'connect', reason: errorMessage(err) };
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

function parseUrl(text: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(text, base);
  } catch (err) {
    throw new FetchFailure('unsupported', `invalid URL: ${errorMessage(err)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FetchFailure('unsupported', `scheme ${url.protocol} is not fetched`);
  return url;
}

/** Resolves once and returns the address to pin, refusing if any answer is refused. */
async function pickAddress(hostname: string, options: { allow: ReturnType<typeof parseAllowList>; resolve: ResolveHost }): Promise<string> {
  const bare = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  let addresses: string[];
  if (ipaddr.isValid(bare)) addresses = [bare];
  else {
    try {
      addresses = await options.resolve(bare);
    } catch (err) {
      throw new FetchFailure('resolve', `cannot resolve ${bare}: ${errorMessage(err)}`);
    }
  }
  const first = addresses[0];
  if (first === undefined) throw new FetchFailure('resolve', `cannot resolve ${bare}: no address`);
  for (const address of addresses) {
    const verdict = checkAddress(address, options.allow);
    if (!verdict.allowed) throw new FetchFailure('refused', verdict.reason);
  }
  return first;
}

function get(url: URL, address: string, options: { signal: AbortSignal; userAgent: string }): Promise<IncomingMessage> {
  const https = url.protocol === 'https:';
  const named = !ipaddr.isValid(url.hostname.replace(/^\[|\]$/g, ''));
  const request = https ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request({
      host: address,
      port: url.port === '' ? (https ? 443 : 80) : Number(url.port),
      path: `${url.pathname}${url.search}`,
      method: 'GET',
      headers: { Host: url.host, 'User-Agent': options.userAgent, Accept: '*/*', Connection: 'close' },
      agent: false,
      signal: options.signal,
      // Bots' hosts rarely have valid certificates: the sample matters, not the peer's identity.
      ...(https ? { rejectUnauthorized: false } : {}),
      ...(https && named ? { servername: url.hostname } : {}),
    });
    req.once('response', resolve);
    req.once('error', reject);
    req.end();
  });
}

function isNetworkError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as NodeJS.ErrnoException).code;
  return err.name === 'AbortError' || (typeof code === 'string' && /^(E[A-Z]+|ERR_[A-Z_]+|HPE_[A-Z_]+)$/.test(code));
}
