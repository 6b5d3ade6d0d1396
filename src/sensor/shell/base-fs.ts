import { homeDirectory, passwdName } from './home-directory.js';

/**
 * The shared, immutable file tree every session starts from (Debian 12, merged
 * /usr). Sessions never copy it: FakeFs keeps only their own changes on top.
 */

/** What dynamic files (hostname, uptime, ...) are computed from. */
export interface FsContext {
  readonly hostname: string;
  readonly kernel: string;
  readonly kernelBuild: string;
  readonly arch: string;
  readonly username: string;
  /** Epoch ms of the emulated boot. */
  readonly bootTime: number;
  now(): number;
}

export type FileContent = string | ((ctx: FsContext) => string);

export type BaseNode =
  | { readonly type: 'file'; readonly content: FileContent; readonly mode: number }
  | { readonly type: 'device'; readonly mode: number }
  | { readonly type: 'dir'; readonly children: ReadonlyMap<string, BaseNode>; readonly mode: number };

/** When the base files were "installed". */
export const BASE_MTIME = Date.UTC(2024, 10, 22, 9, 14, 31);

const ELF_STUB = '\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00>\x00\x01\x00\x00\x00';

const BIN_NAMES = [
  'bash', 'sh', 'dash', 'ls', 'cat', 'echo', 'uname', 'id', 'whoami', 'hostname', 'pwd', 'ps', 'uptime', 'w', 'free',
  'df', 'ip', 'nproc', 'which', 'env', 'chmod', 'chown', 'mkdir', 'touch', 'rm', 'rmdir', 'cp', 'mv', 'ln', 'grep',
  'head', 'tail', 'wc', 'sleep', 'true', 'false', 'wget', 'curl', 'base64', 'sort', 'uniq', 'cut', 'tr', 'sed', 'awk',
  'mawk', 'find', 'xargs', 'tar', 'gzip', 'gunzip', 'date', 'dd', 'kill', 'nohup', 'passwd', 'su', 'sudo', 'perl',
  'python3', 'ssh', 'scp', 'mount', 'umount', 'crontab', 'lscpu', 'dmesg', 'top', 'vi', 'nano', 'less', 'more',
  'apt', 'apt-get', 'dpkg', 'systemctl', 'journalctl', 'chattr', 'lsattr', 'stat', 'md5sum', 'sha256sum', 'who',
  'last', 'users', 'groups', 'yes', 'printf', 'test', 'tty', 'stty', 'nc', 'netstat', 'ss', 'ping', 'ifconfig', 'busybox',
  'clear', 'tftp', 'bzip2', 'unzip', 'file', 'chgrp', 'readlink', 'basename', 'dirname', 'tee', 'timeout', 'getconf',
  'pkill', 'killall', 'sync', 'netcat', 'dig', 'ftpget', 'sha1sum', 'sha512sum',
];
const SBIN_NAMES = ['chpasswd', 'ifconfig', 'iptables', 'reboot', 'shutdown', 'poweroff', 'halt', 'init', 'sshd', 'useradd', 'usermod', 'route', 'sysctl', 'ip'];

