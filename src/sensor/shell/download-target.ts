import { posix } from 'node:path';

/** The URL a bot meant (`host/x` is http), its host, port and file name; undefined when unparsable. */
export function downloadTarget(arg: string): { url: string; host: string; port: number; fileName: string } | undefined {
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(arg) ? arg : `http://${arg}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch (err) {
    if (err instanceof TypeError) return undefined;
    throw err;
  }
  if (url.hostname === '') return undefined;
  const defaultPort = url.protocol === 'https:' ? 443 : url.protocol === 'ftp:' ? 21 : 80;
  const base = posix.basename(decodeSafe(url.pathname));
  return { url: text, host: url.hostname, port: url.port === '' ? defaultPort : Number(url.port), fileName: base === '' || base === '/' ? 'index.html' : base };
}

function decodeSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch (err) {
    if (err instanceof URIError) return text;
    throw err;
  }
}

/** `2026-11-28 17:06:29` (UTC), wget's clock. */
export function wgetClock(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 19).replace('T', ' ');
}
