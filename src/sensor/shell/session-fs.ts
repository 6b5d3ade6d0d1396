import type { ResolvedConfig } from '../../config/schema.js';
import { FakeFs } from './fake-fs.js';
import { homeDirectory } from './home-directory.js';

/** Epoch ms of the emulated boot: a stable "uptime" per host name rather than per session, as a real box would show. */
export function emulatedBootTime(hostname: string, nowMs: number): number {
  let h = 2166136261;
  for (let i = 0; i < hostname.length; i++) h = Math.imul(h ^ hostname.charCodeAt(i), 16777619) >>> 0;
  return nowMs - (3 * 86_400_000 + (h % 86_400_000));
}

/**
 * One SSH connection's file system, its user's home made: every shell and
 * SFTP channel of the connection sees the same files, as in Cowrie, so a file
 * uploaded over SFTP is there for the `chmod +x` that follows.
 */
export function createSessionFs(config: Pick<ResolvedConfig, 'shell' | 'limits'>, username: string, now: () => number): FakeFs {
  const { shell } = config;
  const fs = new FakeFs(
    {
      hostname: shell.hostname,
      kernel: shell.kernel,
      kernelBuild: shell.kernelBuild,
      arch: shell.arch,
      username,
      bootTime: emulatedBootTime(shell.hostname, now()),
      now,
    },
    { maxBytes: config.limits.maxBytesPerSession },
  );
  const home = homeDirectory(username);
  if (fs.stat(home) === undefined) fs.mkdir(home, { parents: true });
  return fs;
}
