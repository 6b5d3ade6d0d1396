import { readFile } from 'node:fs/promises';
import { HoneyscopeError } from '../../lib/errors.js';
import type { ClamdAddress } from './clamd-address.js';

/** clamd.conf as option name to values (an option may repeat, e.g. ExcludePath). */
export type ClamdConf = Map<string, string[]>;

/**
 * Parses clamd.conf: `Option value` per line, `#` comments, the `Example`
 * marker. Throws SyntaxError naming the file and line for a line with no option name.
 */
export function parseClamdConf(text: string, file = 'clamd.conf'): ClamdConf {
  const conf: ClamdConf = new Map();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([A-Za-z][A-Za-z0-9]*)(?:\s+(.*))?$/.exec(line);
    if (!match) throw new SyntaxError(`Cannot parse "${file}" at line ${i + 1}: expected "Option value" but found ${JSON.stringify(line)}`);
    const value = (match[2] ?? '').trim().replace(/^"(.*)"$/, '$1');
    const list = conf.get(match[1]!) ?? [];
    list.push(value);
    conf.set(match[1]!, list);
  }
  if (conf.has('Example')) throw new SyntaxError(`Cannot use "${file}": it still contains the "Example" line, which makes clamd refuse it`);
  return conf;
}

/** The last value of an option, as clamd takes it. */
export function confValue(conf: ClamdConf, option: string): string | undefined {
  return conf.get(option)?.at(-1);
}

/**
 * The addresses clamdscan would try, in its order: LocalSocket first, then
 * TCPSocket on TCPAddr (localhost when unset). Throws SyntaxError when neither is set.
 */
export function clamdAddressesFromConf(conf: ClamdConf, file = 'clamd.conf'): ClamdAddress[] {
  const addresses: ClamdAddress[] = [];
  const local = confValue(conf, 'LocalSocket');
  if (local) addresses.push({ kind: 'unix', path: local });
  const tcpPort = confValue(conf, 'TCPSocket');
  if (tcpPort !== undefined) {
    const port = Number(tcpPort);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new SyntaxError(`Cannot use "${file}": TCPSocket "${tcpPort}" is not a port from 1 to 65535`);
    const hosts = conf.get('TCPAddr') ?? ['localhost'];
    // clamd binds every TCPAddr; the client only needs the first.
    addresses.push({ kind: 'tcp', host: hosts[0] || 'localhost', port });
  }
  if (addresses.length === 0) throw new SyntaxError(`Cannot use "${file}": it sets neither LocalSocket nor TCPSocket`);
  return addresses;
}

/** A clamd size option (`25M`, `100K`, `2G`, `4096`) in bytes; undefined when unset. */
export function confSize(conf: ClamdConf, option: string, file = 'clamd.conf'): number | undefined {
  const value = confValue(conf, option);
  if (value === undefined) return undefined;
  const match = /^(\d+)([kKmMgG]?)$/.exec(value);
  if (!match) throw new SyntaxError(`Cannot use "${file}": ${option} "${value}" is not a size (expected a number with an optional K, M or G)`);
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[match[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Number(match[1]) * unit;
}

/** Reads and parses a clamd.conf file; a missing or unreadable file is HS_CONFIG_NOT_FOUND. */
export async function readClamdConf(file: string): Promise<ClamdConf> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new HoneyscopeError('HS_CONFIG_NOT_FOUND', `Cannot read clamd config "${file}": ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
  }
  try {
    return parseClamdConf(text, file);
  } catch (err) {
    throw new HoneyscopeError('HS_CONFIG_INVALID', (err as SyntaxError).message, { cause: err });
  }
}