const FILES: Record<string, FileContent> = {
  '/etc/hostname': (ctx) => `${ctx.hostname}\n`,
  '/etc/hosts': (ctx) =>
    `127.0.0.1\tlocalhost\n127.0.1.1\t${ctx.hostname}\n\n# The following lines are desirable for IPv6 capable hosts\n::1     localhost ip6-localhost ip6-loopback\nff02::1 ip6-allnodes\nff02::2 ip6-allrouters\n`,
  '/etc/passwd': (ctx) => {
    const name = passwdName(ctx.username);
    const extra = name !== 'root' && name !== 'debian' ? `${name}:x:1001:1001:,,,:${homeDirectory(ctx.username)}:/bin/bash\n` : '';
    return (
      'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nbin:x:2:2:bin:/bin:/usr/sbin/nologin\n' +
      'sys:x:3:3:sys:/dev:/usr/sbin/nologin\nsync:x:4:65534:sync:/bin:/bin/sync\ngames:x:5:60:games:/usr/games:/usr/sbin/nologin\n' +
      'man:x:6:12:man:/var/cache/man:/usr/sbin/nologin\nlp:x:7:7:lp:/var/spool/lpd:/usr/sbin/nologin\nmail:x:8:8:mail:/var/mail:/usr/sbin/nologin\n' +
      'news:x:9:9:news:/var/spool/news:/usr/sbin/nologin\nuucp:x:10:10:uucp:/var/spool/uucp:/usr/sbin/nologin\nproxy:x:13:13:proxy:/bin:/usr/sbin/nologin\n' +
      'www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\nbackup:x:34:34:backup:/var/backups:/usr/sbin/nologin\n' +
      'list:x:38:38:Mailing List Manager:/var/list:/usr/sbin/nologin\nirc:x:39:39:ircd:/run/ircd:/usr/sbin/nologin\n' +
      '_apt:x:42:65534::/nonexistent:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' +
      'systemd-network:x:998:998:systemd Network Management:/:/usr/sbin/nologin\nmessagebus:x:100:107::/nonexistent:/usr/sbin/nologin\n' +
      'sshd:x:101:65534::/run/sshd:/usr/sbin/nologin\ndebian:x:1000:1000:Debian,,,:/home/debian:/bin/bash\n' +
      extra
    );
  },
  '/etc/group':
    'root:x:0:\ndaemon:x:1:\nbin:x:2:\nsys:x:3:\nadm:x:4:debian\ntty:x:5:\ndisk:x:6:\nlp:x:7:\nmail:x:8:\nnews:x:9:\nsudo:x:27:debian\n' +
    'www-data:x:33:\nstaff:x:50:\nusers:x:100:\nnogroup:x:65534:\nsystemd-network:x:998:\nmessagebus:x:107:\ndebian:x:1000:\n',
  '/etc/shadow':
    'root:$y$j9T$Jq1xG6pQ0f3kq9sBzq8S3/$0mH2vD8Fq1wR7nL6cT5yK4pX3jZ2aB1eU9iO8sV7gN6:20049:0:99999:7:::\n' +
    'daemon:*:20049:0:99999:7:::\nbin:*:20049:0:99999:7:::\nsys:*:20049:0:99999:7:::\nnobody:*:20049:0:99999:7:::\n' +
    'sshd:!:20049::::::\ndebian:$y$j9T$8uV2mW1pL9aQ3sR6tY0zX.$c4H7jK2lN5bM8vC1xZ3aS6dF9gH2jK5lP8oI1uY4tR7:20049:0:99999:7:::\n',
  '/etc/os-release':
    'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\n' +
    'VERSION_CODENAME=bookworm\nID=debian\nHOME_URL="https://www.debian.org/"\nSUPPORT_URL="https://www.debian.org/support"\n' +
    'BUG_REPORT_URL="https://bugs.debian.org/"\n',
  '/etc/debian_version': '12.8\n',
  '/etc/issue': 'Debian GNU/Linux 12 \\n \\l\n\n',
  '/etc/issue.net': 'Debian GNU/Linux 12\n',
  '/etc/motd':
    '\nThe programs included with the Debian GNU/Linux system are free software;\nthe exact distribution terms for each program are described in the\n' +
    'individual files in /usr/share/doc/*/copyright.\n\nDebian GNU/Linux comes with ABSOLUTELY NO WARRANTY, to the extent\npermitted by applicable law.\n',
  '/etc/resolv.conf': 'domain localdomain\nsearch localdomain\nnameserver 1.1.1.1\nnameserver 8.8.8.8\n',
  '/etc/shells': '# /etc/shells: valid login shells\n/bin/sh\n/usr/bin/sh\n/bin/bash\n/usr/bin/bash\n/bin/rbash\n/usr/bin/rbash\n/bin/dash\n/usr/bin/dash\n',
  '/etc/crontab':
    'SHELL=/bin/sh\nPATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin\n\n17 *\t* * *\troot\tcd / && run-parts --report /etc/cron.hourly\n',
  '/etc/ssh/sshd_config': 'Include /etc/ssh/sshd_config.d/*.conf\nKbdInteractiveAuthentication no\nUsePAM yes\nX11Forwarding yes\nPrintMotd no\nAcceptEnv LANG LC_*\nSubsystem\tsftp\t/usr/lib/openssh/sftp-server\nPermitRootLogin yes\n',
  '/root/.bashrc':
    "# ~/.bashrc: executed by bash(1) for non-login shells.\n\n# Note: PS1 and umask are already set in /etc/profile. You should not\n# need this unless you want different defaults for root.\n# PS1='${debian_chroot:+($debian_chroot)}\\h:\\w\\$ '\n# umask 022\n",
  '/root/.profile': '# ~/.profile: executed by Bourne-compatible login shells.\n\nif [ "$BASH" ]; then\n  if [ -f ~/.bashrc ]; then\n    . ~/.bashrc\n  fi\nfi\n\nmesg n 2> /dev/null || true\n',
  '/home/debian/.bashrc': '# ~/.bashrc: executed by bash(1) for non-login shells.\n',
  '/home/debian/.profile': '# ~/.profile: executed by the command interpreter for login shells.\n',
  '/proc/version': (ctx) =>
    `Linux version ${ctx.kernel} (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) ${ctx.kernelBuild}\n`,
  '/proc/uptime': (ctx) => {
    const up = Math.max(0, (ctx.now() - ctx.bootTime) / 1000);
    return `${up.toFixed(2)} ${(up * 1.83).toFixed(2)}\n`;
  },
  '/proc/loadavg': '0.00 0.01 0.00 1/143 1207\n',
  '/proc/cpuinfo': cpuinfo,
  '/proc/meminfo':
    'MemTotal:        4025040 kB\nMemFree:         3132560 kB\nMemAvailable:    3521704 kB\nBuffers:           40616 kB\nCached:           525288 kB\n' +
    'SwapCached:            0 kB\nActive:           418528 kB\nInactive:         318448 kB\nSwapTotal:        998396 kB\nSwapFree:         998396 kB\n' +
    'Dirty:                 8 kB\nShmem:              1040 kB\nSlab:              78212 kB\nHugePages_Total:       0\nHugepagesize:       2048 kB\n',
  '/proc/mounts':
    'sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0\nproc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n' +
    'udev /dev devtmpfs rw,nosuid,relatime,size=1988536k,nr_inodes=497134,mode=755 0 0\n/dev/sda1 / ext4 rw,relatime,errors=remount-ro 0 0\n' +
    'tmpfs /run tmpfs rw,nosuid,nodev,noexec,relatime,size=402504k,mode=755 0 0\n',
  '/proc/sys/kernel/hostname': (ctx) => `${ctx.hostname}\n`,
  '/var/log/lastlog': '',
  '/var/log/wtmp': '',
};

