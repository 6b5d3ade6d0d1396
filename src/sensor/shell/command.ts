import type { ResolvedConfig } from '../../config/schema.js';
import type { EventId } from '../../events/event-ids.js';
import type { Logger } from '../../lib/logger.js';
import type { FakeFs } from './fake-fs.js';

/** A download a command asks the shell to make (or to pretend to make). */
export interface DownloadRequest {
  readonly url: string;
  /** Fake-fs path to place the file at; undefined when it goes to stdout. */
  readonly destfile: string | undefined;
}

export type DownloadOutcome =
  | { readonly ok: true; readonly url: string; readonly size: number; readonly shasum: string; readonly data: Buffer | undefined; readonly contentType: string | undefined; readonly address: string }
  | { readonly ok: false; readonly url: string; readonly reason: string; readonly stage: 'off' | 'resolve' | 'refused' | 'connect' | 'http' | 'limit' | 'unsupported' };

/** What commands see of their session. */
export interface ShellState {
  readonly config: ResolvedConfig;
  readonly username: string;
  readonly home: string;
  readonly hostname: string;
  readonly srcIp: string;
  readonly fs: FakeFs;
  readonly env: Map<string, string>;
  readonly history: string[];
  readonly bootTime: number;
  /** Diagnostics only; attacker activity goes through `emit`. */
  readonly logger: Logger;
  cwd: string;
  now(): number;
  /** Absolute, normalised path of `path` relative to the cwd (`~` already expanded). */
  resolvePath(path: string): string;
  /** The emulated command called `name` (a bare name or an absolute path). */
  lookupCommand(name: string): Command | undefined;
  /**
   * Runs a script as `sh -c` would (nested; no command.input event). With
   * `scriptName` (a script file), errors read `NAME: line N: ...` as bash's do.
   */
  runScript(script: string, io: { stdin: Buffer | undefined; ctx: CommandContext; scriptName?: string }): Promise<number>;
  download(request: DownloadRequest, signal: AbortSignal): Promise<DownloadOutcome>;
  /** Asks the session to end after this command with the given status. */
  requestExit(code: number): void;
  emit(eventid: EventId, fields: Record<string, unknown>, message: string): Promise<unknown>;
}

export interface ReadLineOptions {
  /** false for passwords: typed keys are not shown, as with a terminal's echo off. */
  readonly echo: boolean;
}

export interface CommandContext {
  /** argv[0] as typed (`ls`, `/bin/ls`). */
  readonly name: string;
  readonly args: readonly string[];
  /** Bytes piped or redirected in; undefined when stdin is the session's own input. */
  readonly stdin: Buffer | undefined;
  /**
   * All of stdin: the piped bytes, or else the session's input (an exec
   * client's stdin up to EOF; nothing in an interactive shell).
   */
  readStdin(): Promise<Buffer>;
  /**
   * The next line of input without its line end: from the pipe, else typed at
   * the session (an interactive line is never run as a command). Undefined at
   * EOF, on ^C, or when no input can come.
   */
  readLine(options: ReadLineOptions): Promise<string | undefined>;
  readonly shell: ShellState;
  readonly signal: AbortSignal;
  /** stdout is the session's terminal (pty), not a pipe, file or exec stream. */
  readonly tty: boolean;
  stdout(data: string | Buffer): void;
  stderr(data: string | Buffer): void;
}

/** One emulated program. `run` resolves to the exit status. */
export interface Command {
  /** Where `which` finds it. */
  readonly path: string;
  run(ctx: CommandContext): number | Promise<number>;
}
