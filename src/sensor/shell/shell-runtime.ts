import { posix } from 'node:path';
import { errorMessage } from '../../lib/errors.js';
import { silentLogger, type Logger } from '../../lib/logger.js';
import { storeArtifact } from '../downloads/store-artifact.js';
import type { Command, CommandContext, DownloadOutcome, DownloadRequest, ReadLineOptions, ShellState } from './command.js';
import { COMMANDS } from './commands/index.js';
import { homeDirectory } from './home-directory.js';
import { expandWord, matchGlob, type Field } from './expand-word.js';
import { FsError, type FakeFs } from './fake-fs.js';
import { createSessionFs, emulatedBootTime } from './session-fs.js';
import { OutputBuffer } from './output-buffer.js';
import { parseCommandLine, type GroupCommand, type ListItem, type Pipeline, type PipelineCommand, type Redirect, type SimpleCommand } from './parse-command-line.js';
import { runDownload } from './run-download.js';
import type { ShellHost } from './shell-host.js';

/** The session's own input, for commands that read without a pipe. */
export interface SessionInput {
  /** Everything up to EOF (an exec client's stdin; nothing in an interactive shell). */
  readAll(): Promise<Buffer>;
  /** One line, as a terminal in canonical mode gives it; undefined at EOF or ^C. */
  readLine(options: ReadLineOptions): Promise<string | undefined>;
}

/** Where a command line's input comes from and its output goes. */
export interface ShellIo {
  readonly stdin: Buffer | undefined;
  /** stdout is the interactive terminal. */
  readonly tty?: boolean;
  /** Absent where the session's input cannot reach (later commands of a pipeline). */
  readonly input?: SessionInput | undefined;
  stdout(data: string | Buffer): void;
  stderr(data: string | Buffer): void;
}

type FileRedirect = { readonly path: string; readonly buffer: OutputBuffer };

const PIPE_LIMIT = 1024 * 1024;
const MAX_DEPTH = 8;
const MAX_SCRIPT_LINES = 200;
/** Simple commands one client line may run, scripts included. */
const MAX_STEPS = 10_000;
const MAX_HISTORY = 500;
const BIN_DIRS = new Set(['/bin', '/usr/bin', '/sbin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin']);
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=/;

/**
 * The state and interpreter of one emulated shell: runs parsed command lines
 * against emulated commands and the session's fake file system. Nothing here
 * reaches the real host; files written by redirects are captured as artifacts.
 */
export class ShellRuntime implements ShellState {
  readonly config: ShellHost['config'];
  readonly username: string;
  readonly home: string;
  readonly hostname: string;
  readonly srcIp: string;
  readonly fs: FakeFs;
  readonly env: Map<string, string>;
  readonly history: string[] = [];
  readonly bootTime: number;
  readonly logger: Logger;
  cwd: string;
  /** Set by `exit`: the session ends with this status after the current line. */
  exitCode: number | undefined;
  lastStatus = 0;
  readonly #host: ShellHost;
  readonly #now: () => number;
  readonly #sessionSignal: AbortSignal;
  /** Aborted by the session end or by ^C on the running line. */
  #signal: AbortSignal;
  #lineAbort = new AbortController();
  readonly #pid: number;
  readonly #exec: boolean;
  #nesting = 0;
  #steps = 0;
  /** The script file being run, which bash names in its error messages. */
  #script: { readonly name: string; readonly line: number } | undefined;
  /** Files written by redirects during the current line: path -> final content. */
  readonly #written = new Map<string, Buffer>();
  #capturedBytes = 0;
  #captureCut = false;

