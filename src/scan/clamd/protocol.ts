/**
 * clamd's wire format, without sockets: command framing, INSTREAM chunks,
 * reply splitting and reply parsing. Replies are parsed as clamd 1.4.6 writes
 * them (see reference/clamav.md): the status is read from the end of a line,
 * because paths may themselves contain ": " or "FOUND".
 */

/** The outcome of one scan. Anything but a definite `OK` from clamd is `infected` or `error`. */
export type Verdict =
  | { kind: 'clean' }
  | { kind: 'infected'; signatures: string[] }
  | {
      kind: 'error';
      reason: string;
      /**
       * Set when trying again later may succeed: `unavailable` when clamd could not
       * be reached, `interrupted` when the connection broke or timed out mid-request.
       */
      transient?: 'unavailable' | 'interrupted';
    };

/** One parsed reply line of a path or stream scan. */
export type ScanLine =
  | { path: string; status: 'ok' }
  | { path: string; status: 'found'; signature: string }
  | { path: string; status: 'error'; reason: string };

/** A file and its verdict, as reported by CONTSCAN/MULTISCAN/ALLMATCHSCAN. */
export interface PathVerdict {
  path: string;
  verdict: Verdict;
}

export const TIMEOUT_REPLY = 'COMMAND READ TIMED OUT';
const TIMEOUT_LINE = `${TIMEOUT_REPLY}\n`;
const NUL = 0;

/** Error replies that carry no path (INSTREAM refusals, unknown commands). */
const BARE_ERRORS = [/^INSTREAM size limit exceeded\. ERROR$/, /^UNKNOWN COMMAND$/, /^COMMAND READ TIMED OUT$/, /^No file descriptor received\. ERROR$/, /^Error processing command\. ERROR$/];

/** clamd's verdict on a device, FIFO or socket, which it never reads; the same here for what is read and streamed. */
export const NOT_SUPPORTED: Verdict = { kind: 'error', reason: 'Not supported file type' };

/** Messages clamd puts between a path and " ERROR"; used to find where the path ends. */
const KNOWN_ERROR_STARTS = [
  'File path check failure',
  'Not supported file type',
  'lstat() failed',
  'Access denied',
  "Can't open file or directory",
  "Can't allocate memory",
  'Excluded',
  'Size limit reached',
  'Command invalid inside IDSESSION',
  'Only nCMDS',
];

/** `z<NAME>[ <arg>]\0`: the NUL-terminated form, whose replies end in NUL too. */
export function encodeCommand(name: string, arg?: string): Buffer {
  if (!/^[A-Z]+$/.test(name)) throw new TypeError(`Cannot encode clamd command "${name}": expected upper-case letters`);
  if (arg !== undefined && arg.includes('\0')) throw new TypeError(`Cannot encode clamd command ${name}: the argument contains a NUL byte`);
  return Buffer.from(arg === undefined ? `z${name}\0` : `z${name} ${arg}\0`, 'utf8');
}

/** The 4-byte big-endian length that precedes each INSTREAM chunk. */
export function encodeChunkHeader(length: number): Buffer {
  if (!Number.isInteger(length) || length < 0 || length > 0xffffffff) {
    throw new RangeError(`Cannot encode INSTREAM chunk length ${length}: expected an integer from 0 to 4294967295`);
  }
  const header = Buffer.allocUnsafe(4);
  header.writeUInt32BE(length, 0);
  return header;
}

/** The zero-length chunk that ends an INSTREAM. */
export const INSTREAM_END: Buffer = Buffer.alloc(4);

/** `zINSTREAM\0`, every chunk and the terminator in one buffer (small inputs go out in a single write). */
export function encodeInstream(data: Uint8Array, chunkSize: number): Buffer {
  const parts: Uint8Array[] = [encodeCommand('INSTREAM')];
  for (let at = 0; at < data.length; at += chunkSize) {
    const chunk = data.subarray(at, Math.min(data.length, at + chunkSize));
    parts.push(encodeChunkHeader(chunk.length), chunk);
  }
  parts.push(INSTREAM_END);
  return Buffer.concat(parts);
}

/**
 * Splits a byte stream into NUL-terminated replies. `COMMAND READ TIMED OUT\n`
 * ends with a newline even after a z-command, so it is recognised as a reply too.
 */
export class ReplySplitter {
  #pending: Buffer = Buffer.alloc(0);

