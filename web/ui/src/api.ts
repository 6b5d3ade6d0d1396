/** The JSON API, with the credentials the user gave (kept for this tab only). */
const AUTH_KEY = 'honeyscope.auth';

export class AuthRequiredError extends Error {
  constructor() {
    super('Authentication required');
    this.name = 'AuthRequiredError';
  }
}

export function authHeader(): string | null {
  return sessionStorage.getItem(AUTH_KEY);
}

export function setCredentials(options: { token?: string; user?: string; password?: string }): void {
  if (options.token) sessionStorage.setItem(AUTH_KEY, `Bearer ${options.token}`);
  else if (options.user !== undefined) {
    const bytes = new TextEncoder().encode(`${options.user}:${options.password ?? ''}`);
    sessionStorage.setItem(AUTH_KEY, `Basic ${btoa(String.fromCharCode(...bytes))}`);
  }
}

export type Params = Record<string, string | number | undefined | null>;

export function apiUrl(path: string, params: Params = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const query = search.toString();
  return `/api/${path}${query ? `?${query}` : ''}`;
}

export async function apiFetch(path: string, params: Params = {}, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const auth = authHeader();
  if (auth) headers.set('Authorization', auth);
  const res = await fetch(apiUrl(path, params), { ...init, headers });
  if (res.status === 401) throw new AuthRequiredError();
  return res;
}

/** Requests started before the page that reads them has loaded; each is read once. */
const early = new Map<string, Promise<Response>>();

/** Starts a request the page about to load will make (same path and params), so it does not wait for the page's code. */
export function prefetchJson(path: string, params: Params = {}): void {
  const request = apiFetch(path, params);
  // A failure is reported when the page reads it.
  request.catch(() => undefined);
  early.set(apiUrl(path, params), request);
}

/** Drops requests no page read (the user moved on): a later read must not get an old answer. */
export function dropPrefetched(): void {
  early.clear();
}

export async function getJson<T>(path: string, params: Params = {}): Promise<T> {
  const url = apiUrl(path, params);
  const started = early.get(url);
  early.delete(url);
  const res = await (started ?? apiFetch(path, params));
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { error?: string };
    throw new Error(body.error ?? `${res.status} ${res.statusText}`);
  }
  return (await res.json()) as T;
}

/** The same route as CSV, as a Blob (a plain link could not send the Authorization header). */
export async function getCsv(path: string, params: Params = {}): Promise<Blob> {
  const res = await apiFetch(path, { ...params, format: 'csv' });
  if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
  return res.blob();
}

/**
 * Server-sent events over fetch (EventSource cannot send Authorization).
 * Calls `onEvent` per `event:` record; returns a function that stops it.
 */
export function streamEvents(path: string, onEvent: (type: string, data: string) => void, onState: (state: 'open' | 'closed') => void): () => void {
  const controller = new AbortController();
  let stopped = false;
  async function run(): Promise<void> {
    while (!stopped) {
      try {
        const res = await apiFetch(path, {}, { signal: controller.signal, headers: { Accept: 'text/event-stream' } });
        if (!res.ok || !res.body) throw new Error(`${res.status}`);
        onState('open');
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const record = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            let type = 'message';
            const data: string[] = [];
            for (const line of record.split('\n')) {
              if (line.startsWith('event:')) type = line.slice(6).trim();
              else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
            }
            if (data.length > 0) onEvent(type, data.join('\n'));
          }
        }
      } catch (err) {
        if (stopped || err instanceof AuthRequiredError) return;
      }
      onState('closed');
      if (!stopped) await new Promise((resolve) => setTimeout(resolve, 3000));
    }
  }
  void run();
  return () => {
    stopped = true;
    controller.abort();
  };
}
