import { errorMessage } from '../../lib/errors.js';
import { silentLogger, type Logger } from '../../lib/logger.js';
import type { ReadLineOptions } from './command.js';
import type { ShellHost } from './shell-host.js';
import { ShellRuntime, type ShellIo } from './shell-runtime.js';

export type { ShellHost } from './shell-host.js';

export interface ShellSessionOptions {
  /** A pty was requested: echo, prompt, CRLF output. */
  pty: boolean;
  /** Variables the client sent (`env` requests). */
  env?: Record<string, string>;
  now?: () => number;
}

const CTRL_C = 0x03;
const CTRL_D = 0x04;
const BACKSPACE = 0x08;
const LF = 0x0a;
const CTRL_L = 0x0c;
const CR = 0x0d;
const CTRL_U = 0x15;
const ESC = 0x1b;
const DEL = 0x7f;

/** Output one line may always produce, however small limits.maxBytesPerSession is. */
const MIN_OUTPUT_LIMIT = 1024 * 1024;
/** An exec client that sends no stdin for this long is taken to have none. */
const STDIN_IDLE_MS = 10_000;
/** Keystrokes kept while a command runs, typed ahead. */
const QUEUE_LIMIT = 64 * 1024;
/** ^D on an empty line: end of input, never a command. */
const EOF = Symbol('EOF');

/**
 * One emulated shell on one SSH channel: line editing for interactive use,
 * `exec` for single commands, Cowrie's command events. All attacker input is
 * interpreted by ShellRuntime; nothing reaches a real shell.
 */
export class ShellSession {
  readonly #host: ShellHost;
  readonly #pty: boolean;
  readonly #options: ShellSessionOptions;
  readonly #abort = new AbortController();
  readonly #logger: Logger;
  #runtime: ShellRuntime | undefined;
  #line: number[] = [];
  #cutLine = false;
  #busy = false;
  #queue: Buffer[] = [];
  #queued = 0;
  #ended = false;
  #escape: 'none' | 'esc' | 'csi' = 'none';
  #lastCr = false;
  #historyIndex = 0;
  #execMode = false;
  #stdin: Buffer[] = [];
  #stdinBytes = 0;
  #stdinEnded = false;
  #stdinWake: (() => void) | undefined;
  /** A running command waiting in readLine for a typed line. */
  #reader: ((line: string | undefined) => void) | undefined;
  /** Whether typed keys are shown; off while a command reads a password. */
  #echo = true;

  constructor(host: ShellHost, options: ShellSessionOptions) {
    this.#host = host;
    this.#pty = options.pty;
    this.#options = options;
    this.#logger = host.logger ?? silentLogger();
  }

