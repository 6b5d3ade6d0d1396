import { addressItems } from './address-items.js';
import { ChunkBuffer, type ExportReport, type ItemSource } from './exporter.js';

export interface IpsetOptions {
  report: ExportReport;
  /** Set name prefix: PREFIX-v4 and PREFIX-v6. */
  name?: string;
  maxelem?: number;
}

const NAME = /^[A-Za-z0-9_.-]{1,28}$/;

/**
 * `ipset restore` input: two hash:net sets (IPv4 and IPv6), created if missing,
 * flushed, then filled. hash:net takes plain addresses as /32 and /128.
 */
export async function* renderIpset(items: ItemSource, options: IpsetOptions): AsyncGenerator<string> {
  const name = options.name ?? 'honeyscope';
  if (!NAME.test(name)) throw new SyntaxError(`Invalid ipset name ${JSON.stringify(name)}: expected at most 28 letters, digits, dots, hyphens or underscores`);
  const maxelem = options.maxelem ?? 1 << 21;
  const v4 = `${name}-v4`;
  const v6 = `${name}-v6`;
  yield [
    `create ${v4} hash:net family inet hashsize 1024 maxelem ${maxelem} -exist`,
    `create ${v6} hash:net family inet6 hashsize 1024 maxelem ${maxelem} -exist`,
    `flush ${v4}`,
    `flush ${v6}`,
    '',
  ].join('\n');
  const out = new ChunkBuffer();
  for await (const batch of items) {
    for (const item of addressItems(batch, options.report)) {
      const chunk = out.push(`add ${item.indicator.includes(':') ? v6 : v4} ${item.indicator} -exist\n`);
      if (chunk) yield chunk;
    }
  }
  const rest = out.flush();
  if (rest) yield rest;
}
