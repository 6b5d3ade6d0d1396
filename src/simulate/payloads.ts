/**
 * What the seed's bots sent through their tunnels (March 2016, pruned there
 * and completed here with plausible hosts): check-my-IP sites, URL shorteners
 * with fake Google referers, Craigslist replies, an Instagram API call, mail
 * servers greeted with EHLO, and TLS to port 443.
 */
export interface TunnelPayload {
  kind: 'http' | 'smtp' | 'tls' | 'raw';
  host: string;
  ip: string;
  port: number;
  /** For http: the request; for smtp: the greeting name; for tls: the SNI. */
  payload: string;
}

const UA_IE6 = 'Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1; SV1)';
const UA_WIIU = 'Mozilla/5.0 (Nintendo WiiU) AppleWebKit/534.52 (KHTML, like Gecko) NX/ NintendoBrowser/';

function get(host: string, path: string, extra: string[] = []): string {
  return [`GET ${path} HTTP/1.1`, `Host: ${host}`, `User-Agent: ${UA_IE6}`, 'Accept: */*', ...extra, '', ''].join('\r\n');
}

export const TUNNEL_PAYLOADS: readonly TunnelPayload[] = [
  { kind: 'http', host: 'myip.ru', ip: '178.62.9.171', port: 80, payload: get('myip.ru', '/') },
  { kind: 'http', host: 'ip-api.com', ip: '208.95.112.1', port: 80, payload: get('ip-api.com', '/ip.php?i=', ['Accept-Language: ru-RU,ru']) },
  { kind: 'http', host: 'showmyip.com', ip: '104.21.5.33', port: 80, payload: get('showmyip.com', '/showmyip.php') },
  { kind: 'http', host: 'checkip.dyndns.org', ip: '158.101.44.242', port: 80, payload: get('checkip.dyndns.org', '/') },
  {
    kind: 'http', host: 'qps.ru', ip: '91.215.42.18', port: 80,
    payload: get('qps.ru', '/make_url.php', ['Referer: https://www.google.com/search?q=short+url', 'Accept-Language: ru-RU,ru']),
  },
  {
    kind: 'http', host: 'goo.gl', ip: '142.250.74.46', port: 80,
    payload: [
      'POST /mod_perl/ HTTP/1.1', 'Host: goo.gl', `User-Agent: ${UA_IE6}`, 'X-Requested-With: XMLHttpRequest',
      'Cookie: permasession=145xxxx290|pscxxxxzxq', 'Referer: https://www.google.com/', 'Content-Type: application/x-www-form-urlencoded',
      'Content-Length: 27', '', 'url=http%3A%2F%2Fexample.com',
    ].join('\r\n'),
  },
  { kind: 'http', host: 'eau.craigslist.org', ip: '208.82.237.146', port: 80, payload: get('eau.craigslist.org', '/reply/eau/m4w/548xxxx413', ['X-Requested-With: XMLHttpRequest']) },
  { kind: 'http', host: 'evv.craigslist.org', ip: '208.82.237.147', port: 80, payload: get('evv.craigslist.org', '/reply/evv/m4w/550xxxx297') },
  {
    kind: 'http', host: 'hez.craigslist.org', ip: '208.82.237.148', port: 80,
    payload: ['GET /reply/hez/m4w/546xxxx191 HTTP/1.1', 'Host: hez.craigslist.org', `User-Agent: ${UA_WIIU}`, 'X-Requested-With: XMLHttpRequest', '', ''].join('\r\n'),
  },
  {
    kind: 'http', host: 'i.instagram.com', ip: '157.240.20.174', port: 80,
    payload: [
      'POST /GetSignedKey_new1.php HTTP/1.0', 'Host: i.instagram.com', 'Connection: keep-alive',
      'User-Agent: Instagram 5.0.0 Windows Phone (8.10.14147.180; 480x320; NOKIA; tAbd_apiM; uk_UA)', 'Content-Length: 0', '', '',
    ].join('\r\n'),
  },
  { kind: 'http', host: 'www.google.com', ip: '142.250.74.36', port: 80, payload: get('www.google.com', '/') },
  { kind: 'smtp', host: 'mx.mail.ru', ip: '94.100.180.31', port: 25, payload: 'test.com' },
  { kind: 'smtp', host: 'smtp.yandex.ru', ip: '77.88.21.158', port: 587, payload: 'User' },
  { kind: 'smtp', host: 'mxs.mail.ru', ip: '217.69.139.150', port: 25, payload: '[127.0.0.1]' },
  { kind: 'smtp', host: 'mx1.example.net', ip: '192.0.2.25', port: 2525, payload: 'localhost' },
  { kind: 'tls', host: 'www.google.com', ip: '142.250.74.36', port: 443, payload: 'www.google.com' },
  { kind: 'tls', host: 'smtp.gmail.com', ip: '74.125.140.108', port: 465, payload: 'smtp.gmail.com' },
  { kind: 'raw', host: 'unknown', ip: '203.0.113.77', port: 28125, payload: '' },
];

export const USERNAMES = ['root', 'admin', 'ubnt', 'pi', 'support', 'user', 'oracle', 'test'];
export const PASSWORDS = ['root', '123456', 'admin', 'password', '1234', 'ubnt', 'raspberry', 'qwerty', '12345678', 'toor'];
export const COMMANDS = ['uname -a', 'cat /proc/cpuinfo | grep name | wc -l', 'free -m', 'w', 'ls -la /tmp', 'echo -e "\\x61\\x62"', 'id'];