  constructor(host: ShellHost, options: { env: Record<string, string>; now: () => number; signal: AbortSignal; exec: boolean }) {
    this.#host = host;
    this.#now = options.now;
    this.#sessionSignal = options.signal;
    this.#signal = options.signal;
    this.#exec = options.exec;
    this.config = host.config;
    this.logger = host.logger ?? silentLogger();
    this.username = host.username;
    this.home = homeDirectory(host.username);
    this.hostname = host.config.shell.hostname;
    this.srcIp = host.srcIp;
    this.bootTime = emulatedBootTime(this.hostname, options.now());
    this.#pid = 1000 + (Math.floor(options.now()) % 30_000);
    this.fs = host.fs ?? createSessionFs(host.config, host.username, options.now);
    this.cwd = this.home;
    this.env = new Map(
      Object.entries({
        SHELL: '/bin/bash',
        PWD: this.home,
        LOGNAME: host.username,
        HOME: this.home,
        LANG: 'C.UTF-8',
        TERM: 'xterm',
        USER: host.username,
        SHLVL: '1',
        PATH:
          host.username === 'root'
            ? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
            : '/usr/local/bin:/usr/bin:/bin:/usr/local/games:/usr/games',
        SSH_CLIENT: `${host.srcIp} 22 22`,
        MAIL: `/var/mail/${host.username}`,
        _: '/usr/bin/env',
        ...limitEnv(options.env),
      }),
    );
  }

  now(): number {
    return this.#now();
  }

  resolvePath(path: string): string {
    return posix.resolve(this.cwd, path === '' ? '.' : path);
  }

  lookupCommand(name: string): Command | undefined {
    if (name.includes('/')) {
      const path = this.resolvePath(name);
      if (!BIN_DIRS.has(posix.dirname(path)) || this.fs.stat(path)?.type !== 'file') return undefined;
      return lookupName(posix.basename(path));
    }
    return lookupName(name);
  }

  requestExit(code: number): void {
    this.exitCode = code;
  }

  emit(eventid: Parameters<ShellHost['emit']>[0], fields: Record<string, unknown>, message: string): Promise<unknown> {
    return this.#host.emit(eventid, fields, message);
  }

  download(request: DownloadRequest, signal: AbortSignal): Promise<DownloadOutcome> {
    return runDownload(this, request, signal);
  }

  /** Adds a line to `history` (bounded). */
  remember(line: string): void {
    this.history.push(line);
    if (this.history.length > MAX_HISTORY) this.history.shift();
  }

  /** Parses and runs one command line; resolves to its status. */
  async runLine(line: string, io: ShellIo): Promise<number> {
    const topLevel = this.#nesting === 0;
    if (topLevel) {
      this.#steps = 0;
      this.#lineAbort = new AbortController();
      this.#signal = AbortSignal.any([this.#sessionSignal, this.#lineAbort.signal]);
    }
    const parsed = parseCommandLine(line);
    if (!parsed.ok) {
      const where = this.#script !== undefined ? this.#prefix() : this.#exec ? 'bash: -c: line 1: ' : '-bash: ';
      io.stderr(`${where}${parsed.error}\n`);
      this.lastStatus = 2;
      return 2;
    }
    const status = await this.#runList(parsed.list, io);
    if (topLevel) await this.#captureWritten();
    return status;
  }

  runScript(script: string, options: { stdin: Buffer | undefined; ctx: CommandContext; scriptName?: string }): Promise<number> {
    const { ctx } = options;
    const io: ShellIo = {
      stdin: options.stdin,
      input: { readAll: () => ctx.readStdin(), readLine: (lineOptions) => ctx.readLine(lineOptions) },
      stdout: ctx.stdout,
      stderr: ctx.stderr,
    };
    return this.#runNested(script, io, { name: ctx.name, scriptName: options.scriptName });
  }

