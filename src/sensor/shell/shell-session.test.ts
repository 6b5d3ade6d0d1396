import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ShellSession } from './shell-session.js';
import { createTestShellHost, runExec, type TestShellHost } from './test-shell-host.js';

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'honeyscope-shell-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

/** Feeds keystrokes and waits until the shell has drawn a prompt `count` times in all. */
async function type(host: TestShellHost, session: ShellSession, keys: string, prompts: number): Promise<void> {
  session.input(Buffer.from(keys));
  for (let i = 0; i < 200 && (host.stdout().match(/# /g)?.length ?? 0) < prompts && host.exitCode === undefined; i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('ShellSession exec', () => {
  it('logs the whole line once as cowrie.command.input, as Cowrie does', async () => {
    const { events, stdout, exitCode } = await runExec('uname -a; whoami', { dataDir });
    expect(events).toEqual([{ eventid: 'cowrie.command.input', fields: { input: 'uname -a; whoami' }, message: 'CMD: uname -a; whoami' }]);
    expect(stdout).toBe('Linux svr04 6.1.0-28-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1 (2024-11-22) x86_64 GNU/Linux\nroot\n');
    expect(exitCode).toBe(0);
  });

  it('answers an unknown command like bash, exits 127 and logs cowrie.command.failed', async () => {
    const { events, stderr, exitCode } = await runExec('notacommand --x', { dataDir });
    expect(stderr).toBe('bash: line 1: notacommand: command not found\n');
    expect(exitCode).toBe(127);
    expect(events[1]).toEqual({ eventid: 'cowrie.command.failed', fields: { input: 'notacommand --x' }, message: 'Command not found: notacommand --x' });
  });

  it('stores a redirect in the fake fs and as an artifact named by its SHA-256', async () => {
    const { events, stdout } = await runExec('echo hi > /tmp/x; cat /tmp/x', { dataDir });
    const sha = createHash('sha256').update('hi\n').digest('hex');
    expect(stdout).toBe('hi\n');
    expect(events[1]).toEqual({
      eventid: 'cowrie.session.file_download',
      fields: { duplicate: false, outfile: `downloads/${sha}`, shasum: sha, destfile: '/tmp/x' },
      message: `Saved redir contents with SHA-256 ${sha} to downloads/${sha}`,
    });
    expect(await readFile(join(dataDir, 'downloads', sha), 'utf8')).toBe('hi\n');
    const again = await runExec('echo hi > /tmp/y', { dataDir });
    expect(again.events[1]?.fields.duplicate).toBe(true);
  });

  it('captures a file once per line with its final content, even if the bot deletes it', async () => {
    const { events } = await runExec('echo a > /tmp/d; echo b >> /tmp/d; echo c >> /tmp/d; sh /tmp/d; rm -f /tmp/d', { dataDir });
    const sha = createHash('sha256').update('a\nb\nc\n').digest('hex');
    expect(events.filter((e) => e.eventid === 'cowrie.session.file_download').map((e) => e.fields)).toEqual([
      { duplicate: false, outfile: `downloads/${sha}`, shasum: sha, destfile: '/tmp/d' },
    ]);
  });

  it('does not store redirects to /dev/null or empty files', async () => {
    const { events, stdout } = await runExec('echo a >/dev/null; uname 2>/dev/null; touch /tmp/e; cat /dev/null > /tmp/f', { dataDir });
    expect(stdout).toBe('Linux\n');
    expect(events.map((e) => e.eventid)).toEqual(['cowrie.command.input']);
  });

  it('runs "; rm -rf / ; reboot" against the fake fs only', async () => {
    const host = createTestShellHost({ dataDir });
    const session = new ShellSession(host, { pty: false });
    await session.exec('rm -rf /* ; reboot ; ls /; cat /etc/passwd');
    expect(host.stdout()).toBe('proc\nsys\n');
    expect(host.stderr()).toContain("rm: cannot remove '/proc': Permission denied\n");
    expect(host.stderr()).toContain('bash: line 1: reboot: command not found\n');
    expect(host.stderr()).toContain('cat: /etc/passwd: No such file or directory\n');
    expect(host.events.filter((e) => e.eventid === 'cowrie.command.failed').map((e) => e.fields.input)).toEqual(['reboot']);
    const other = await runExec('ls / | wc -l', { dataDir });
    expect(Number(other.stdout)).toBeGreaterThan(10);
    expect(await readdir(dataDir)).toEqual(expect.not.arrayContaining(['etc', 'bin']));
  });

  it('refuses rm -rf / as GNU rm does', async () => {
    const { stderr, exitCode } = await runExec('rm -rf /', { dataDir });
    expect(stderr).toBe("rm: it is dangerous to operate recursively on '/'\nrm: use --no-preserve-root to override this failsafe\n");
    expect(exitCode).toBe(1);
  });

  it('prints a syntax error for unbalanced quotes and exits 2', async () => {
    const { stderr, exitCode } = await runExec("echo 'oops", { dataDir });
    expect(stderr).toBe("bash: -c: line 1: unexpected EOF while looking for matching `''\n");
    expect(exitCode).toBe(2);
  });

  it('prints $(...) literally instead of running it', async () => {
    const { stdout, events } = await runExec('echo "$(reboot)" `id`', { dataDir });
    expect(stdout).toBe('$(reboot) `id`\n');
    expect(events.map((e) => e.eventid)).toEqual(['cowrie.command.input']);
  });

  it('cuts an over-long line at shell.maxInputBytes and logs the limit', async () => {
    const { events, stdout } = await runExec(`echo ${'a'.repeat(200)}`, { dataDir, config: { shell: { maxInputBytes: 64 } } });
    expect(stdout).toBe(`${'a'.repeat(59)}\n`);
    expect(events[0]).toEqual({
      eventid: 'honeyscope.session.limit',
      fields: { limit: 'shell.maxInputBytes', value: 205 },
      message: 'Input line cut at 64 bytes',
    });
    expect(events[1]?.fields.input).toBe(`echo ${'a'.repeat(59)}`);
  });

  it('applies && and || to exit statuses and exposes $?', async () => {
    const { stdout } = await runExec('false && echo no || echo yes; true; echo $?; false; echo $?', { dataDir });
    expect(stdout).toBe('yes\n0\n1\n');
  });

  it('ends with the status given to exit and runs nothing after it', async () => {
    const { stdout, exitCode } = await runExec('echo a; exit 3; echo b', { dataDir });
    expect(stdout).toBe('a\n');
    expect(exitCode).toBe(3);
  });

  it('runs sh -c and bash -c through the emulator', async () => {
    const { stdout, events } = await runExec(`sh -c 'echo one; whoami' && bash -c "nope"`, { dataDir });
    expect(stdout).toBe('one\nroot\n');
    expect(events.at(-1)).toMatchObject({ eventid: 'cowrie.command.failed', fields: { input: 'nope' } });
  });

  it('runs a written script and refuses a binary', async () => {
    const { stdout, stderr } = await runExec(
      "printf 'echo from-script\\n' > /tmp/s.sh; chmod +x /tmp/s.sh; ./s.sh; cd /tmp; ./s.sh; cp /bin/ls /tmp/l; /tmp/l",
      { dataDir },
    );
    expect(stdout).toBe('from-script\n');
    expect(stderr).toBe('bash: line 1: ./s.sh: No such file or directory\nbash: line 1: /tmp/l: cannot execute binary file: Exec format error\n');
  });

  it('names a failing script file and line in its errors, as bash does', async () => {
    const { stderr } = await runExec("printf 'true\\nhello\\n' > f.txt; chmod +x f.txt; ./f.txt; sh f.txt; hello", { dataDir });
    expect(stderr).toBe('./f.txt: line 2: hello: command not found\nf.txt: line 2: hello: command not found\nbash: line 1: hello: command not found\n');
  });

  it('runs ( list ) in a subshell and { list; } in the current shell, with pipes and redirects on the group', async () => {
    const { stdout, stderr, exitCode } = await runExec(
      '(crontab -l; echo "* * * * * /tmp/x") | crontab -; crontab -l; cd /tmp; (cd /etc; X=1; exit 3); echo "$? $PWD [$X]"; { cd /var; Y=2; } > /tmp/o; echo "$PWD $Y"',
      { dataDir },
    );
    expect(stderr).toBe('no crontab for root\n');
    expect(stdout).toBe('* * * * * /tmp/x\n3 /tmp []\n/var 2\n');
    expect(exitCode).toBe(0);
  });

  it('shows the variables the client sent in env', async () => {
    const host = createTestShellHost({ dataDir });
    const session = new ShellSession(host, { pty: false, env: { LC_BOT: 'x1', 'BAD-NAME': 'y' } });
    await session.exec('env');
    expect(host.stdout()).toContain('\nLC_BOT=x1\n');
    expect(host.stdout()).not.toContain('BAD-NAME');
  });

  it('finds commands by absolute path', async () => {
    const { stdout } = await runExec('/bin/echo a; /usr/bin/whoami; /bin/busybox echo b', { dataDir });
    expect(stdout).toBe('a\nroot\nb\n');
  });

  it('keeps attacker variables and expands globs against the fake fs', async () => {
    const { stdout } = await runExec('A=1; export B=2; touch /tmp/p1 /tmp/p2; echo $A $B /tmp/p*', { dataDir });
    expect(stdout).toBe('1 2 /tmp/p1 /tmp/p2\n');
  });
});

describe('ShellSession exec stdin', () => {
  it('gives an exec command the client\'s stdin up to EOF and captures what it writes', async () => {
    const host = createTestShellHost({ dataDir });
    const session = new ShellSession(host, { pty: false });
    const done = session.exec('cat > /tmp/up; chmod +x /tmp/up; cat /tmp/up | wc -c');
    session.input(Buffer.from('\x7fELF-pay'));
    setTimeout(() => {
      session.input(Buffer.from('load'));
      session.endInput();
    }, 20);
    await done;
    const sha = createHash('sha256').update('\x7fELF-payload').digest('hex');
    expect(host.stdout()).toBe('12\n');
    expect(host.events.find((e) => e.eventid === 'cowrie.session.file_download')?.fields).toEqual({
      duplicate: expect.any(Boolean),
      outfile: `downloads/${sha}`,
      shasum: sha,
      destfile: '/tmp/up',
    });
  });

  it('runs a script sent on stdin to a bare sh', async () => {
    const host = createTestShellHost({ dataDir });
    const session = new ShellSession(host, { pty: false });
    const done = session.exec('sh');
    session.input(Buffer.from('echo from-stdin\nuname\n'));
    session.endInput();
    await done;
    expect(host.stdout()).toBe('from-stdin\nLinux\n');
  });

  it('stops waiting for stdin when the client goes away', async () => {
    const host = createTestShellHost({ dataDir });
    const session = new ShellSession(host, { pty: false });
    const done = session.exec('cat');
    setTimeout(() => session.end(), 20);
    await done;
    expect(host.stdout()).toBe('');
  });

  it('reads no stdin in an interactive shell', async () => {
    const host = createTestShellHost({ dataDir });
    const session = new ShellSession(host, { pty: true });
    session.start();
    await type(host, session, '', 1);
    await type(host, session, 'cat | wc -l\r', 2);
    expect(host.stdout()).toContain('cat | wc -l\r\n0\r\n');
  });
});

describe('ShellSession interactive', () => {
  it('prints the motd and a root prompt, echoes keys and runs lines', async () => {
    const host = createTestShellHost({ dataDir });
    const session = new ShellSession(host, { pty: true });
    session.start();
    await type(host, session, '', 1);
    expect(host.stdout()).toMatch(/^Linux svr04 6\.1\.0-28-amd64 .*\r\n\r\nThe programs included/);
    expect(host.stdout().endsWith('root@svr04:~# ')).toBe(true);
    await type(host, session, 'pwd\r', 2);
    expect(host.stdout().endsWith('pwd\r\n/root\r\nroot@svr04:~# ')).toBe(true);
    expect(host.events).toEqual([{ eventid: 'cowrie.command.input', fields: { input: 'pwd' }, message: 'CMD: pwd' }]);
  });

  it('shows a $ prompt and home directory for a non-root user', async () => {
    const host = createTestShellHost({ dataDir, username: 'admin' });
    const session = new ShellSession(host, { pty: true });
    session.start();
    for (let i = 0; i < 100 && !host.stdout().endsWith('$ '); i++) await new Promise((r) => setTimeout(r, 5));
    expect(host.stdout().endsWith('admin@svr04:~$ ')).toBe(true);
  });

  it('handles backspace, ^U, ^C and arrow keys while editing', async () => {
    const host = createTestShellHost({ dataDir });
    const session = new ShellSession(host, { pty: true });
    session.start();
    await type(host, session, '', 1);
    await type(host, session, 'whoamx\x7fi\x1b[D\r', 2);
    await type(host, session, 'junk\x15id -u\r', 3);
    await type(host, session, 'sleep 100\x03', 4);
    expect(host.events.map((e) => e.fields.input)).toEqual(['whoami', 'id -u']);
    expect(host.stdout()).toContain('whoamx\b \bi\r\nroot\r\n');
    expect(host.stdout()).toContain('sleep 100^C\r\nroot@svr04:~# ');
  });

  it('interrupts a running command with ^C and drops typed-ahead lines', async () => {
    const host = createTestShellHost({ dataDir });
    const session = new ShellSession(host, { pty: true });
    session.start();
    await type(host, session, '', 1);
    const started = performance.now();
    session.input(Buffer.from('sleep 10; echo skipped\r'));
    await new Promise((r) => setTimeout(r, 20));
    await type(host, session, 'echo dropped\r', 1);
    await type(host, session, '\x03', 2);
    await type(host, session, 'echo next\r', 3);
    expect(performance.now() - started).toBeLessThan(1500);
    expect(host.stdout()).toContain('sleep 10; echo skipped\r\n^C\r\nroot@svr04:~# echo next\r\nnext\r\n');
    expect(host.events.map((e) => e.fields.input)).toEqual(['sleep 10; echo skipped', 'echo next']);
  });

  it('recalls history with the up arrow', async () => {
    const host = createTestShellHost({ dataDir });
    const session = new ShellSession(host, { pty: true });
    session.start();
    await type(host, session, '', 1);
    await type(host, session, 'echo again\r', 2);
    await type(host, session, '\x1b[A\r', 3);
    expect(host.events.map((e) => e.fields.input)).toEqual(['echo again', 'echo again']);
  });

  it('exits on ^D at an empty line and on exit', async () => {
    const host = createTestShellHost({ dataDir });
    const session = new ShellSession(host, { pty: true });
    session.start();
    await type(host, session, '', 1);
    session.input(Buffer.from('\x04'));
    expect(host.exitCode).toBe(0);
    expect(host.stdout().endsWith('logout\r\n')).toBe(true);

    const other = createTestShellHost({ dataDir });
    const second = new ShellSession(other, { pty: true });
    second.start();
    await type(other, second, 'exit 5\r', 2);
    expect(other.exitCode).toBe(5);
    expect(host.events).toEqual([]);
  });

  it('logs a typed exit as a command, as Cowrie does', async () => {
    const host = createTestShellHost({ dataDir });
    const session = new ShellSession(host, { pty: true });
    session.start();
    await type(host, session, '', 1);
    await type(host, session, 'exit\r', 2);
    expect(host.exitCode).toBe(0);
    expect(host.stdout().endsWith('exit\r\nlogout\r\n')).toBe(true);
    expect(host.events).toEqual([{ eventid: 'cowrie.command.input', fields: { input: 'exit' }, message: 'CMD: exit' }]);
  });

  it('runs lines typed ahead while a command is still running, in order', async () => {
    const host = createTestShellHost({ dataDir });
    const session = new ShellSession(host, { pty: true });
    session.start();
    await type(host, session, '', 1);
    await type(host, session, 'sleep 0.05\recho one\recho two\r', 4);
    expect(host.events.map((e) => e.fields.input)).toEqual(['sleep 0.05', 'echo one', 'echo two']);
  });

  it('reads lines without echo or prompt when there is no pty', async () => {
    const host = createTestShellHost({ dataDir });
    const session = new ShellSession(host, { pty: false });
    session.start();
    session.input(Buffer.from('echo a\nuname\n'));
    for (let i = 0; i < 100 && host.events.length < 2; i++) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 20));
    expect(host.stdout()).toBe('a\nLinux\n');
  });

  it('stops a running sleep when the client goes away', async () => {
    const host = createTestShellHost({ dataDir });
    const session = new ShellSession(host, { pty: false });
    const started = performance.now();
    const done = session.exec('sleep 10; echo after');
    setTimeout(() => session.end(), 20);
    await done;
    expect(performance.now() - started).toBeLessThan(1000);
    expect(host.stdout()).toBe('');
  });

  it('cuts a typed line at shell.maxInputBytes', async () => {
    const host = createTestShellHost({ dataDir, config: { shell: { maxInputBytes: 64 } } });
    const session = new ShellSession(host, { pty: true });
    session.start();
    await type(host, session, '', 1);
    await type(host, session, `echo ${'b'.repeat(100)}\r`, 2);
    expect(host.events[0]).toMatchObject({ eventid: 'honeyscope.session.limit', fields: { limit: 'shell.maxInputBytes' } });
    expect(host.events[1]?.fields.input).toBe(`echo ${'b'.repeat(59)}`);
  });
});

