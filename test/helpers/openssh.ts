import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

export const SSH_OPTIONS = [
  '-o', 'StrictHostKeyChecking=no',
  '-o', 'UserKnownHostsFile=/dev/null',
  '-o', 'LogLevel=ERROR',
  '-o', 'PreferredAuthentications=password',
  '-o', 'PubkeyAuthentication=no',
  '-o', 'ConnectTimeout=10',
  '-o', 'NumberOfPasswordPrompts=1',
];

/** The real OpenSSH client, with sshpass giving the password; `command` goes after the destination. */
export function ssh(port: number, password: string, options: string[], command?: string): ChildProcessWithoutNullStreams {
  const tail = command === undefined ? [] : [command];
  return spawn('sshpass', ['-p', password, 'ssh', ...SSH_OPTIONS, '-p', String(port), ...options, 'root@127.0.0.1', ...tail], { stdio: 'pipe' });
}

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs to the end, with `input` on stdin, and collects its output. */
export function finish(child: ChildProcessWithoutNullStreams, input?: string | Buffer, timeoutMs = 20_000): Promise<Finished> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`ssh did not finish within ${timeoutMs} ms; stdout: ${stdout}; stderr: ${stderr}`));
    }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('latin1')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    if (input !== undefined) child.stdin.end(input);
  });
}
