import { setTimeout as delay } from 'node:timers/promises';
import { HoneyscopeError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { BadIndicator } from '../bad-indicator.js';
import type { IntelRecord } from '../indicator.js';
import type { IntelStore } from '../intel-store.js';
import { acceptPulse, pulseToRecords, type OtxFilters, type OtxPulse } from './otx-pulse.js';

export const OTX_BASE_URL = 'https://otx.alienvault.com';
const RETRY_STATUS = new Set([429, 500, 502, 503, 504]);
const MODIFIED_SINCE_KEY = 'otx.modifiedSince';

export interface OtxClientOptions {
  apiKey: string;
  /** Scheme, host and port; `/api/v1/...` is appended. */
  baseUrl?: string;
  /** Page size for /pulses/subscribed (the SDK default is 50). */
  limit?: number;
  /** Retries after the first attempt on 429, 5xx and network errors (the SDK does 5). */
  retries?: number;
  /** First backoff; doubles on each retry unless Retry-After says otherwise. */
  backoffMs?: number;
  /** Longest wait honoured from Retry-After. */
  maxWaitMs?: number;
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  logger?: Logger;
}

export interface OtxEvent {
  action: string;
  object_type: string;
  object_id: string;
  created?: string;
}

interface Page<T> {
  results?: T[];
  next?: string | null;
}

/**
 * The OTX DirectConnect API v1: authenticated GETs that follow `next` until it
 * is null, retry 429/5xx with backoff (honouring Retry-After), and turn a 403
 * into a clear key error. `next` must stay on the configured origin, so the
 * key is never sent elsewhere.
 */
export class OtxClient {
  readonly #key: string;
  readonly #base: URL;
  readonly #options: OtxClientOptions;

  constructor(options: OtxClientOptions) {
    if (!options.apiKey) throw new HoneyscopeError('HS_OTX', 'Cannot use OTX without an API key: set intel.otxKey or HONEYSCOPE_INTEL_OTX_KEY');
    this.#key = options.apiKey;
    this.#base = new URL(options.baseUrl ?? OTX_BASE_URL);
    this.#options = options;
  }

  /** Pulses of the subscription modified since `since` (ISO time), page after page. */
  subscribedPulses(since: string | undefined): AsyncGenerator<OtxPulse> {
    const url = new URL('/api/v1/pulses/subscribed', this.#base);
    url.searchParams.set('limit', String(this.#options.limit ?? 50));
    if (since) url.searchParams.set('modified_since', since);
    return this.#pages<OtxPulse>(url);
  }

  /** Subscribe/unsubscribe/delete events since `since`. */
  events(since: string): AsyncGenerator<OtxEvent> {
    const url = new URL('/api/v1/pulses/events', this.#base);
    url.searchParams.set('since', since);
    url.searchParams.set('limit', '200');
    return this.#pages<OtxEvent>(url);
  }

  async *#pages<T>(first: URL): AsyncGenerator<T> {
    let url: URL | undefined = first;
    const visited = new Set<string>();
    while (url) {
      if (visited.has(url.href)) throw new HoneyscopeError('HS_OTX', `Cannot follow OTX pages: "next" repeats ${url.pathname}${url.search}`);
      visited.add(url.href);
      const page = (await this.#getJson(url)) as Page<T>;
      if (typeof page !== 'object' || page === null || !Array.isArray(page.results)) {
        throw new HoneyscopeError('HS_OTX', `Cannot read OTX response from ${url.pathname}${url.search}: expected an object with a "results" list`);
      }
      yield* page.results;
      url = page.next ? this.#sameOrigin(page.next, url) : undefined;
    }
  }

  #sameOrigin(next: string, from: URL): URL {
    let url: URL;
    try {
      url = new URL(next, from);
    } catch (err) {
      throw new HoneyscopeError('HS_OTX', `Cannot follow OTX "next" ${JSON.stringify(next)}: expected a URL`, { cause: err });
    }
    if (url.origin !== this.#base.origin) {
      throw new HoneyscopeError('HS_OTX', `Cannot follow OTX "next" to ${url.origin}: expected ${this.#base.origin}, the configured base URL`);
    }
    return url;
  }

  async #getJson(url: URL): Promise<unknown> {
    const retries = this.#options.retries ?? 5;
    const sleep = this.#options.sleep ?? ((ms: number) => delay(ms));
    const where = `${url.pathname}${url.search}`;
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await fetch(url, {
          headers: { 'X-OTX-API-KEY': this.#key, Accept: 'application/json' },
          signal: AbortSignal.timeout(this.#options.timeoutMs ?? 60_000),
          redirect: 'error',
        });
      } catch (err) {
        if (attempt >= retries) {
          throw new HoneyscopeError('HS_OTX', `Cannot reach OTX at ${this.#base.origin}${where} after ${attempt + 1} attempts: ${(err as Error).message}`, { cause: err });
        }
        await sleep(this.#backoff(attempt, null));
        continue;
      }
      if (response.status === 403) {
        await response.body?.cancel();
        throw new HoneyscopeError('HS_OTX', `OTX refused the API key (HTTP 403) for ${where}: check intel.otxKey or HONEYSCOPE_INTEL_OTX_KEY`);
      }
      if (RETRY_STATUS.has(response.status)) {
        await response.body?.cancel();
        if (attempt >= retries) {
          throw new HoneyscopeError('HS_OTX', `OTX answered HTTP ${response.status} for ${where} after ${attempt + 1} attempts`);
        }
        const wait = this.#backoff(attempt, response.headers.get('retry-after'));
        this.#options.logger?.warn({ status: response.status, where, wait }, 'OTX asked to retry');
        await sleep(wait);
        continue;
      }
      const text = await response.text();
      if (!response.ok) {
        throw new HoneyscopeError('HS_OTX', `OTX answered HTTP ${response.status} for ${where}: ${text.slice(0, 200).replace(/\s+/g, ' ')}`);
      }
      try {
        return JSON.parse(text);
      } catch (err) {
        throw new HoneyscopeError('HS_OTX', `Cannot parse OTX response from ${where}: ${(err as Error).message}`, { cause: err });
      }
    }
  }

  #backoff(attempt: number, retryAfter: string | null): number {
    const max = this.#options.maxWaitMs ?? 120_000;
    if (retryAfter !== null) {
      const seconds = Number(retryAfter);
      const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(retryAfter) - Date.now();
      if (Number.isFinite(ms) && ms >= 0) return Math.min(ms, max);
    }
    return Math.min((this.#options.backoffMs ?? 1000) * 2 ** attempt, max);
  }
}

export interface SyncOtxOptions extends OtxClientOptions {
  filters?: OtxFilters;
  /** Overrides the stored incremental-sync point (ISO time). */
  modifiedSince?: string;
  now?: () => number;
}

export interface OtxSyncResult {
  pulses: number;
  skippedPulses: number;
  removedPulses: number;
  records: number;
  bad: BadIndicator[];
  modifiedSince: string | undefined;
}

/**
 * Incremental OTX sync: reads every page first, so a failure changes nothing;
 * then replaces the rows of each updated pulse, drops pulses the filters no
 * longer trust and pulses /pulses/events reports as unsubscribed or deleted,
 * and records the new modified_since point.
 */
export async function syncOtx(store: IntelStore, options: SyncOtxOptions): Promise<OtxSyncResult> {
  const client = new OtxClient(options);
  const now = options.now ?? Date.now;
  const since = options.modifiedSince ?? (await store.getState(MODIFIED_SINCE_KEY));
  const startedAt = new Date(now()).toISOString().slice(0, 19);
  const bad: BadIndicator[] = [];
  const accepted: OtxPulse[] = [];
  const dropped: string[] = [];
  for await (const pulse of client.subscribedPulses(since)) {
    if (typeof pulse?.id !== 'string') throw new HoneyscopeError('HS_OTX', 'Cannot read OTX pulse: expected an "id" string');
    if (acceptPulse(pulse, options.filters ?? {})) accepted.push(pulse);
    else dropped.push(pulse.id);
  }
  const gone: string[] = [];
  if (since) {
    for await (const event of client.events(since)) {
      if (event.object_type === 'pulse' && (event.action === 'unsubscribe' || event.action === 'delete')) gone.push(String(event.object_id));
    }
  }
  const records: IntelRecord[] = [];
  for (const pulse of accepted) records.push(...pulseToRecords(pulse, bad));
  await store.removePulses('otx', [...new Set([...dropped, ...gone, ...accepted.map((p) => p.id)])]);
  const written = await store.upsert(records);
  await store.setState(MODIFIED_SINCE_KEY, startedAt);
  return { pulses: accepted.length, skippedPulses: dropped.length, removedPulses: new Set([...dropped, ...gone]).size, records: written, bad, modifiedSince: startedAt };
}