  /**
   * Runs script lines one level deeper. Depth and the number of commands per
   * client line are capped, so a script that calls itself cannot spin.
   */
  async #runNested(script: string, io: ShellIo, options: { name: string; scriptName: string | undefined }): Promise<number> {
    if (this.#nesting >= MAX_DEPTH) {
      io.stderr(`${options.name}: maximum nesting level exceeded\n`);
      return 1;
    }
    this.#nesting++;
    this.env.set('SHLVL', String(this.#nesting + 1));
    const outer = this.#script;
    try {
      let status = 0;
      for (const [index, line] of script.split('\n').slice(0, MAX_SCRIPT_LINES).entries()) {
        if (this.#halted()) break;
        if (options.scriptName !== undefined) this.#script = { name: options.scriptName, line: index + 1 };
        status = await this.runLine(line, io);
      }
      return status;
    } finally {
      this.#script = outer;
      this.#nesting--;
      this.env.set('SHLVL', String(this.#nesting + 1));
    }
  }

  /** How bash starts an error here: `-bash: `, `bash: line 1: ` (exec) or `./x.sh: line 3: ` (a script file). */
  #prefix(): string {
    if (this.#script !== undefined) return `${this.#script.name}: line ${this.#script.line}: `;
    return this.#exec ? 'bash: line 1: ' : '-bash: ';
  }

  /** ^C: stops the running line (a sleep, a download) and anything after it on the line. */
  interrupt(): void {
    this.#lineAbort.abort();
  }

  #halted(): boolean {
    return this.exitCode !== undefined || this.#signal.aborted || this.#steps >= MAX_STEPS;
  }

  async #runList(list: readonly ListItem[], io: ShellIo): Promise<number> {
    let status = this.lastStatus;
    let skip = false;
    let previous: ListItem['next'];
    for (const item of list) {
      if (this.#halted()) break;
      if (previous === '&&') skip = status !== 0;
      else if (previous === '||') skip = status === 0;
      else skip = false;
      previous = item.next;
      if (skip) continue;
      status = await this.#runPipeline(item.pipeline, io);
      this.lastStatus = status;
    }
    return status;
  }

  async #runPipeline(pipeline: Pipeline, io: ShellIo): Promise<number> {
    let stdin = io.stdin;
    let status = 0;
    const last = pipeline.commands.length - 1;
    for (const [index, command] of pipeline.commands.entries()) {
      if (this.#halted()) break;
      const input = index === 0 ? io.input : undefined;
      if (index === last) {
        status = await this.#runCommand(command, { ...io, stdin, input });
      } else {
        const pipe = new OutputBuffer(PIPE_LIMIT);
        status = await this.#runCommand(command, { stdin, input, stdout: (d) => pipe.write(d), stderr: io.stderr });
        stdin = pipe.toBuffer();
      }
    }
    return status;
  }

  #runCommand(command: PipelineCommand, io: ShellIo): Promise<number> {
    return command.kind === 'group' ? this.#runGroup(command, io) : this.#runSimple(command, io);
  }

  async #runGroup(group: GroupCommand, io: ShellIo): Promise<number> {
    this.#steps++;
    const redirected = await this.#redirect(group.redirects, io);
    if (typeof redirected === 'number') return redirected;
    const outer = group.subshell ? { cwd: this.cwd, env: [...this.env] } : undefined;
    let status = await this.#runList(group.list, redirected.io);
    if (outer !== undefined) {
      // A subshell's cd, variables and exit end with it.
      if (this.exitCode !== undefined) status = this.exitCode;
      this.exitCode = undefined;
      this.cwd = outer.cwd;
      this.env.clear();
      for (const [name, value] of outer.env) this.env.set(name, value);
    }
    for (const file of redirected.files) await this.#flushRedirect(file.path, file.buffer, io);
    return status;
  }

  #expand(command: SimpleCommand): string[] {
    const options = { home: this.home, lookup: (name: string) => this.#variable(name) };
    const argv: string[] = [];
    for (const word of command.words) for (const field of expandWord(word, options)) argv.push(...this.#glob(field));
    return argv;
  }

  #variable(name: string): string | undefined {
    switch (name) {
      case '?':
        return String(this.lastStatus);
      case '$':
        return String(this.#pid);
      case '0':
        return '-bash';
      case '#':
        return '0';
      case 'RANDOM':
        return String(Math.floor(Math.random() * 32768));
      default:
        return this.env.get(name);
    }
  }

  #glob(field: Field): string[] {
    if (!field.glob) return [field.value];
    const slash = field.value.lastIndexOf('/');
    const dirPart = slash < 0 ? '' : field.value.slice(0, slash + 1);
    const pattern = field.value.slice(slash + 1);
    if (/[*?[]/.test(dirPart) || pattern === '') return [field.value];
    const dir = this.resolvePath(dirPart === '' ? '.' : dirPart);
    let names: string[];
    try {
      names = this.fs.list(dir);
    } catch (err) {
      if (err instanceof FsError) return [field.value];
      throw err;
    }
    const matches = names.filter((name) => (pattern.startsWith('.') || !name.startsWith('.')) && matchGlob(pattern, name));
    return matches.length === 0 ? [field.value] : matches.map((name) => dirPart + name);
  }

  async #runSimple(command: SimpleCommand, io: ShellIo): Promise<number> {
    this.#steps++;
    const argv = this.#expand(command);
    const assignments: Array<[string, string]> = [];
    while (argv.length > 0 && ASSIGNMENT.test(argv[0] as string)) {
      const text = argv.shift() as string;
      const eq = text.indexOf('=');
      assignments.push([text.slice(0, eq), text.slice(eq + 1)]);
    }
    if (argv.length === 0) {
      for (const [name, value] of assignments) this.env.set(name, value);
    }
    const redirected = await this.#redirect(command.redirects, io);
    if (typeof redirected === 'number') return redirected;
    let status = 0;
    if (argv.length > 0) status = await this.#invoke(argv, redirected.io);
    for (const file of redirected.files) await this.#flushRedirect(file.path, file.buffer, io);
    return status;
  }

  /**
   * Opens a command's redirects: the streams it gets and the files to flush
   * after it, or its status when a redirect fails.
   */
  async #redirect(redirects: readonly Redirect[], io: ShellIo): Promise<{ io: ShellIo; files: FileRedirect[] } | number> {
    const prefix = this.#prefix();
    const fds: Array<(data: string | Buffer) => void> = [() => undefined, io.stdout, io.stderr];
    let stdin = io.stdin;
    const files: FileRedirect[] = [];
    for (const redirect of redirects) {
      if (redirect.op === '>&') {
        const target = fds[redirect.toFd];
        if (target === undefined || redirect.fd > 2) {
          io.stderr(`${prefix}${redirect.toFd}: Bad file descriptor\n`);
          return 1;
        }
        fds[redirect.fd] = target;
        continue;
      }
      const fields = expandWord(redirect.target, { home: this.home, lookup: (name) => this.#variable(name) });
      const target = fields.length === 1 ? (fields[0] as Field).value : undefined;
      if (target === undefined || target === '') {
        io.stderr(`${prefix}${fields.map((f) => f.value).join(' ')}: ambiguous redirect\n`);
        return 1;
      }
      const path = this.resolvePath(target);
      if (redirect.op === '<') {
        try {
          stdin = await this.fs.readFile(path);
        } catch (err) {
          if (!(err instanceof FsError)) throw err;
          io.stderr(`${prefix}${target}: ${err.message}\n`);
          return 1;
        }
        continue;
      }
      if (redirect.fd > 2) continue;
      const stat = this.fs.stat(path);
      if (stat?.type === 'device') {
        fds[redirect.fd] = () => undefined;
        continue;
      }
      try {
        // Opening for writing creates or truncates the file before the command runs, as bash does.
        if (redirect.op === '>' || stat === undefined) this.fs.writeFile(path, Buffer.alloc(0));
      } catch (err) {
        if (!(err instanceof FsError)) throw err;
        io.stderr(`${prefix}${target}: ${err.message}\n`);
        return 1;
      }
      const buffer = new OutputBuffer(this.config.limits.maxBytesPerSession);
      files.push({ path, buffer });
      fds[redirect.fd] = (data) => buffer.write(data);
    }
    const stdout = fds[1] as (data: string | Buffer) => void;
    const stderr = fds[2] as (data: string | Buffer) => void;
    const tty = io.tty === true && stdout === io.stdout;
    return { io: { stdin, stdout, stderr, tty, input: stdin === io.stdin ? io.input : undefined }, files };
  }

  async #invoke(argv: string[], io: ShellIo): Promise<number> {
    const name = argv[0] as string;
    const command = this.lookupCommand(name);
    const prefix = this.#prefix();
    if (command === undefined) {
      if (name.includes('/')) return this.#runFile(argv, io);
      const input = argv.join(' ');
      await this.emit('cowrie.command.failed', { input }, `Command not found: ${input}`);
      io.stderr(`${prefix}${name}: command not found\n`);
      return 127;
    }
    this.env.set('_', name);
    const piped = io.stdin;
    let pipedLines = 0;
    const ctx: CommandContext = {
      name,
      args: argv.slice(1),
      stdin: piped,
      readStdin: () => (piped !== undefined ? Promise.resolve(piped) : (io.input?.readAll() ?? Promise.resolve(Buffer.alloc(0)))),
      readLine: (options) => {
        if (piped === undefined) return io.input?.readLine(options) ?? Promise.resolve(undefined);
        const line = nthLine(piped, pipedLines);
        pipedLines++;
        return Promise.resolve(line);
      },
      shell: this,
      signal: this.#signal,
      tty: io.tty === true,
      stdout: io.stdout,
      stderr: io.stderr,
    };
    try {
      return await command.run(ctx);
    } catch (err) {
      // An emulated command failing on attacker input must not end the session.
      if (err instanceof FsError) {
        io.stderr(`${name}: ${err.path}: ${err.message}\n`);
        return 1;
      }
      throw err;
    }
  }

  /** `./x` or `/tmp/x`: runs a text file as a script, refuses binaries. */
  async #runFile(argv: string[], io: ShellIo): Promise<number> {
    const name = argv[0] as string;
    const prefix = this.#prefix();
    const path = this.resolvePath(name);
    const stat = this.fs.stat(path);
    if (stat === undefined) {
      await this.emit('cowrie.command.failed', { input: argv.join(' ') }, `Command not found: ${argv.join(' ')}`);
      io.stderr(`${prefix}${name}: No such file or directory\n`);
      return 127;
    }
    if (stat.type === 'dir') {
      io.stderr(`${prefix}${name}: Is a directory\n`);
      return 126;
    }
    if ((stat.mode & 0o111) === 0) {
      io.stderr(`${prefix}${name}: Permission denied\n`);
      return 126;
    }
    const data = await this.fs.readFile(path);
    if (data.subarray(0, 4).toString('latin1') === '\x7fELF' || data.subarray(0, 4096).includes(0)) {
      io.stderr(`${prefix}${name}: cannot execute binary file: Exec format error\n`);
      return 126;
    }
    return this.#runNested(data.toString('utf8'), io, { name, scriptName: name });
  }

