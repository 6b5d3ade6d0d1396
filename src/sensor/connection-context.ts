import type { ResolvedConfig } from '../config/schema.js';
import type { Logger } from '../lib/logger.js';
import type { EventLog } from '../events/event-log.js';
import type { ByteBudget } from './byte-budget.js';
import type { FakeFs } from './shell/fake-fs.js';

/** What every channel of one SSH connection shares. */
export interface ConnectionContext {
  readonly config: ResolvedConfig;
  readonly logger: Logger;
  readonly log: EventLog;
  readonly budget: ByteBudget;
  readonly username: string;
  /** The connection's fake file system, made at first use: its shells and SFTP share it. */
  readonly fs: FakeFs;
  /** Attacker bytes kept so far for this connection (limits.maxBytesPerSession). */
  sessionBytes: number;
  /** Reports a limit once per connection and key; the caller decides what to cut. */
  limit(limit: string, value: number): void;
  /**
   * Work that ends in one of the session's events (an upload stored, a TTY log
   * closed): cowrie.session.closed waits for it, so it stays the last event.
   */
  track(work: Promise<unknown>): void;
}
