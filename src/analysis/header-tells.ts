/** A sign that an HTTP request was crafted, not sent by the browser it claims. */
export type HeaderTell = 'https-referer-on-http' | 'x-requested-with-non-browser' | 'user-agent-contradiction';

const BROWSER_UA = /^Mozilla\/\d/;
const APP_UA = /^(Instagram|Dalvik|okhttp|python-requests|curl|Wget|Go-http-client|Java)\b/i;

/**
 * Crafted-header tells of one plain-HTTP request (pure):
 * - an https Referer on plain HTTP: browsers do not send one (the seed's fake Google referers);
 * - X-Requested-With from a client that does not claim to be a browser, or lacks Accept;
 * - a User-Agent contradicted by the other headers: a browser without Accept, or an app with browser-only headers.
 */
export function headerTells(headers: ReadonlyArray<readonly [string, string]>): HeaderTell[] {
  const get = (name: string): string | undefined => headers.find(([n]) => n.toLowerCase() === name)?.[1];
  const tells: HeaderTell[] = [];
  const referer = get('referer');
  const ua = get('user-agent');
  const xrw = get('x-requested-with');
  const accept = get('accept');
  if (referer !== undefined && /^https:\/\//i.test(referer.trim())) tells.push('https-referer-on-http');
  if (xrw !== undefined && (ua === undefined || !BROWSER_UA.test(ua) || accept === undefined)) tells.push('x-requested-with-non-browser');
  const browser = ua !== undefined && BROWSER_UA.test(ua);
  const app = ua !== undefined && APP_UA.test(ua);
  if ((browser && accept === undefined) || (app && (xrw !== undefined || referer !== undefined))) tells.push('user-agent-contradiction');
  return tells;
}
