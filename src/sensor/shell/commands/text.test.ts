import { describe, expect, it } from 'vitest';
import { tempDirForFile } from '../../../../test/helpers/temp-dir.js';
import { runExec } from '../test-shell-host.js';

const dataDir = tempDirForFile('honeyscope-cmd-');

async function out(command: string): Promise<string> {
  return (await runExec(command, { dataDir: dataDir() })).stdout;
}

describe('text commands', () => {
  it('echo joins arguments and handles -n and -e', async () => {
    expect(await out('echo a  b "c  d"')).toBe('a b c  d\n');
    expect(await out('echo -n x; echo -e "1\\t2\\x41\\0101"; echo -E "a\\tb"; echo -e "a\\cb"')).toBe('x1\t2AA\na\\tb\na');
  });

  it('printf substitutes %s %d and escapes', async () => {
    expect(await out(`printf '%s=%d%%\\n' load 7`)).toBe('load=7%\n');
    expect(await out(`printf '\\x7fELF' | wc -c`)).toBe('4\n');
  });

  it('grep matches fixed strings with -i -v -c -n and anchors', async () => {
    expect(await out('grep root /etc/passwd')).toBe('root:x:0:0:root:/root:/bin/bash\n');
    expect(await out('grep -c nologin /etc/passwd')).toBe('19\n');
    expect(await out('grep -n ^daemon /etc/passwd')).toBe('2:daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n');
    expect(await out('echo ROOT | grep -i root; echo abc | grep -v b; echo $?')).toBe('ROOT\n1\n');
  });

  it('grep treats regular expressions literally so no pattern can backtrack', async () => {
    const started = performance.now();
    expect(await out(`printf 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!' | grep -E '(a+)+$'`)).toBe('');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('head and tail take -n N and -N', async () => {
    expect(await out('head -n 1 /etc/passwd; tail -1 /etc/passwd; head -c 4 /etc/passwd; echo')).toBe(
      'root:x:0:0:root:/root:/bin/bash\ndebian:x:1000:1000:Debian,,,:/home/debian:/bin/bash\nroot\n',
    );
    expect(await out('cat /etc/passwd | head -2 | tail -n 1')).toBe('daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n');
  });

  it('wc counts like GNU wc', async () => {
    expect(await out('echo a b | wc; echo a b | wc -l; wc -l /etc/passwd')).toBe('      1       2       4\n1\n22 /etc/passwd\n');
  });

  it('base64 encodes and decodes', async () => {
    expect(await out('echo hi | base64; echo aGkK | base64 -d')).toBe('aGkK\nhi\n');
  });

  it('awk prints fields the way bots cut them', async () => {
    expect(await out(`cat /proc/cpuinfo | grep name | head -n 1 | awk '{print $4,$5,$6,$7,$8,$9;}'`)).toBe('Intel(R) Xeon(R) Gold 6248R CPU @\n');
    expect(await out(`free -m | grep Mem | awk '{print $2 ,$3, $4, $5, $6, $7}'`)).toBe('3930 327 3059 1 552 3439\n');
    expect(await out(`df -h | head -n 2 | awk 'FNR == 2 {print $2;}'`)).toBe('1.9G\n');
    expect(await out(`awk -F: '/root/ {print $1, NF}' /etc/passwd`)).toBe('root 7\n');
  });

  it('awk refuses programs beyond field printing with a syntax error', async () => {
    const result = await runExec(`awk 'BEGIN{system("id")}'`, { dataDir: dataDir() });
    expect(result.stderr).toBe('awk: line 1: syntax error at or near B\n');
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
  });
});
