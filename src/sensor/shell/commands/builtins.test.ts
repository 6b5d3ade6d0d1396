import { describe, expect, it } from 'vitest';
import { tempDirForFile } from '../../../../test/helpers/temp-dir.js';
import { BASE_ROOT, type BaseNode } from '../base-fs.js';
import { runExec } from '../test-shell-host.js';
import { COMMANDS } from './index.js';

const dataDir = tempDirForFile('honeyscope-cmd-');

function run(command: string): ReturnType<typeof runExec> {
  return runExec(command, { dataDir: dataDir(), config: { shell: { hostname: 'svr04' } } });
}

function baseHas(path: string): boolean {
  let node: BaseNode | undefined = BASE_ROOT;
  for (const name of path.split('/').filter(Boolean)) node = node?.type === 'dir' ? node.children.get(name) : undefined;
  return node?.type === 'file';
}

describe('COMMANDS', () => {
  it('gives every non-builtin command a file at its path in the base fs', () => {
    const builtins = new Set(['cd', 'export', 'unset', 'history', 'exit', 'logout', 'ulimit']);
    const missing = Object.entries(COMMANDS)
      .filter(([name, command]) => !builtins.has(name) && !baseHas(command.path))
      .map(([name]) => name);
    expect(missing).toEqual([]);
  });
});

describe('shell builtins and helpers', () => {
  it('export, env and unset manage variables', async () => {
    const result = await run('export X=1; env | grep X=; unset X; echo "[$X]"; export 1A=2');
    expect(result.stdout).toBe('X=1\n[]\n');
    expect(result.stderr).toBe("-bash: export: `1A=2': not a valid identifier\n");
  });

  it('history numbers the lines of the session', async () => {
    expect((await run('history')).stdout).toBe('    1  history\n');
  });

  it('which finds emulated commands and fails for unknown ones', async () => {
    const result = await run('which ls wget nothere');
    expect(result.stdout).toBe('/usr/bin/ls\n/usr/bin/wget\n');
    expect(result.exitCode).toBe(1);
  });

  it('busybox prints its banner, runs applets and rejects unknown ones', async () => {
    expect((await run('busybox')).stdout).toMatch(/^BusyBox v1\.35\.0 \(Debian 1:1\.35\.0-4\+b3\) multi-call binary\.\n/);
    expect((await run('busybox echo hi; /bin/busybox uname')).stdout).toBe('hi\nLinux\n');
    const unknown = await run('/bin/busybox ECCHI');
    expect(unknown.stderr).toBe('ECCHI: applet not found\n');
    expect(unknown.exitCode).toBe(127);
  });

  it('sh runs a script piped on stdin', async () => {
    expect((await run(`printf 'echo a\\nwhoami\\n' | sh`)).stdout).toBe('a\nroot\n');
  });

  it('true, false and sleep return their statuses', async () => {
    expect((await run('true; echo $?; false; echo $?; sleep 0.01; echo $?; sleep x')).stdout).toBe('0\n1\n0\n');
    expect((await run('sleep x')).stderr).toBe("sleep: invalid time interval 'x'\nTry 'sleep --help' for more information.\n");
  });

  it('exit rejects a non-numeric status', async () => {
    const result = await run('exit abc');
    expect(result.stderr).toBe('-bash: exit: abc: numeric argument required\n');
    expect(result.exitCode).toBe(2);
  });

  it('crontab, chattr, kill, nohup, ulimit and date answer as on a real box', async () => {
    const result = await runExec('crontab -l; chattr -ia .ssh; kill -9 1; nohup echo hi; ulimit -n; date; date +%s', {
      dataDir: dataDir(),
      now: () => Date.UTC(2026, 10, 28, 17, 5, 9),
    });
    expect(result.stderr).toBe('no crontab for root\n');
    expect(result.stdout).toBe('hi\n1024\nSat Nov 28 17:05:09 UTC 2026\n1795885509\n');
  });
});
