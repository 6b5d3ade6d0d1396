import { describe, expect, it } from 'vitest';
import { tunnelsSection } from '../../config/sections/tunnels.js';
import { parseHttpRequest } from '../../protocols/http-request.js';
import { checkIpResponse } from './check-ip-response.js';

const { checkIpHosts } = tunnelsSection.parse({});
const IP = '203.0.113.54';

function answer(head: string) {
  const req = parseHttpRequest(Buffer.from(`${head}\r\n\r\n`));
  if (!req) throw new Error(`not a request: ${head}`);
  return checkIpResponse(req, checkIpHosts, IP);
}

describe('checkIpResponse', () => {
  it("answers the well-known sites at their root, in each site's format", () => {
    expect(answer('GET / HTTP/1.1\r\nHost: api.ipify.org')).toEqual({ contentType: 'text/plain', body: `${IP}\n` });
    expect(answer('GET /?format=json HTTP/1.1\r\nHost: api.ipify.org')).toEqual({ contentType: 'application/json', body: `{"ip":"${IP}"}` });
    expect(answer('GET / HTTP/1.1\r\nHost: ICANHAZIP.com.')?.body).toBe(`${IP}\n`);
    expect(answer('GET / HTTP/1.0\r\nHost: checkip.dyndns.org')?.body).toBe(`<html><head><title>Current IP Check</title></head><body>Current IP Address: ${IP}</body></html>\r\n`);
    expect(answer('GET /ip HTTP/1.1\r\nHost: httpbin.org')).toEqual({ contentType: 'application/json', body: `{\n  "origin": "${IP}"\n}\n` });
    expect(answer('GET /json HTTP/1.1\r\nHost: ip-api.com')?.body).toBe(`{"status":"success","query":"${IP}"}`);
    expect(answer('GET /ip HTTP/1.1\r\nHost: ipinfo.io')?.body).toBe(`${IP}\n`);
  });

  it('knows a site from an absolute-form target and a subdomain, and a check path on any host', () => {
    expect(answer('GET http://api.ipify.org/ HTTP/1.1')?.body).toBe(`${IP}\n`);
    expect(answer('GET / HTTP/1.1\r\nHost: ipv4.icanhazip.com:80')?.body).toBe(`${IP}\n`);
    expect(answer('GET /showmyip.php HTTP/1.1\r\nHost: checker.example')?.body).toBe(`${IP}\n`);
  });

  it('leaves every other request alone', () => {
    expect(answer('GET / HTTP/1.1\r\nHost: www.google.com')).toBeUndefined();
    expect(answer('GET / HTTP/1.1\r\nHost: notipify.org')).toBeUndefined();
  });
});
