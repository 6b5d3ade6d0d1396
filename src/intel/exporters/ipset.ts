import { addressItems } from './address-items.js';
import { ChunkBuffer, type ExportReport, type ItemSource } from './exporter.js';

export interface IpsetOptions {
  report: ExportReport;
  /** Set name prefix: PREFIX-v4 and PREFIX-v6. */
  name?: string;
  maxelem?: number;
}

// ipset names hold at most 31 characters; the temporary sets add "-v4-tmp".
const NAME = /^[A-Za-z0-9_.-]{1,24}$/;

/**
 * `ipset restore` input for two hash:net sets (IPv4 and IPv6). The new entries
 * go into temporary sets that are then swapped with the live ones and destroyed,
 * as ipset(8) advises: restore stops at the first bad line, and the live sets
 * must then keep what they held rather than be left empty or half filled.
 * hash:net takes plain addresses as /32 and /128.
 */
export async function* renderIpset(items: ItemSource, options: IpsetOptions): AsyncGenerator<string> {
  const name = options.name ?? 'honeyscope';
  if (!NAME.test(name)) throw new SyntaxError(`Invalid ipset name ${JSON.stringify(name)}: expected at most 24 letters, digits, dots, hyphens or underscores`);
  const maxelem = options.maxelem ?? 1 << 21;
  const sets = [
    { live: `${name}-v4`, tmp: `${name}-v4-tmp`, family: 'inet' },
    { live: `${name}-v6`, tmp: `${name}-v6-tmp`, family: 'inet6' },
  ];
  const create = (set: string, family: string): string => `create ${set} hash:net family ${family} hashsize 1024 maxelem ${maxelem} -exist`;
  // The temporary sets are flushed in case a failed restore left them behind.
  yield [...sets.flatMap((s) => [create(s.live, s.family), create(s.tmp, s.family), `flush ${s.tmp}`]), ''].join('\n');
  const [v4, v6] = [sets[0]!.tmp, sets[1]!.tmp];
  const out = new ChunkBuffer();
  for await (const batch of items) {
    for (const item of addressItems(batch, options.report)) {
      const chunk = out.push(`add ${item.indicator.includes(':') ? v6 : v4} ${item.indicator} -exist\n`);
      if (chunk) yield chunk;
    }
  }
  const rest = out.flush();
  if (rest) yield rest;
  yield [...sets.map((s) => `swap ${s.tmp} ${s.live}`), ...sets.map((s) => `destroy ${s.tmp}`), ''].join('\n');
}
