import { describe, expect, it } from 'vitest';
import { tempDirForFile } from '../../../../test/helpers/temp-dir.js';
import { runExec } from '../test-shell-host.js';

const dataDir = tempDirForFile('honeyscope-cmd-');

function run(command: string, username = 'root'): ReturnType<typeof runExec> {
  return runExec(command, { dataDir: dataDir(), username, now: () => Date.UTC(2026, 10, 28, 17, 5, 9) });
}

describe('file commands', () => {
  it('pwd and cd move around the fake tree', async () => {
    expect((await run('pwd; cd /var/log && pwd; cd; pwd; cd /tmp; cd -')).stdout).toBe('/root\n/var/log\n/root\n/root\n');
    const missing = await run('cd /nope');
    expect(missing.stderr).toBe('-bash: cd: /nope: No such file or directory\n');
    expect(missing.exitCode).toBe(1);
    expect((await run('cd /etc/passwd')).stderr).toBe('-bash: cd: /etc/passwd: Not a directory\n');
  });

  it('ls lists names, hidden files with -a and details with -l', async () => {
    expect((await run('ls -a ~')).stdout).toBe('.\n..\n.bashrc\n.profile\n.ssh\n');
    expect((await run('ls ~')).stdout).toBe('');
    expect((await run('ls -l /etc/hostname')).stdout).toBe('-rw-r--r-- 1 root root     6 Nov 22  2024 /etc/hostname\n');
    expect((await run('touch /tmp/new; ls -la /tmp')).stdout).toBe(
      'total 8\ndrwxrwxrwt 2 root root  4096 Nov 22  2024 .\ndrwxr-xr-x 2 root root  4096 Nov 22  2024 ..\n-rw-r--r-- 1 root root     0 Nov 28 17:05 new\n',
    );
    const missing = await run('ls /nope');
    expect(missing.stderr).toBe("ls: cannot access '/nope': No such file or directory\n");
    expect(missing.exitCode).toBe(2);
  });

  it('cat prints files and stdin and reports missing files', async () => {
    expect((await run('cat /etc/hostname - < /etc/hostname')).stdout).toBe('svr04\nsvr04\n');
    const result = await run('cat /nope /etc');
    expect(result.stderr).toBe('cat: /nope: No such file or directory\ncat: /etc: Is a directory\n');
    expect(result.exitCode).toBe(1);
  });

  it('mkdir, touch, cp, mv and rm change the session tree', async () => {
    const result = await run('mkdir -p /tmp/a/b; cd /tmp/a; touch x; cp x b/; mv x y; ls . b; rm -r b; rm y; ls');
    expect(result.stdout).toBe('.:\nb\ny\n\nb:\nx\n');
    expect((await run('mkdir /tmp; mkdir /no/such')).stderr).toBe(
      "mkdir: cannot create directory '/tmp': File exists\nmkdir: cannot create directory '/no/such': No such file or directory\n",
    );
  });

  it('rm reports missing files unless forced and refuses directories without -r', async () => {
    expect((await run('rm /nope; rm -f /nope; rm /etc')).stderr).toBe(
      "rm: cannot remove '/nope': No such file or directory\nrm: cannot remove '/etc': Is a directory\n",
    );
  });

  it('chmod accepts octal and symbolic modes', async () => {
    expect((await run('touch /tmp/f; chmod 700 /tmp/f; ls -l /tmp/f; chmod go+r,u-w /tmp/f; ls -l /tmp/f')).stdout).toBe(
      '-rwx------ 1 root root     0 Nov 28 17:05 /tmp/f\n-r-xr--r-- 1 root root     0 Nov 28 17:05 /tmp/f\n',
    );
    expect((await run('chmod 755 /nope')).stderr).toBe("chmod: cannot access '/nope': No such file or directory\n");
    expect((await run('chmod zz /etc/hostname')).stderr).toBe("chmod: invalid mode: 'zz'\nTry 'chmod --help' for more information.\n");
  });

  it('keeps a non-root user out of system directories', async () => {
    const result = await run('touch /etc/x; echo a > /usr/bin/x; touch ~/ok; ls ~', 'admin');
    expect(result.stderr).toBe("touch: cannot touch '/etc/x': Permission denied\nbash: line 1: /usr/bin/x: Permission denied\n");
    expect(result.stdout).toBe('ok\n');
  });

  it('stops writing at limits.maxBytesPerSession', async () => {
    const result = await runExec('echo 0123456789 > /tmp/a; echo 0123456789 >> /tmp/a; cat /tmp/a', {
      dataDir: dataDir(),
      config: { limits: { maxBytesPerSession: 15 } },
    });
    expect(result.stderr).toBe('bash: line 1: /tmp/a: No space left on device\n');
    expect(result.stdout).toBe('0123456789\n');
  });
});
