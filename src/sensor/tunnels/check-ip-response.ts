import type { HttpRequest } from '../../protocols/http-request.js';

/** An HTTP answer body with its type. */
export interface CheckIpResponse {
  contentType: string;
  body: string;
}

/** Paths of the "check my IP" kind on any host: answered with a bare address in plain text. */
const CHECK_IP_PATH = /(?:^|[/_.-])(?:ip|myip|my_ip|showmyip|whatismyip|checkip|getip|ipcheck|remote_?addr|ip_?address|ipinfo)(?:$|[/_.-])/i;

/**
 * The answer to a check-my-IP request, in the format of the site asked (a bot
 * parses what it expects: dyndns's HTML line, ipify's JSON, httpbin's
 * `origin`), or undefined when the request is of another kind. `hosts` are the
 * configured check-my-IP sites; each also covers its subdomains.
 */
export function checkIpResponse(req: HttpRequest, hosts: readonly string[], ip: string): CheckIpResponse | undefined {
  const host = (req.host ?? '').toLowerCase().replace(/:\d*$/, '').replace(/\.$/, '');
  const site = hosts.find((h) => host === h || host.endsWith(`.${h}`));
  if (site === undefined) return CHECK_IP_PATH.test(req.path) ? plain(ip) : undefined;
  const json = /[?&]format=json(?:&|$)/i.test(req.target) || (site === 'ip-api.com' && req.path.startsWith('/json'));
  if (site.startsWith('checkip.dyndns.')) {
    return { contentType: 'text/html', body: `<html><head><title>Current IP Check</title></head><body>Current IP Address: ${ip}</body></html>\r\n` };
  }
  if (site === 'httpbin.org') return { contentType: 'application/json', body: `{\n  "origin": "${ip}"\n}\n` };
  if (site === 'ip-api.com' && json) return { contentType: 'application/json; charset=utf-8', body: `{"status":"success","query":"${ip}"}` };
  if (site === 'ipinfo.io' && req.path !== '/ip') return { contentType: 'application/json; charset=utf-8', body: `{\n  "ip": "${ip}"\n}` };
  if (json) return { contentType: 'application/json', body: `{"ip":"${ip}"}` };
  return plain(ip);
}

function plain(ip: string): CheckIpResponse {
  return { contentType: 'text/plain', body: `${ip}\n` };
}
