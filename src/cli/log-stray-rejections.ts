import type { Logger } from '../lib/logger.js';

/**
 * A long-running sensor must not die for one forgotten promise: a rejection
 * nobody handled is logged with its stack (a bug to fix) and the process goes on.
 */
export function logStrayRejections(logger: Logger): void {
  process.on('unhandledRejection', (reason) => {
    logger.error({ err: reason instanceof Error ? reason.stack : String(reason) }, 'unhandled promise rejection');
  });
}
