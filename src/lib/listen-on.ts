import type { Server } from 'node:net';
import { HoneyscopeError } from './errors.js';

/** What each listen failure means to someone who set the address. */
const REASONS: Record<string, string> = {
  EADDRINUSE: 'the address is already in use (another program, or another honeyscope, listens there)',
  EACCES: 'permission denied (ports below 1024 need privileges; see the README on port 22)',
  EADDRNOTAVAIL: 'this machine has no such address',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name does not resolve',
};

/**
 * Starts `server` listening on `host:port`. A failure becomes one error that
 * names the setting (`key`, e.g. "web.listen"), the address and the reason,
 * instead of Node's stack.
 */
export function listenOn(server: Server, host: string, port: number, key: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => reject(listenError(err, host, port, key));
    server.once('error', onError);
    server.listen({ host, port }, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** The error listenOn() rejects with, for servers that start listening themselves. */
export function listenError(err: NodeJS.ErrnoException, host: string, port: number, key: string): HoneyscopeError {
  const shown = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  const reason = REASONS[err.code ?? ''] ?? err.message;
  return new HoneyscopeError('HS_USAGE', `Cannot listen on ${shown} (${key}): ${reason}`, { cause: err });
}
