import { z } from 'zod';
import { port } from './host-port.js';

export const tunnelsSection = z
  .object({
    /** Accept `direct-tcpip` channels (and never connect out: the sensor plays the far side). */
    enabled: z.boolean().default(true),
    smtpPorts: z.array(port).default([25, 26, 587, 2525, 25000]),
    httpPorts: z.array(port).default([80, 81, 8000, 8008, 8080, 8081, 8888, 3128]),
    tlsPorts: z.array(port).default([443, 465, 636, 853, 993, 995, 8443]),
    /** The SMTP greeting host name the emulator announces. */
    smtpHostname: z.string().default('mx.example.net'),
    /** The largest message the SMTP emulator accepts (announced as SIZE; bigger ones get 552). */
    smtpMaxDataBytes: z.number().int().min(0).default(256 * 1024),
    /** The Server header of the emulated web server. */
    httpServerHeader: z.string().default('nginx'),
    /** The HTML page the emulated web server answers to ordinary requests. */
    httpBody: z
      .string()
      .default('<!DOCTYPE html>\n<html><head><title>Welcome</title></head><body><h1>Welcome</h1></body></html>\n'),
    /** The address answered to check-my-IP style requests (/ip.php, /myip, ...); a documentation address unless set. */
    fakePublicIp: z.union([z.ipv4(), z.ipv6()]).default('203.0.113.54'),
    /**
     * Check-my-IP sites (and their subdomains): any request for them is answered with
     * fakePublicIp in the site's own format. Bots ask them to see that the proxy works.
     */
    checkIpHosts: z
      .array(z.string().min(1))
      .default([
        'api.ipify.org',
        'api64.ipify.org',
        'icanhazip.com',
        'ifconfig.me',
        'ifconfig.co',
        'checkip.amazonaws.com',
        'checkip.dyndns.org',
        'checkip.dyndns.com',
        'ipinfo.io',
        'ipecho.net',
        'ident.me',
        'myexternalip.com',
        'ip-api.com',
        'httpbin.org',
        'wtfismyip.com',
      ]),
    /** Close a silent or finished channel after this long. */
    idleTimeoutMs: z.number().int().min(100).default(30_000),
  })
  .strict()
  .prefault({});
