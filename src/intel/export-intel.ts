import { readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { atomicWrite } from '../lib/atomic-write.js';
import { HoneyscopeError } from '../lib/errors.js';
import type { IndicatorType } from './indicator.js';
import type { IntelStore, MetaFields } from './intel-store.js';
import { createReport, type ExportFormat, type Rejected } from './exporters/exporter.js';
import { renderExport } from './exporters/render-export.js';
import { nextRpzSerial, parseRpzPolicy, readRpzSerial, type RpzPolicy } from './exporters/rpz.js';
import { applyWhitelist, createWhitelist, type Suppressed, type Whitelist } from './whitelist.js';

const NAMES: IndicatorType[] = ['domain', 'hostname'];
const ADDRESSES: IndicatorType[] = ['ipv4', 'ipv6', 'cidr'];

/** What each format reads: lists that need no metadata beyond source names read far less. */
const FORMAT_QUERY: Record<ExportFormat, { types?: IndicatorType[]; metaFields: MetaFields }> = {
  rpz: { types: NAMES, metaFields: 'sources' },
  hosts: { types: NAMES, metaFields: 'sources' },
  silk: { types: ADDRESSES, metaFields: 'sources' },
  nft: { types: ADDRESSES, metaFields: 'sources' },
  ipset: { types: ADDRESSES, metaFields: 'sources' },
  zeek: { metaFields: 'describe' },
  stix: { metaFields: 'full' },
  csv: { metaFields: 'full' },
  json: { metaFields: 'full' },
};

export interface ExportIntelOptions {
  format: ExportFormat;
  /** Replaced atomically; without it the text goes to `out`. */
  path?: string;
  out?: NodeJS.WritableStream;
  whitelist?: Whitelist | readonly string[];
  /** RPZ policy text (`nxdomain`, `cname:DOMAIN`, ...). */
  policy?: string;
  zone?: string;
  ipTriggers?: boolean;
  sources?: readonly string[];
  /**
   * Each of `sources` must have indicators, else nothing is written: a typo on the command
   * line must not replace a live file with an empty one. Scheduled exports leave it off,
   * as a source may rightly be empty for a while (the honeypot's, on a new sensor).
   */
  requireSources?: boolean;
  now?: number;
}

export interface ExportResult {
  format: ExportFormat;
  path: string | undefined;
  written: number;
  rejected: Rejected[];
  suppressed: Suppressed[];
  serial?: number;
}

/**
 * Writes one export of the store's active, unexpired indicators, minus the
 * whitelist. The RPZ serial grows on every export: it is above both the
 * serial in the file being replaced and the last one recorded in the store.
 */
export async function exportIntel(store: IntelStore, options: ExportIntelOptions): Promise<ExportResult> {
  const now = options.now ?? Date.now();
  const policy = options.policy ? readPolicy(options.policy) : undefined;
  if (options.path) await checkExportPath(options.path);
  if (options.sources && options.requireSources) await checkSources(store, options.sources);
  const whitelist = Array.isArray(options.whitelist) || options.whitelist === undefined
    ? createWhitelist((options.whitelist ?? []) as readonly string[])
    : (options.whitelist as Whitelist);
  const sources = options.sources ?? (options.format === 'stix' ? ['honeypot'] : undefined);
  const report = createReport();
  const suppressed: Suppressed[] = [];
  let serial: number | undefined;
  const stateKey = `rpz.serial:${options.path ?? '-'}`;
  if (options.format === 'rpz') {
    const stored = await store.getState(stateKey);
    const inFile = options.path ? await previousSerial(options.path) : undefined;
    serial = nextRpzSerial(Math.max(Number(stored ?? 0), inFile ?? 0) || undefined, now);
  }
  const query = FORMAT_QUERY[options.format];
  const types = options.format === 'rpz' && options.ipTriggers ? [...NAMES, ...ADDRESSES] : query.types;
  const items = applyWhitelist(
    store.itemBatches({ activeAt: now, metaFields: query.metaFields, ...(types ? { types } : {}), ...(sources ? { sources } : {}) }),
    whitelist,
    suppressed,
  );
  const chunks = renderExport(options.format, items, {
    report,
    now,
    serial,
    policy,
    zone: options.zone,
    ipTriggers: options.ipTriggers,
    whitelist,
    sources,
  });
  if (options.path) {
    const path = options.path;
    await atomicWrite(path, chunks).catch((err: unknown) => {
      // Only file-system errors name the temp file; anything else (the store, an exporter) goes up as it is.
      if (!(err instanceof Error && 'syscall' in err)) throw err;
      throw new HoneyscopeError('HS_EXPORT', `Cannot write export "${path}": ${(err as NodeJS.ErrnoException).code ?? err.message}`, { cause: err });
    });
  } else {
    const out = options.out ?? process.stdout;
    for await (const chunk of chunks) {
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
  }
  if (serial !== undefined) await store.setState(stateKey, String(serial));
  return { format: options.format, path: options.path, written: report.written, rejected: report.rejected, suppressed, ...(serial !== undefined ? { serial } : {}) };
}

async function previousSerial(path: string): Promise<number | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new HoneyscopeError('HS_EXPORT', `Cannot read the previous RPZ zone "${path}": ${(err as Error).message}`, { cause: err });
  }
  return readRpzSerial(text.slice(0, 4096));
}

function readPolicy(text: string): RpzPolicy {
  try {
    return parseRpzPolicy(text);
  } catch (err) {
    if (err instanceof SyntaxError) throw new HoneyscopeError('HS_USAGE', err.message, { cause: err });
    throw err;
  }
}

/** Refuses a path the atomic write would fail on, before any work, naming the user's path rather than the temp file. */
async function checkExportPath(path: string): Promise<void> {
  const dir = dirname(path);
  const kind = async (p: string): Promise<'file' | 'directory' | undefined> => {
    try {
      return (await stat(p)).isDirectory() ? 'directory' : 'file';
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
      throw new HoneyscopeError('HS_EXPORT', `Cannot write export "${path}": ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
    }
  };
  const dirKind = await kind(dir);
  if (dirKind !== 'directory') throw new HoneyscopeError('HS_EXPORT', `Cannot write export "${path}": directory "${dir}" ${dirKind === 'file' ? 'is a file' : 'does not exist'}, expected an existing directory`);
  if ((await kind(path)) === 'directory') throw new HoneyscopeError('HS_EXPORT', `Cannot write export "${path}": it is a directory, expected a file name`);
}

async function checkSources(store: IntelStore, sources: readonly string[]): Promise<void> {
  const { bySource } = await store.stats();
  const missing = sources.filter((s) => !bySource[s]);
  if (missing.length === 0) return;
  const known = Object.keys(bySource).sort();
  throw new HoneyscopeError(
    'HS_USAGE',
    `Cannot export source ${missing.map((s) => JSON.stringify(s)).join(', ')}: no indicators in the store, expected ${known.length > 0 ? `one of ${known.join(', ')}` : 'a source imported first'}`,
  );
}