  /** Writes redirected output into the fake fs and remembers the file's content for capture. */
  async #flushRedirect(path: string, buffer: OutputBuffer, io: ShellIo): Promise<void> {
    try {
      if (buffer.size > 0) this.fs.writeFile(path, buffer.toBuffer(), { append: true });
      const content = await this.fs.readFile(path);
      if (content.length > 0) this.#written.set(path, content);
    } catch (err) {
      if (!(err instanceof FsError)) throw err;
      io.stderr(`${this.#prefix()}${path}: ${err.message}\n`);
    }
  }

  /**
   * Stores each file written by redirects during the line once, with its final
   * content (kept even if the bot deletes it), within the session's byte budget.
   */
  async #captureWritten(): Promise<void> {
    const written = [...this.#written];
    this.#written.clear();
    const budget = this.config.limits.maxBytesPerSession;
    for (const [path, content] of written) {
      if (this.#capturedBytes + content.length > budget) {
        if (!this.#captureCut) {
          await this.emit('honeyscope.session.limit', { limit: 'limits.maxBytesPerSession', value: this.#capturedBytes + content.length }, `Redirect capture stopped at ${budget} bytes`);
        }
        this.#captureCut = true;
        continue;
      }
      this.#capturedBytes += content.length;
      try {
        const stored = await storeArtifact(this.config.core.dataDir, content);
        await this.emit(
          'cowrie.session.file_download',
          { duplicate: stored.duplicate, outfile: stored.outfile, shasum: stored.shasum, destfile: path },
          `Saved redir contents with SHA-256 ${stored.shasum} to ${stored.outfile}`,
        );
      } catch (err) {
        // The attacker's command still "worked"; losing the capture is ours to report.
        this.logger.error({ err: errorMessage(err), destfile: path }, 'cannot store redirect contents');
      }
    }
  }
}

function lookupName(name: string): Command | undefined {
  return Object.hasOwn(COMMANDS, name) ? COMMANDS[name as keyof typeof COMMANDS] : undefined;
}

/** Line `index` of piped bytes without its line end; undefined past the last. */
function nthLine(data: Buffer, index: number): string | undefined {
  const lines = data.toString('utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines[index]?.replace(/\r$/, '');
}

function limitEnv(env: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env).slice(0, 64)) {
    if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) out[key] = value.slice(0, 4096);
  }
  return out;
}

