import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { HoneyscopeError } from '../../lib/errors.js';
import { ioReason } from '../../lib/io-reason.js';

/** `-` is standard input. */
export const STDIN = '-';

const LOG_NAME = /\.json(l)?(\.|$)/;
const DATED = /\.(\d{4}-\d{2}-\d{2})(?:\.gz)?$/;
const NUMBERED = /\.json(?:l)?\.(\d+)(?:\.gz)?$/;

/**
 * Expands PATHs into the files to read, in time order. A directory gives its
 * Cowrie JSON logs: dated rotations (`cowrie.json.2018-05-06[.gz]`) oldest
 * first, then numbered ones (`cowrie.json.2` before `.1`), then the live
 * `cowrie.json`.
 *
 * @throws {HoneyscopeError} HS_IO when a path cannot be read, or a directory holds no Cowrie JSON log
 */
export async function listInputs(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const path of paths) {
    if (path === STDIN) {
      out.push(STDIN);
      continue;
    }
    const abs = resolve(path);
    const info = await stat(abs).catch((err: unknown) => {
      throw new HoneyscopeError('HS_IO', `Cannot read "${path}": ${ioReason(err)}`, { cause: err });
    });
    if (!info.isDirectory()) {
      out.push(abs);
      continue;
    }
    const entries = await readdir(abs, { withFileTypes: true }).catch((err: unknown) => {
      throw new HoneyscopeError('HS_IO', `Cannot list the directory "${path}": ${ioReason(err)}`, { cause: err });
    });
    const names = entries.filter((e) => e.isFile() && LOG_NAME.test(e.name)).map((e) => e.name);
    // A mistyped directory must not pass for one with nothing new in it.
    if (names.length === 0) throw new HoneyscopeError('HS_IO', `No Cowrie JSON log in the directory "${path}": expected names like cowrie.json, cowrie.json.1 or cowrie.json.2018-05-06.gz`);
    out.push(...sortRotated(names).map((n) => join(abs, n)));
  }
  return out;
}

/** Orders rotated log names oldest first (pure). */
export function sortRotated(names: readonly string[]): string[] {
  return [...names].sort((a, b) => {
    const ka = rotationKey(a);
    const kb = rotationKey(b);
    return ka[0] - kb[0] || (ka[1] < kb[1] ? -1 : ka[1] > kb[1] ? 1 : 0) || (a < b ? -1 : a > b ? 1 : 0);
  });
}

function rotationKey(name: string): [number, string] {
  const dated = DATED.exec(name);
  if (dated) return [0, dated[1] ?? ''];
  const numbered = NUMBERED.exec(name);
  if (numbered) return [1, String(1e9 - Number(numbered[1])).padStart(10, '0')];
  return [2, name];
}

