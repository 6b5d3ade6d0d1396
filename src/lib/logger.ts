import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

/**
 * Diagnostics (pino JSON to stderr by default). Attacker activity never goes
 * here: it is an event, written by the event dispatcher.
 */
export function createLogger(options: { level?: string; destination?: DestinationStream; name?: string } = {}): Logger {
  return pino(
    { level: options.level ?? 'info', name: options.name ?? 'honeyscope', base: { pid: process.pid } },
    options.destination ?? pino.destination({ fd: 2, sync: false }),
  );
}

/** A logger that discards everything (tests, library use). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
