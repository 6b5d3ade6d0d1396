import { configSchema, type UserConfig } from '../../config/schema.js';
import type { EventId } from '../../events/event-ids.js';
import type { ShellHost } from './shell-host.js';
import { ShellSession } from './shell-session.js';

export interface RecordedEvent {
  eventid: EventId;
  fields: Record<string, unknown>;
  message: string;
}

/** A ShellHost that records output, exit and events, for tests of the shell. */
export interface TestShellHost extends ShellHost {
  readonly events: RecordedEvent[];
  readonly dataDir: string;
  stdout(): string;
  stderr(): string;
  exitCode: number | undefined;
}

export interface TestShellOptions {
  /** The data dir artifacts go to (a temp dir the test removes). */
  dataDir: string;
  username?: string;
  config?: UserConfig;
  now?: () => number;
}

export function createTestShellHost(options: TestShellOptions): TestShellHost {
  const { dataDir } = options;
  const config = configSchema.parse({ ...options.config, core: { dataDir, ...options.config?.core } });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const host: TestShellHost = {
    config,
    dataDir,
    username: options.username ?? 'root',
    srcIp: '203.0.113.7',
    events: [],
    exitCode: undefined,
    write(data) {
      out.push(Buffer.from(data));
    },
    writeStderr(data) {
      err.push(Buffer.from(data));
    },
    exit(code) {
      host.exitCode = code;
    },
    emit(eventid, fields, message) {
      host.events.push({ eventid, fields, message });
      return Promise.resolve();
    },
    stdout() {
      return Buffer.concat(out).toString('utf8');
    },
    stderr() {
      return Buffer.concat(err).toString('utf8');
    },
  };
  return host;
}

/** Runs one exec command line in a fresh session and returns what the client saw. */
export async function runExec(
  command: string,
  options: TestShellOptions,
): Promise<{ stdout: string; stderr: string; exitCode: number | undefined; events: RecordedEvent[]; host: TestShellHost }> {
  const host = createTestShellHost(options);
  const session = new ShellSession(host, { pty: false, ...(options.now ? { now: options.now } : {}) });
  await session.exec(command);
  return { stdout: host.stdout(), stderr: host.stderr(), exitCode: host.exitCode, events: host.events, host };
}
