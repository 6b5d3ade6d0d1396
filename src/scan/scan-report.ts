import type { ClamdAddress } from './clamd/clamd-address.js';
import type { Verdict } from './clamd/protocol.js';

/**
 * clamdscan's output, byte for byte: per-file lines, the SCAN SUMMARY block
 * and the `@inspectFile` line mod_security reads.
 */

/** The stdout lines for one file: one `FOUND` line per signature, `OK`, or clamd's error. */
export function verdictLines(path: string, verdict: Verdict, options: { infectedOnly?: boolean } = {}): string[] {
  if (verdict.kind === 'infected') return verdict.signatures.map((signature) => `${path}: ${signature} FOUND`);
  if (verdict.kind === 'clean') return options.infectedOnly ? [] : [`${path}: OK`];
  return [`${path}: ${verdict.reason} ERROR`];
}

/** `2026:11:28 17:06:27` in local time, as clamdscan prints dates. */
export function clamdscanDate(epochMs: number): string {
  const d = new Date(epochMs);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}:${two(d.getMonth() + 1)}:${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** The SCAN SUMMARY block; `Total errors` appears only when there were errors. */
export function scanSummary(summary: { infected: number; errors: number; startMs: number; endMs: number }): string {
  const seconds = Math.max(0, summary.endMs - summary.startMs) / 1000;
  const whole = Math.floor(seconds);
  const lines = ['', '----------- SCAN SUMMARY -----------', `Infected files: ${summary.infected}`];
  if (summary.errors > 0) lines.push(`Total errors: ${summary.errors}`);
  lines.push(
    `Time: ${seconds.toFixed(3)} sec (${Math.floor(whole / 60)} m ${whole % 60} s)`,
    `Start Date: ${clamdscanDate(summary.startMs)}`,
    `End Date:   ${clamdscanDate(summary.endMs)}`,
  );
  return `${lines.join('\n')}\n`;
}

/** clamdscan's exit status: 1 if anything was infected, else 2 if anything failed, else 0. */
export function clamdscanExitCode(infected: number, errors: number): number {
  if (infected > 0) return 1;
  return errors > 0 ? 2 : 0;
}

/**
 * What mod_security's `@inspectFile` reads: the first byte `1` passes the file,
 * anything else rejects it. Only a definite clean verdict gets `1`.
 */
export function modsecLine(verdict: Verdict): string {
  if (verdict.kind === 'clean') return '1 clamdscan: OK';
  if (verdict.kind === 'infected') return `0 clamdscan: ${verdict.signatures.join(' ')}`;
  return `0 clamdscan: ${verdict.reason.replace(/[\r\n]+/g, ' ')}`;
}

const STRERROR: Record<string, string> = {
  ENOENT: 'No such file or directory',
  ECONNREFUSED: 'Connection refused',
  EACCES: 'Permission denied',
  ETIMEDOUT: 'Connection timed out',
  ECONNRESET: 'Connection reset by peer',
  EHOSTUNREACH: 'No route to host',
  ENETUNREACH: 'Network is unreachable',
  ENOTSOCK: 'Socket operation on non-socket',
};

/** `ERROR: Could not connect to clamd on LocalSocket /path: No such file or directory`, as clamdscan words it. */
export function connectErrorLine(address: ClamdAddress, code: string): string {
  const where = address.kind === 'unix' ? `LocalSocket ${address.path}` : address.host;
  return `ERROR: Could not connect to clamd on ${where}: ${STRERROR[code] ?? code}`;
}