  push(chunk: Uint8Array): string[] {
    this.#pending = this.#pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.#pending, chunk]);
    const replies: string[] = [];
    for (;;) {
      const end = this.#pending.indexOf(NUL);
      const timeoutAt = this.#pending.indexOf(TIMEOUT_LINE);
      if (timeoutAt !== -1 && (end === -1 || timeoutAt < end)) {
        replies.push(this.#pending.subarray(0, timeoutAt + TIMEOUT_REPLY.length).toString('utf8'));
        this.#pending = this.#pending.subarray(timeoutAt + TIMEOUT_LINE.length);
        continue;
      }
      if (end === -1) break;
      replies.push(this.#pending.subarray(0, end).toString('utf8'));
      this.#pending = this.#pending.subarray(end + 1);
    }
    return replies;
  }

  /** Bytes received after the last terminator: a cut reply when the connection ends here. */
  get pending(): number {
    return this.#pending.length;
  }

  pendingText(): string {
    return this.#pending.toString('utf8');
  }
}

/** Splits `N: body` (a reply inside IDSESSION); null when there is no request id. */
export function parseSessionReply(reply: string): { id: number; body: string } | null {
  const match = /^(\d+): /.exec(reply);
  if (!match) return null;
  return { id: Number(match[1]), body: reply.slice(match[0].length) };
}

/**
 * Parses one scan reply (`PATH: OK`, `PATH: NAME FOUND`, `PATH: MESSAGE ERROR`),
 * reading the status from the end. Throws SyntaxError for anything else.
 */
export function parseScanLine(line: string): ScanLine {
  if (line.endsWith(': OK')) return { path: line.slice(0, -': OK'.length), status: 'ok' };
  if (line.endsWith(' FOUND')) {
    const body = line.slice(0, -' FOUND'.length);
    const sep = body.lastIndexOf(': ');
    const signature = sep === -1 ? '' : body.slice(sep + 2);
    // Signature names never contain spaces; anything else is not a detection line.
    if (sep === -1 || signature === '' || /\s/.test(signature)) throw new SyntaxError(`Cannot parse clamd reply ${JSON.stringify(line)}: expected "PATH: NAME FOUND"`);
    return { path: body.slice(0, sep), status: 'found', signature };
  }
  if (BARE_ERRORS.some((re) => re.test(line))) return { path: '', status: 'error', reason: stripError(line) };
  if (line.endsWith(' ERROR')) {
    const body = line.slice(0, -' ERROR'.length);
    let sep = -1;
    for (const start of KNOWN_ERROR_STARTS) {
      const at = body.indexOf(`: ${start}`);
      if (at !== -1 && (sep === -1 || at < sep)) sep = at;
    }
    if (sep === -1) sep = body.lastIndexOf(': ');
    if (sep === -1) return { path: '', status: 'error', reason: body.trim() };
    return { path: body.slice(0, sep), status: 'error', reason: body.slice(sep + 2).trim() };
  }
  throw new SyntaxError(`Cannot parse clamd reply ${JSON.stringify(line)}: expected a line ending in OK, FOUND or ERROR`);
}

function stripError(line: string): string {
  return line.endsWith(' ERROR') ? line.slice(0, -' ERROR'.length) : line;
}

/**
 * The verdict for one scanned object from all its reply lines. ALLMATCHSCAN
 * gives one line per signature; an ERROR line (e.g. "Not supported file type"
 * before "OK") wins over OK; no lines at all is an error.
 */
export function verdictFromReplies(replies: readonly string[]): Verdict {
  if (replies.length === 0) return { kind: 'error', reason: 'clamd sent an empty reply' };
  const signatures: string[] = [];
  let error: string | undefined;
  let ok = false;
  for (const reply of replies) {
    let line: ScanLine;
    try {
      line = parseScanLine(reply);
    } catch (err) {
      return { kind: 'error', reason: (err as SyntaxError).message };
    }
    if (line.status === 'found') {
      if (!signatures.includes(line.signature)) signatures.push(line.signature);
    } else if (line.status === 'error') {
      error ??= line.reason;
    } else {
      ok = true;
    }
  }
  if (signatures.length > 0) return { kind: 'infected', signatures };
  if (error !== undefined) return { kind: 'error', reason: error };
  return ok ? { kind: 'clean' } : { kind: 'error', reason: 'clamd sent no verdict' };
}

/**
 * Groups the replies of a directory scan by path, in order of first appearance.
 * A line that cannot be parsed becomes an error for the scanned root, so it is never lost.
 */
export function pathVerdicts(replies: readonly string[], root: string): PathVerdict[] {
  const byPath = new Map<string, string[]>();
  const unparsable: string[] = [];
  for (const reply of replies) {
    let path: string;
    try {
      path = parseScanLine(reply).path;
    } catch (err) {
      unparsable.push((err as SyntaxError).message);
      continue;
    }
    const key = path === '' ? root : path;
    const list = byPath.get(key) ?? [];
    list.push(reply);
    byPath.set(key, list);
  }
  const out = [...byPath].map(([path, lines]) => ({ path, verdict: verdictFromReplies(lines) }));
  for (const reason of unparsable) out.push({ path: root, verdict: { kind: 'error', reason } });
  if (out.length === 0) out.push({ path: root, verdict: { kind: 'error', reason: 'clamd sent an empty reply' } });
  return out;
}

/** `ClamAV 1.4.6| COMMANDS: SCAN QUIT ...` split into the version and the command names. */
export function parseVersionCommands(reply: string): { version: string; commands: string[] } {
  const match = /^(.*)\| COMMANDS: (.*)$/.exec(reply);
  if (!match) throw new SyntaxError(`Cannot parse VERSIONCOMMANDS reply ${JSON.stringify(reply)}: expected "VERSION| COMMANDS: ..."`);
  return { version: match[1]!, commands: match[2]!.trim().split(/\s+/) };
}