const DIRS = [
  '/boot', '/dev/shm', '/dev/pts', '/etc/ssh/sshd_config.d', '/etc/cron.d', '/etc/init.d', '/etc/systemd/system', '/home/debian',
  '/lib', '/lib64', '/media', '/mnt', '/opt', '/root/.ssh', '/run/sshd', '/srv', '/sys/class/net', '/tmp', '/usr/lib', '/usr/local/bin',
  '/usr/local/sbin', '/usr/share/doc', '/var/backups', '/var/cache', '/var/lib/dpkg', '/var/mail', '/var/spool/cron/crontabs',
  '/var/tmp', '/var/www',
];

const DEVICES = ['null', 'zero', 'random', 'urandom', 'tty', 'console'];

function cpuinfo(): string {
  return [0, 1]
    .map(
      (n) =>
        `processor\t: ${n}\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 85\nmodel name\t: Intel(R) Xeon(R) Gold 6248R CPU @ 3.00GHz\n` +
        `stepping\t: 7\nmicrocode\t: 0x5003604\ncpu MHz\t\t: 2999.998\ncache size\t: 36608 KB\nphysical id\t: 0\nsiblings\t: 2\ncore id\t\t: ${n}\n` +
        `cpu cores\t: 2\napicid\t\t: ${n}\nfpu\t\t: yes\nfpu_exception\t: yes\ncpuid level\t: 22\nwp\t\t: yes\n` +
        'flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ss ht syscall nx pdpe1gb rdtscp lm constant_tsc rep_good nopl xtopology cpuid pni pclmulqdq ssse3 fma cx16 pcid sse4_1 sse4_2 x2apic movbe popcnt aes xsave avx f16c rdrand hypervisor lahf_lm abm 3dnowprefetch avx2 avx512f avx512dq\n' +
        'bogomips\t: 5999.99\nclflush size\t: 64\ncache_alignment\t: 64\naddress sizes\t: 46 bits physical, 48 bits virtual\npower management:\n\n',
    )
    .join('');
}

interface MutableDir {
  type: 'dir';
  children: Map<string, BaseNode>;
  mode: number;
}

function ensureDir(root: MutableDir, path: string): MutableDir {
  let dir = root;
  for (const name of path.split('/').filter(Boolean)) {
    let next = dir.children.get(name);
    if (next === undefined) {
      next = { type: 'dir', children: new Map(), mode: name === 'tmp' ? 0o1777 : 0o755 };
      dir.children.set(name, next);
    }
    if (next.type !== 'dir') throw new TypeError(`Cannot build the base file system: "${path}" crosses a file`);
    dir = next as MutableDir;
  }
  return dir;
}

function buildBase(): BaseNode {
  const root: MutableDir = { type: 'dir', children: new Map(), mode: 0o755 };
  for (const dir of DIRS) ensureDir(root, dir);
  for (const [path, content] of Object.entries(FILES)) {
    const slash = path.lastIndexOf('/');
    const mode = path === '/etc/shadow' ? 0o640 : 0o644;
    ensureDir(root, path.slice(0, slash)).children.set(path.slice(slash + 1), { type: 'file', content, mode });
  }
  const usrBin = ensureDir(root, '/usr/bin');
  for (const name of BIN_NAMES) usrBin.children.set(name, { type: 'file', content: ELF_STUB, mode: 0o755 });
  const usrSbin = ensureDir(root, '/usr/sbin');
  for (const name of SBIN_NAMES) usrSbin.children.set(name, { type: 'file', content: ELF_STUB, mode: 0o755 });
  // Debian 12 merges /usr: /bin and /sbin show the same entries, shared rather than copied.
  root.children.set('bin', usrBin);
  root.children.set('sbin', usrSbin);
  const dev = ensureDir(root, '/dev');
  for (const name of DEVICES) dev.children.set(name, { type: 'device', mode: 0o666 });
  ensureDir(root, '/root').mode = 0o700;
  return root;
}

export const BASE_ROOT: BaseNode = buildBase();