describe('ShellSession reading lines for a command', () => {
  /** Feeds keys and waits until the output ends with `tail`. */
  async function typeUntil(host: TestShellHost, session: ShellSession, keys: string, tail: string): Promise<void> {
    session.input(Buffer.from(keys));
    for (let i = 0; i < 200 && !host.stdout().endsWith(tail); i++) await new Promise((r) => setTimeout(r, 5));
  }

  it('passwd on a pty waits for each password, shows none and never runs them', async () => {
    const host = createTestShellHost({ dataDir });
    const session = new ShellSession(host, { pty: true });
    session.start();
    await type(host, session, '', 1);
    await typeUntil(host, session, 'passwd\r', 'New password: ');
    await typeUntil(host, session, 'newpw1\r', 'Retype new password: ');
    await typeUntil(host, session, 'newpw1\r', '# ');
    expect(host.stdout().endsWith('passwd\r\nNew password: \r\nRetype new password: \r\npasswd: password updated successfully\r\nroot@svr04:~# ')).toBe(true);
    expect(host.stdout()).not.toContain('newpw1');
    expect(host.events).toEqual([
      { eventid: 'cowrie.command.input', fields: { input: 'passwd' }, message: 'CMD: passwd' },
      { eventid: 'cowrie.command.success', fields: { realm: 'passwd', input: 'newpw1' }, message: 'INPUT (passwd): newpw1' },
      { eventid: 'cowrie.command.success', fields: { realm: 'passwd', input: 'newpw1' }, message: 'INPUT (passwd): newpw1' },
    ]);
  });

  it('passwd takes passwords typed ahead in one packet, then runs the next line', async () => {
    const host = createTestShellHost({ dataDir });
    const session = new ShellSession(host, { pty: true });
    session.start();
    await type(host, session, '', 1);
    await type(host, session, 'passwd\ra1\rb2\recho next\r', 3);
    expect(host.stdout()).toContain('New password: \r\nRetype new password: \r\nSorry, passwords do not match.\r\n');
    expect(host.events.filter((e) => e.eventid === 'cowrie.command.input').map((e) => e.fields.input)).toEqual(['passwd', 'echo next']);
  });

  it('^C at a password prompt ends the command and the shell takes lines again', async () => {
    const host = createTestShellHost({ dataDir });
    const session = new ShellSession(host, { pty: true });
    session.start();
    await type(host, session, '', 1);
    await typeUntil(host, session, 'passwd\r', 'New password: ');
    await type(host, session, 'sec\x03', 2);
    await type(host, session, 'id -u\r', 3);
    expect(host.stdout()).not.toContain('sec');
    expect(host.events.map((e) => e.fields.input)).toEqual(['passwd', 'id -u']);
  });

  it('reads the lines from a shell without a pty and from exec stdin', async () => {
    const host = createTestShellHost({ dataDir });
    const session = new ShellSession(host, { pty: false });
    session.start();
    session.input(Buffer.from('passwd\nabc\nabc\nwhoami\n'));
    for (let i = 0; i < 100 && !host.stdout().includes('root'); i++) await new Promise((r) => setTimeout(r, 5));
    expect(host.stderr()).toBe('New password: Retype new password: passwd: password updated successfully\n');
    expect(host.stdout()).toBe('root\n');

    const exec = createTestShellHost({ dataDir });
    const other = new ShellSession(exec, { pty: false });
    const done = other.exec('passwd; cat');
    other.input(Buffer.from('pw\r\npw\nrest\n'));
    other.endInput();
    await done;
    expect(exec.stderr()).toBe('New password: Retype new password: passwd: password updated successfully\n');
    expect(exec.stdout()).toBe('rest\n');
    expect(exec.exitCode).toBe(0);
  });

  it('asks a non-root user for a password for sudo and su, logs it and refuses', async () => {
    const host = createTestShellHost({ dataDir, username: 'admin' });
    const session = new ShellSession(host, { pty: false });
    const done = session.exec('sudo id; su -c id');
    session.input(Buffer.from('guess1\nguess2\n'));
    await done;
    expect(host.stderr()).toBe('[sudo] password for admin: admin is not in the sudoers file.  This incident will be reported.\nPassword: su: Authentication failure\n');
    expect(host.stdout()).toBe('');
    expect(host.events.slice(1).map((e) => e.message)).toEqual(['INPUT (sudo): guess1', 'INPUT (su): guess2']);
  });
});

