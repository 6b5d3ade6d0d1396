import type { ResolvedConfig } from '../../config/schema.js';
import type { EventId } from '../../events/event-ids.js';
import type { Logger } from '../../lib/logger.js';
import type { FakeFs } from './fake-fs.js';

/** What the SSH server gives the emulated shell: identity, output, exit and events. */
export interface ShellHost {
  /** Sections used: shell, download, core.dataDir, limits. */
  readonly config: ResolvedConfig;
  readonly username: string;
  readonly srcIp: string;
  /** Diagnostics (e.g. an artifact that cannot be stored); silent when absent. */
  readonly logger?: Logger;
  /** The connection's file system, shared with its other channels (SFTP); a new one when absent. */
  readonly fs?: FakeFs;
  /** stdout: the terminal in pty mode, exec stdout otherwise. */
  write(data: string | Buffer): void;
  /** exec stderr (in pty mode the host maps it to the terminal). */
  writeStderr(data: string | Buffer): void;
  /** Ends the channel with this exit status. */
  exit(code: number): void;
  emit(eventid: EventId, fields: Record<string, unknown>, message: string): Promise<unknown>;
}
