import { HoneyscopeError } from '../lib/errors.js';

/**
 * The one place errors reach the user: a known condition prints one line,
 * anything else its stack. Sets the exit code rather than exiting, so cleanup runs.
 */
export function reportError(err: unknown, stderr: NodeJS.WritableStream = process.stderr, exitCode = 2): void {
  if (err instanceof HoneyscopeError) {
    stderr.write(`honeyscope: ${err.message}\n`);
  } else if (err instanceof Error) {
    stderr.write(`honeyscope: unexpected error: ${err.stack ?? err.message}\n`);
  } else {
    stderr.write(`honeyscope: unexpected error: ${String(err)}\n`);
  }
  process.exitCode = exitCode;
}