describe('ShellSession limits', () => {
  let limitDir: string;
  beforeAll(async () => {
    limitDir = await mkdtemp(join(tmpdir(), 'honeyscope-shell-'));
  });
  afterAll(async () => {
    await rm(limitDir, { recursive: true, force: true });
  });

  it('cuts the output of one line and logs the limit once', async () => {
    const names = Array.from({ length: 1000 }, () => '/proc/cpuinfo').join(' ');
    const { stdout, events } = await runExec(`cat ${names}`, { dataDir: limitDir, config: { limits: { maxBytesPerSession: 1024 } } });
    expect(stdout.length).toBeLessThanOrEqual(1024 * 1024);
    expect(stdout.length).toBeGreaterThan(1024 * 1024 - 5000);
    expect(events.filter((e) => e.eventid === 'honeyscope.session.limit')).toEqual([
      { eventid: 'honeyscope.session.limit', fields: { limit: 'limits.maxBytesPerSession', value: expect.any(Number) }, message: 'Command output cut at 1048576 bytes' },
    ]);
  });

  it('stops a script that runs itself', async () => {
    const started = performance.now();
    const { stderr } = await runExec(`echo 'sh /tmp/s; sh /tmp/s' > /tmp/s; export SHLVL=-100000; sh /tmp/s`, { dataDir: limitDir });
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(stderr).toContain('sh: maximum nesting level exceeded\n');
  });
});
