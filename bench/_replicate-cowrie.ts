// Replicates the 14 real kareiva days to N events for the store benchmarks: copy k shifts every
// session id (first 4 hex digits = k) and every timestamp (k minutes later), so each copy is new data.
import { createWriteStream } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';

export const KAREIVA_DIR = '/work/shared/fixtures/cowrie/kareiva-2018';

const SESSION = /("session": ?")([0-9a-f]{4})/;
const TIMESTAMP = /("timestamp": ?")(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?Z/;

function shift(line: string, k: number): string {
  if (k === 0) return line;
  const withSession = line.replace(SESSION, (_m, pre: string) => `${pre}${k.toString(16).padStart(4, '0')}`);
  return withSession.replace(TIMESTAMP, (_m, pre: string, base: string, frac: string | undefined) => {
    const shifted = new Date(Date.parse(`${base}Z`) + k * 60_000).toISOString().slice(0, 19);
    return `${pre}${shifted}${frac ?? ''}Z`;
  });
}

/** Writes `events` lines into `dir` as cowrie.json.NNNNN files (one per copy); returns the file paths. */
export async function replicateCowrie(dir: string, events: number): Promise<string[]> {
  const lines: string[] = [];
  for (const name of (await readdir(KAREIVA_DIR)).sort()) {
    for (const l of (await readFile(join(KAREIVA_DIR, name), 'utf8')).split('\n')) if (l.trim() !== '') lines.push(l);
  }
  const files: string[] = [];
  let written = 0;
  for (let k = 0; written < events; k++) {
    const path = join(dir, `cowrie.json.${String(k).padStart(5, '0')}`);
    files.push(path);
    const out = createWriteStream(path);
    let buf: string[] = [];
    for (const l of lines) {
      if (written >= events) break;
      buf.push(shift(l, k));
      written += 1;
      if (buf.length >= 4096) {
        if (!out.write(`${buf.join('\n')}\n`)) await once(out, 'drain');
        buf = [];
      }
    }
    if (buf.length > 0) out.write(`${buf.join('\n')}\n`);
    out.end();
    await once(out, 'finish');
  }
  return files;
}
