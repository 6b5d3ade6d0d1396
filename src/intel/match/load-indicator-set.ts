import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { HoneyscopeError } from '../../lib/errors.js';
import type { BadIndicator } from '../bad-indicator.js';
import type { IntelItem } from '../indicator.js';
import type { IntelStore } from '../intel-store.js';
import { readIntelFile } from '../sources/files.js';
import type { Suppressed, Whitelist } from '../whitelist.js';
import { IndicatorSetBuilder, type IndicatorSet } from './indicator-set.js';
import { parseSilkSetLine } from './parse-silk-set-line.js';

export interface LoadIndicatorSetOptions {
  /** `--set` files: SiLK IP lists, or any feed the intel file reader understands. */
  files?: readonly string[];
  /** Used only when no files are given. */
  store?: IntelStore;
  exactDomains?: boolean;
  /** Skipped entries, with file and line. */
  bad: BadIndicator[];
  /** Indicators it covers are left out (and recorded in `suppressed`), and values it covers never match. */
  whitelist?: Whitelist;
  suppressed?: Suppressed[];
  now?: number;
}

const SILK_TOKEN = /^[0-9a-fA-F.:x,/-]+$/;

/** Builds the matchers from `--set` files, else from the store's active indicators. */
export async function loadIndicatorSet(options: LoadIndicatorSetOptions): Promise<IndicatorSet> {
  const { whitelist } = options;
  const builder = new IndicatorSetBuilder({ exactDomains: options.exactDomains ?? false, whitelist });
  const suppressed = options.suppressed ?? [];
  const add = (item: Pick<IntelItem, 'indicator' | 'type'> & { meta: readonly { source: string }[] }): void => {
    const rule = whitelist?.match(item);
    if (rule === undefined) builder.addItem(item);
    else suppressed.push({ indicator: item.indicator, type: item.type, rule });
  };
  const files = options.files ?? [];
  if (files.length > 0) {
    for (const file of files) {
      if (await isSilkList(file)) await addSilkList(builder, file, options.bad);
      // An empty set replaces no source, it just matches nothing: allowed, its skipped lines are reported.
      else for await (const record of readIntelFile(file, { bad: options.bad, allowEmpty: true })) add({ ...record, meta: [record.meta] });
    }
  } else if (options.store) {
    for await (const batch of options.store.itemBatches({ activeAt: options.now ?? Date.now(), metaFields: 'sources' })) for (const item of batch) add(item);
  } else {
    throw new HoneyscopeError('HS_USAGE', 'Cannot match: expected --set FILE or an intel store');
  }
  return builder.build();
}

/** True when every data line of the head is one rwsetbuild token (addresses, integers, wildcards). */
async function isSilkList(file: string): Promise<boolean> {
  let fh;
  try {
    fh = await open(file, 'r');
  } catch (err) {
    throw new HoneyscopeError('HS_IO', `Cannot read set "${file}": ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
  }
  try {
    const buf = Buffer.alloc(8192);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const lines = buf.subarray(0, bytesRead).toString('utf8').split(/\r?\n/);
    if (bytesRead === buf.length) lines.pop();
    const data = lines.map((l) => l.replace(/#.*/, '').trim()).filter((l) => l !== '');
    return data.length > 0 && data.every((l) => SILK_TOKEN.test(l) && !/^[0-9a-fA-F]{32,}$/.test(l));
  } finally {
    await fh.close();
  }
}

async function addSilkList(builder: IndicatorSetBuilder, file: string, bad: BadIndicator[]): Promise<void> {
  const source = `file:${basename(file)}`;
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of lines) {
    lineNo++;
    try {
      const parsed = parseSilkSetLine(line);
      if (!parsed) continue;
      const label = line.replace(/#.*/, '').trim();
      if ('cidr' in parsed) {
        if (!builder.addSilkCidr(parsed.cidr, source)) throw new SyntaxError(`Cannot parse IP list entry ${JSON.stringify(parsed.cidr)}: expected an IPv6 address or CIDR`);
      } else {
        builder.addSilkRanges(parsed.v4, label, source);
      }
    } catch (err) {
      if (!(err instanceof SyntaxError || err instanceof RangeError)) throw err;
      bad.push({ source, location: `${file}:${lineNo}`, value: line, reason: err.message });
    }
  }
}
