import type { Command } from '../command.js';
import { fakeAddress } from '../fake-address.js';
import { formatDate } from '../format-clock.js';
import { NETWORK } from '../network.js';

const TYPES = new Set(['A', 'AAAA', 'ANY', 'CAA', 'CNAME', 'MX', 'NS', 'PTR', 'SOA', 'SRV', 'TXT']);

/** dig: answers A queries from the emulated resolver; other types get an empty answer. No query leaves the sensor. */
export const dig: Command = {
  path: '/usr/bin/dig',
  run(ctx) {
    let short = false;
    let type = 'A';
    let name: string | undefined;
    let server: string = NETWORK.gateway;
    for (const arg of ctx.args) {
      if (arg === '+short') short = true;
      else if (arg.startsWith('@')) server = arg.slice(1);
      else if (TYPES.has(arg.toUpperCase())) type = arg.toUpperCase();
      else if (!arg.startsWith('+') && !arg.startsWith('-')) name ??= arg;
    }
    const query = name ?? '.';
    const address = type === 'A' && name !== undefined ? fakeAddress(name) : undefined;
    const exists = name === undefined || fakeAddress(name) !== undefined;
    if (short) {
      if (address !== undefined) ctx.stdout(`${address}\n`);
      return 0;
    }
    const fqdn = query.endsWith('.') ? query : `${query}.`;
    const id = Math.floor(Math.random() * 65536);
    const answer = address === undefined ? '' : `;; ANSWER SECTION:\n${fqdn}\t\t300\tIN\tA\t${address}\n\n`;
    ctx.stdout(
      `\n; <<>> DiG 9.18.28-1~deb12u2-Debian <<>> ${ctx.args.join(' ')}\n;; global options: +cmd\n;; Got answer:\n` +
        `;; ->>HEADER<<- opcode: QUERY, status: ${exists ? 'NOERROR' : 'NXDOMAIN'}, id: ${id}\n` +
        `;; flags: qr rd ra; QUERY: 1, ANSWER: ${address === undefined ? 0 : 1}, AUTHORITY: 0, ADDITIONAL: 1\n\n` +
        `;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: 1232\n;; QUESTION SECTION:\n;${fqdn}\t\t\tIN\t${type}\n\n${answer}` +
        `;; Query time: ${12 + (id % 30)} msec\n;; SERVER: ${server}#53(${server}) (UDP)\n;; WHEN: ${formatDate(ctx.shell.now())}\n` +
        `;; MSG SIZE  rcvd: ${address === undefined ? 40 + fqdn.length : 56 + fqdn.length}\n\n`,
    );
    return 0;
  },
};