  /** Interactive: motd and prompt (pty) or nothing (a shell without a pty reads lines silently). */
  start(): void {
    const runtime = this.#getRuntime(false);
    if (!this.#pty) return;
    const shell = this.#host.config.shell;
    const banner = `Linux ${shell.hostname} ${shell.kernel} ${shell.kernelBuild} ${shell.arch}\n`;
    void runtime.fs.readFile('/etc/motd').then(
      (motd) => {
        this.#write(`${banner}${motd.toString('utf8')}`);
        this.#prompt();
      },
      () => this.#prompt(),
    );
  }

  /** Interactive keystrokes (or piped lines without a pty); for exec, the command's stdin. */
  input(data: Buffer): void {
    if (this.#ended) return;
    if (this.#execMode) {
      this.#takeStdin(data);
      return;
    }
    if (this.#busy) {
      if (this.#pty && data.includes(CTRL_C) && this.#runtime !== undefined) {
        // As a terminal does: ^C interrupts the running command and drops what was typed ahead.
        this.#runtime.interrupt();
        this.#queue = [];
        this.#queued = 0;
        this.#host.write('^C\r\n');
        this.#finishRead(undefined);
        return;
      }
      if (this.#reader !== undefined) {
        this.#feedReader(data);
        return;
      }
      if (this.#queued + data.length <= QUEUE_LIMIT) {
        this.#queue.push(data);
        this.#queued += data.length;
      }
      return;
    }
    this.#consume(data, 0);
  }

  /** An exec request: runs the command line, then exits with its status. */
  async exec(command: string): Promise<void> {
    const runtime = this.#getRuntime(true);
    this.#execMode = true;
    this.#busy = true;
    const status = await this.#runLine(this.#cap(command), runtime);
    if (!this.#ended) this.#host.exit(runtime.exitCode ?? status);
    this.#ended = true;
  }

  /** EOF on an exec channel: commands reading stdin (`cat > f`, `sh`) get what came. */
  endInput(): void {
    this.#stdinEnded = true;
    this.#stdinWake?.();
  }

  /** The client went away: stop pending work (downloads, sleeps, stdin reads). */
  end(): void {
    this.#ended = true;
    this.#abort.abort();
    this.#queue = [];
    this.#stdinWake?.();
    this.#finishRead(undefined);
  }

  #takeStdin(data: Buffer): void {
    const limit = this.#host.config.limits.maxBytesPerSession;
    if (this.#stdinBytes + data.length > limit) {
      if (this.#stdinBytes <= limit) {
        void this.#host.emit('honeyscope.session.limit', { limit: 'limits.maxBytesPerSession', value: this.#stdinBytes + data.length }, `Command input cut at ${limit} bytes`);
      }
      this.#stdinBytes = limit + 1;
      return;
    }
    this.#stdin.push(data);
    this.#stdinBytes += data.length;
    this.#stdinWake?.();
  }

  /** All of an exec client's stdin up to EOF (or a pause); empty in an interactive shell. */
  async #readStdin(): Promise<Buffer> {
    while (this.#execMode && !this.#stdinEnded && !this.#ended) {
      if (!(await this.#waitStdin())) break;
    }
    // Stdin is read once: later readers see EOF.
    this.#stdinEnded = true;
    const data = Buffer.concat(this.#stdin);
    this.#stdin = [];
    return data;
  }

  /** Resolves true when more exec stdin (or its end) arrives, false after a pause. */
  async #waitStdin(): Promise<boolean> {
    const more = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), STDIN_IDLE_MS);
      this.#stdinWake = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
    this.#stdinWake = undefined;
    return more;
  }

  /**
   * One line for a running command: typed at the terminal (through the line
   * editor, echoed only if asked) or, for exec, from the client's stdin.
   */
  #readLine(options: ReadLineOptions): Promise<string | undefined> {
    if (this.#ended || this.#reader !== undefined) return Promise.resolve(undefined);
    if (this.#execMode) return this.#readStdinLine();
    return new Promise((resolve) => {
      this.#reader = resolve;
      this.#echo = options.echo;
      // Keys typed ahead (`passwd\rpw\rpw\r` in one packet) answer first.
      const pending = Buffer.concat(this.#queue);
      this.#queue = [];
      this.#queued = 0;
      if (pending.length > 0) this.#feedReader(pending);
    });
  }

  /** Feeds keys to the waiting reader; what follows its line stays queued. */
  #feedReader(data: Buffer): void {
    for (let i = 0; i < data.length && this.#reader !== undefined; i++) {
      const byte = data[i] as number;
      const line = this.#pty ? this.#key(byte) : this.#rawKey(byte);
      if (line === undefined) continue;
      const rest = data.subarray(i + 1);
      if (rest.length > 0) {
        this.#queue.unshift(rest);
        this.#queued += rest.length;
      }
      this.#finishRead(line === EOF ? undefined : line);
    }
  }

  #finishRead(line: string | undefined): void {
    const reader = this.#reader;
    if (reader === undefined) return;
    this.#reader = undefined;
    this.#echo = true;
    this.#line = [];
    this.#cutLine = false;
    reader(line);
  }

  /** A line of exec stdin (ended by LF, CR or CRLF); the rest stays for later readers. */
  async #readStdinLine(): Promise<string | undefined> {
    for (;;) {
      const data = Buffer.concat(this.#stdin);
      const lf = data.indexOf(LF);
      const cr = data.indexOf(CR);
      const end = cr >= 0 && (lf < 0 || cr < lf) ? cr : lf;
      if (end >= 0) {
        const skip = data[end] === CR && data[end + 1] === LF ? 2 : 1;
        this.#stdin = [data.subarray(end + skip)];
        return data.subarray(0, end).toString('utf8');
      }
      if (this.#stdinEnded || this.#ended || !(await this.#waitStdin())) {
        this.#stdin = [];
        return data.length > 0 ? data.toString('utf8') : undefined;
      }
    }
  }

  #getRuntime(exec: boolean): ShellRuntime {
    this.#runtime ??= new ShellRuntime(this.#host, {
      env: this.#options.env ?? {},
      now: this.#options.now ?? Date.now,
      signal: this.#abort.signal,
      exec,
    });
    return this.#runtime;
  }

  #write(data: string | Buffer): void {
    if (this.#ended) return;
    if (!this.#pty) {
      this.#host.write(data);
      return;
    }
    const text = typeof data === 'string' ? data : data.toString('latin1');
    const crlf = text.replace(/\r?\n/g, '\r\n');
    this.#host.write(typeof data === 'string' ? crlf : Buffer.from(crlf, 'latin1'));
  }

  #writeStderr(data: string | Buffer): void {
    if (this.#ended) return;
    if (this.#pty) this.#write(data);
    else this.#host.writeStderr(data);
  }

  #prompt(): void {
    const runtime = this.#getRuntime(false);
    if (!this.#pty) return;
    const { home, cwd, username, hostname } = runtime;
    const where = cwd === home ? '~' : cwd.startsWith(`${home}/`) ? `~${cwd.slice(home.length)}` : cwd;
    this.#write(`${username}@${hostname}:${where}${username === 'root' ? '#' : '$'} `);
  }

  #cap(line: string): string {
    const max = this.#host.config.shell.maxInputBytes;
    const bytes = Buffer.from(line);
    if (bytes.length <= max) return line;
    this.#limit(bytes.length);
    return bytes.subarray(0, max).toString('utf8');
  }

  #limit(value: number): void {
    const max = this.#host.config.shell.maxInputBytes;
    void this.#host.emit('honeyscope.session.limit', { limit: 'shell.maxInputBytes', value }, `Input line cut at ${max} bytes`);
  }

  /** Handles bytes from `start`; stops when a line starts running and resumes after it. */
  #consume(data: Buffer, start: number): void {
    for (let i = start; i < data.length; i++) {
      const byte = data[i] as number;
      const line = this.#pty ? this.#key(byte) : this.#rawKey(byte);
      if (line === EOF) {
        this.#write('logout\n');
        this.#ended = true;
        this.#host.exit(0);
        return;
      }
      if (line !== undefined) {
        const rest = data.subarray(i + 1);
        if (rest.length > 0) {
          this.#queue.unshift(rest);
          this.#queued += rest.length;
        }
        void this.#runInteractive(line);
        return;
      }
    }
  }

  /** Without a pty: no echo, lines end at LF. */
  #rawKey(byte: number): string | undefined {
    if (byte === LF) return this.#takeLine();
    if (byte !== CR) this.#push(byte);
    return undefined;
  }

  /** With a pty: a minimal readline. Returns a finished line, EOF for ^D on an empty line, or undefined. */
  #key(byte: number): string | typeof EOF | undefined {
    const afterCr = this.#lastCr;
    this.#lastCr = byte === CR;
    if (this.#escape === 'esc') {
      this.#escape = byte === 0x5b || byte === 0x4f ? 'csi' : 'none';
      return undefined;
    }
    if (this.#escape === 'csi') {
      if (byte >= 0x40 && byte <= 0x7e) {
        this.#escape = 'none';
        if (this.#reader !== undefined) return undefined;
        if (byte === 0x41) this.#recall(-1);
        else if (byte === 0x42) this.#recall(1);
      }
      return undefined;
    }
    switch (byte) {
      case ESC:
        this.#escape = 'esc';
        return undefined;
      case CR:
        this.#write('\n');
        return this.#takeLine();
      case LF:
        if (afterCr) return undefined;
        this.#write('\n');
        return this.#takeLine();
      case BACKSPACE:
      case DEL:
        if (this.#line.length > 0) {
          // Drop a whole UTF-8 character: continuation bytes, then the lead byte.
          while (this.#line.length > 0 && ((this.#line[this.#line.length - 1] as number) & 0xc0) === 0x80) this.#line.pop();
          this.#line.pop();
          if (this.#echo) this.#write('\b \b');
        }
        return undefined;
      case CTRL_C:
        this.#line = [];
        this.#cutLine = false;
        this.#write('^C\n');
        this.#prompt();
        return undefined;
      case CTRL_D:
        return this.#line.length === 0 ? EOF : undefined;
      case CTRL_U:
        if (this.#echo) this.#write('\b \b'.repeat(Buffer.from(this.#line).toString('utf8').length));
        this.#line = [];
        return undefined;
      case CTRL_L:
        if (this.#reader !== undefined) return undefined;
        this.#host.write('\x1b[H\x1b[2J');
        this.#prompt();
        this.#host.write(Buffer.from(this.#line));
        return undefined;
      default:
        if (byte < 0x20) return undefined;
        if (this.#push(byte) && this.#echo) this.#host.write(Buffer.from([byte]));
        return undefined;
    }
  }

  #push(byte: number): boolean {
    if (this.#line.length >= this.#host.config.shell.maxInputBytes) {
      if (!this.#cutLine) this.#limit(this.#line.length + 1);
      this.#cutLine = true;
      return false;
    }
    this.#line.push(byte);
    return true;
  }

  #takeLine(): string {
    const line = Buffer.from(this.#line).toString('utf8');
    this.#line = [];
    this.#cutLine = false;
    return line;
  }

  #recall(step: number): void {
    const history = this.#getRuntime(false).history;
    const index = Math.min(history.length, Math.max(0, this.#historyIndex + step));
    this.#historyIndex = index;
    const text = history[index] ?? '';
    this.#write('\b \b'.repeat(Buffer.from(this.#line).toString('utf8').length));
    this.#line = [...Buffer.from(text)];
    this.#host.write(Buffer.from(this.#line));
  }

  async #runInteractive(line: string): Promise<void> {
    const runtime = this.#getRuntime(false);
    this.#busy = true;
    await this.#runLine(line, runtime);
    this.#busy = false;
    this.#historyIndex = runtime.history.length;
    if (this.#ended) return;
    if (runtime.exitCode !== undefined) {
      if (this.#pty) this.#write('logout\n');
      this.#ended = true;
      this.#host.exit(runtime.exitCode);
      return;
    }
    this.#prompt();
    const queued = this.#queue;
    this.#queue = [];
    this.#queued = 0;
    const pending = Buffer.concat(queued);
    if (pending.length > 0) this.#consume(pending, 0);
  }

  /** Logs and runs one line; never rejects (attacker input must not crash the session). */
  async #runLine(line: string, runtime: ShellRuntime): Promise<number> {
    const trimmed = line.trim();
    if (trimmed === '') return runtime.lastStatus;
    // Output per line is capped too: `cat big big big ...` must not fill the channel's buffers.
    const limit = Math.max(this.#host.config.limits.maxBytesPerSession, MIN_OUTPUT_LIMIT);
    let written = 0;
    const capped = (write: (data: string | Buffer) => void) =>
      (data: string | Buffer): void => {
        const size = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
        if (written <= limit && written + size > limit) {
          void this.#host.emit('honeyscope.session.limit', { limit: 'limits.maxBytesPerSession', value: written + size }, `Command output cut at ${limit} bytes`);
        }
        written += size;
        if (written <= limit) write(data);
      };
    const io: ShellIo = {
      stdin: undefined,
      tty: this.#pty,
      input: { readAll: () => this.#readStdin(), readLine: (options) => this.#readLine(options) },
      stdout: capped((d) => this.#write(d)),
      stderr: capped((d) => this.#writeStderr(d)),
    };
    try {
      await this.#host.emit('cowrie.command.input', { input: trimmed }, `CMD: ${trimmed}`);
      runtime.remember(trimmed);
      return await runtime.runLine(trimmed, io);
    } catch (err) {
      this.#logger.error({ err: errorMessage(err) }, 'shell command failed');
      return 1;
    }
  }
}
