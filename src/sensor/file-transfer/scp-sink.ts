/** A file the client sent with `scp -t`. */
export interface ScpFile {
  name: string;
  /** The directory the client named on the command line, joined with the name. */
  destfile: string;
  data: Buffer;
}

type State = { kind: 'header' } | { kind: 'body'; name: string; size: number; received: Buffer[]; got: number } | { kind: 'done' };

const MAX_HEADER = 4096;

/**
 * The sink side of the classic SCP protocol (`scp -O`, old clients and bots),
 * as a pure state machine over the bytes the client sends: `C<mode> <size>
 * <name>`, `D`/`E` directories and `T` times, each acknowledged with a NUL.
 * Files larger than `maxBytes` are refused with an SCP error.
 */
export class ScpSink {
  readonly #target: string;
  readonly #targetIsDir: boolean;
  readonly #maxBytes: number;
  readonly #reply: (data: Buffer) => void;
  readonly #onFile: (file: ScpFile) => void;
  readonly #dirs: string[] = [];
  #state: State = { kind: 'header' };
  #pending: Buffer = Buffer.alloc(0);

  constructor(options: { target: string; targetIsDir: boolean; maxBytes: number; reply: (data: Buffer) => void; onFile: (file: ScpFile) => void }) {
    this.#target = options.target;
    this.#targetIsDir = options.targetIsDir;
    this.#maxBytes = options.maxBytes;
    this.#reply = options.reply;
    this.#onFile = options.onFile;
  }

  /** Tells the client the sink is ready. */
  start(): void {
    this.#reply(Buffer.from([0]));
  }

  get done(): boolean {
    return this.#state.kind === 'done';
  }

  data(chunk: Buffer): void {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    while (this.#pending.length > 0 && this.#state.kind !== 'done') {
      if (this.#state.kind === 'header') {
        const nl = this.#pending.indexOf(0x0a);
        if (nl === -1) {
          if (this.#pending.length > MAX_HEADER) this.#fail('protocol error: header too long');
          return;
        }
        const line = this.#pending.subarray(0, nl).toString('latin1');
        this.#pending = this.#pending.subarray(nl + 1);
        this.#header(line);
      } else {
        const state = this.#state;
        // The body is followed by one NUL from the client.
        const want = state.size + 1 - state.got;
        const take = this.#pending.subarray(0, want);
        this.#pending = this.#pending.subarray(take.length);
        state.received.push(take);
        state.got += take.length;
        if (state.got === state.size + 1) {
          const data = Buffer.concat(state.received).subarray(0, state.size);
          const dest = this.#targetIsDir || this.#dirs.length > 0 ? [this.#target, ...this.#dirs, state.name].join('/').replace(/\/{2,}/g, '/') : this.#target;
          this.#state = { kind: 'header' };
          this.#onFile({ name: state.name, destfile: dest, data });
          this.#reply(Buffer.from([0]));
        }
      }
    }
  }

  #header(line: string): void {
    const type = line[0];
    if (type === 'T') return this.#reply(Buffer.from([0]));
    if (type === 'E') {
      this.#dirs.pop();
      return this.#reply(Buffer.from([0]));
    }
    const m = /^([CD])([0-7]{4}) (\d{1,15}) ([^/\n]+)$/.exec(line);
    if (!m) return this.#fail('protocol error: unexpected header');
    const [, kind, , sizeText, name] = m as unknown as [string, string, string, string, string];
    if (name === '..' || name === '.') return this.#fail('protocol error: invalid name');
    if (kind === 'D') {
      this.#dirs.push(name);
      return this.#reply(Buffer.from([0]));
    }
    const size = Number(sizeText);
    if (size > this.#maxBytes) return this.#fail(`${name}: No space left on device`);
    this.#state = { kind: 'body', name, size, received: [], got: 0 };
    this.#reply(Buffer.from([0]));
  }

  #fail(message: string): void {
    this.#state = { kind: 'done' };
    this.#reply(Buffer.from(`\x01scp: ${message}\n`, 'latin1'));
  }
}

const DIRECTORIES = new Set(['/', '.', '~', '/root', '/tmp', '/var/tmp', '/dev/shm', '/home']);

/**
 * The target of `scp [-r] [-p] [-d] -t TARGET`, and whether it names a
 * directory (as scp decides from the flags and from what exists), or
 * undefined when `command` is not an SCP sink.
 */
export function scpSinkTarget(command: string): { target: string; isDir: boolean } | undefined {
  const words = command.trim().split(/\s+/);
  if (words[0] !== 'scp' && words[0] !== '/usr/bin/scp') return undefined;
  const flags = words.slice(1, -1);
  if (!flags.includes('-t') || !flags.every((f) => /^-[a-zA-Z]+$/.test(f))) return undefined;
  const target = words.at(-1)!;
  const isDir = flags.includes('-d') || flags.includes('-r') || target.endsWith('/') || DIRECTORIES.has(target) || /^\/home\/[^/]+$/.test(target);
  return { target, isDir };
}
