import { setTimeout as delay } from 'node:timers/promises';
import type { Command } from '../command.js';
import { fakeAddress } from '../fake-address.js';
import { parseFlags } from '../parse-flags.js';

const VALUED = ['c', 'i', 'w', 'W', 's', 't', 'I', 'p', 'Q', 'l', 'M', 'm', 'T', 'S'];
/** Without -c real ping runs until ^C; the emulation stops after a few replies. */
const DEFAULT_COUNT = 4;
const MAX_COUNT = 10;
const MAX_INTERVAL_MS = 1000;

/** ping: iputils' output with made-up replies. No packet is ever sent. */
export const ping: Command = {
  path: '/usr/bin/ping',
  async run(ctx) {
    const { flags, values, operands } = parseFlags(ctx.args, VALUED);
    const host = operands[operands.length - 1];
    if (host === undefined) {
      ctx.stderr('ping: usage error: Destination address required\n');
      return 1;
    }
    const address = fakeAddress(host);
    if (address === undefined) {
      ctx.stderr(`ping: ${host}: Name or service not known\n`);
      return 2;
    }
    const count = Math.min(positive(values.get('c')) ?? DEFAULT_COUNT, MAX_COUNT);
    const interval = Math.min((positive(values.get('i')) ?? 1) * 1000, MAX_INTERVAL_MS);
    const size = positive(values.get('s')) ?? 56;
    const from = address === host ? address : `${host} (${address})`;
    const local = address.startsWith('127.');
    const base = local ? 0.03 : 8 + (address.split('.').reduce((sum, octet) => sum + Number(octet), 0) % 40);
    ctx.stdout(`PING ${host} (${address}) ${size}(${size + 28}) bytes of data.\n`);
    const times: number[] = [];
    for (let seq = 1; seq <= count; seq++) {
      if (seq > 1) {
        try {
          await delay(interval, undefined, { signal: ctx.signal });
        } catch (err) {
          if (!ctx.signal.aborted) throw err;
          break;
        }
      }
      const time = base + (local ? 0.01 : 1) * (((seq * 37) % 17) / 10);
      times.push(time);
      if (!flags.has('q')) ctx.stdout(`${size + 8} bytes from ${from}: icmp_seq=${seq} ttl=${local ? 64 : 117} time=${time.toFixed(local ? 3 : 1)} ms\n`);
    }
    const n = times.length;
    const avg = times.reduce((a, b) => a + b, 0) / n;
    const mdev = Math.sqrt(times.reduce((a, t) => a + (t - avg) ** 2, 0) / n);
    ctx.stdout(
      `\n--- ${host} ping statistics ---\n${n} packets transmitted, ${n} received, 0% packet loss, time ${Math.round((n - 1) * interval)}ms\n` +
        `rtt min/avg/max/mdev = ${[Math.min(...times), avg, Math.max(...times), mdev].map((v) => v.toFixed(3)).join('/')} ms\n`,
    );
    return 0;
  },
};

function positive(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d+(\.\d+)?$/.test(text)) return undefined;
  return Number(text);
}
