import { describe, expect, it } from 'vitest';
import { tempDirForFile } from '../../../../test/helpers/temp-dir.js';
import { runExec } from '../test-shell-host.js';

const dataDir = tempDirForFile('honeyscope-cmd-');

async function out(command: string, username = 'root'): Promise<string> {
  return (await runExec(command, { dataDir: dataDir(), username, config: { shell: { hostname: 'web01', kernel: '6.1.0-99-amd64' } } })).stdout;
}

describe('system information commands', () => {
  it('uname prints the configured kernel and host in GNU order', async () => {
    expect(await out('uname')).toBe('Linux\n');
    expect(await out('uname -a')).toBe('Linux web01 6.1.0-99-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1 (2024-11-22) x86_64 GNU/Linux\n');
    expect(await out('uname -r; uname -m; uname -n; uname -snrm')).toBe('6.1.0-99-amd64\nx86_64\nweb01\nLinux web01 6.1.0-99-amd64 x86_64\n');
    expect(await out('cat /proc/version')).toMatch(/^Linux version 6\.1\.0-99-amd64 \(debian-kernel@lists\.debian\.org\)/);
  });

  it('uname rejects an unknown option', async () => {
    const result = await runExec('uname -x', { dataDir: dataDir() });
    expect(result.stderr).toBe("uname: invalid option -- 'x'\nTry 'uname --help' for more information.\n");
    expect(result.exitCode).toBe(1);
  });

  it('id, whoami and hostname match the login', async () => {
    expect(await out('id; whoami; hostname; cat /etc/hostname')).toBe('uid=0(root) gid=0(root) groups=0(root)\nroot\nweb01\nweb01\n');
    expect(await out('id; id -u; id -un', 'admin')).toBe('uid=1001(admin) gid=1001(admin) groups=1001(admin),100(users)\n1001\nadmin\n');
    expect(await out('grep admin /etc/passwd', 'admin')).toBe('admin:x:1001:1001:,,,:/home/admin:/bin/bash\n');
  });

  it('describes Debian 12 in the release files', async () => {
    expect(await out('cat /etc/os-release | head -1; cat /etc/debian_version; cat /etc/issue')).toBe(
      'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n12.8\nDebian GNU/Linux 12 \\n \\l\n\n',
    );
  });

  it('cpuinfo, meminfo and nproc agree', async () => {
    expect(await out('grep -c processor /proc/cpuinfo; nproc; grep MemTotal /proc/meminfo')).toBe('2\n2\nMemTotal:        4025040 kB\n');
  });

  it('uptime and w report the same clock and load', async () => {
    const now = Date.UTC(2026, 10, 28, 17, 5, 9);
    const result = await runExec('uptime; w', { dataDir: dataDir(), now: () => now });
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^ 17:05:09 up 3 days, +\d+:\d\d,  1 user,  load average: 0\.00, 0\.01, 0\.00$/);
    expect(lines[1]).toBe(lines[0]);
    expect(lines[2]).toBe('USER     TTY      FROM             LOGIN@   IDLE   JCPU   PCPU WHAT');
    expect(lines[3]).toBe('root     pts/0    203.0.113.7      17:04    0.00s  0.01s  0.00s w');
  });

  it('ps lists processes in BSD and System V formats', async () => {
    expect(await out('ps')).toBe('    PID TTY          TIME CMD\n   1201 pts/0    00:00:00 bash\n   1207 pts/0    00:00:00 ps\n');
    const aux = (await out('ps aux')).split('\n');
    expect(aux[0]).toBe('USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND');
    expect(aux.at(-2)).toMatch(/ R\+ .* ps aux$/);
    expect((await out('ps -ef')).split('\n')[0]).toBe('UID          PID    PPID  C STIME TTY          TIME CMD');
  });

  it('free and df print in kB and human units', async () => {
    expect(await out('free')).toBe(
      '               total        used        free      shared  buff/cache   available\n' +
        'Mem:         4025040      335136     3132560        1040      565904     3521704\n' +
        'Swap:         998396           0      998396\n',
    );
    expect((await out('free -m')).split('\n')[1]).toBe('Mem:            3930         327        3059           1         552        3439');
    expect((await out('df -h')).split('\n').slice(0, 4)).toEqual([
      'Filesystem      Size  Used Avail Use% Mounted on',
      'udev            1.9G     0  1.9G   0% /dev',
      'tmpfs           393M  548K  393M   1% /run',
      '/dev/sda1        29G  2.3G   27G   8% /',
    ]);
  });

  it('ip and ifconfig show one interface consistently', async () => {
    const addr = await out('ip addr');
    expect(addr).toContain('    inet 192.168.122.34/24 brd 192.168.122.255 scope global dynamic eth0\n');
    expect(await out('ip a')).toBe(addr);
    expect(await out('ip route')).toBe('default via 192.168.122.1 dev eth0 \n192.168.122.0/24 dev eth0 proto kernel scope link src 192.168.122.34 \n');
    expect(await out('ifconfig')).toContain('        inet 192.168.122.34  netmask 255.255.255.0  broadcast 192.168.122.255\n');
    expect(await out('hostname -I')).toBe('192.168.122.34 \n');
  });
});
