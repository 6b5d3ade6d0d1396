import type { Command } from '../command.js';
import { downloadTarget } from '../download-target.js';
import { parseFlags } from '../parse-flags.js';

const VALUED = [
  'o', 'A', 'H', 'd', 'X', 'u', 'm', 'e', 'x', 'b', 'c', 'F', 'T', 'w', 'K', 'E', 'r', 'Y', 'y', 'z',
  'output', 'user-agent', 'header', 'data', 'data-raw', 'data-binary', 'request', 'user', 'max-time', 'connect-timeout',
  'referer', 'proxy', 'cookie', 'retry', 'write-out',
];

export const curl: Command = {
  path: '/usr/bin/curl',
  async run(ctx) {
    const { flags, values, operands } = parseFlags(ctx.args, VALUED);
    const silent = flags.has('s') || flags.has('silent');
    const showErrors = !silent || flags.has('S') || flags.has('show-error');
    const remoteName = flags.has('O') || flags.has('remote-name');
    const output = values.get('o') ?? values.get('output');
    const operand = operands[0];
    if (operand === undefined) {
      ctx.stderr("curl: try 'curl --help' or 'curl --manual' for more information\n");
      return 2;
    }
    const target = downloadTarget(operand);
    if (target === undefined) {
      if (showErrors) ctx.stderr(`curl: (3) URL rejected: Malformed input to a URL function\n`);
      return 3;
    }
    const toFile = output !== undefined && output !== '-' ? output : remoteName ? target.fileName : undefined;
    const destfile = toFile === undefined ? undefined : ctx.shell.resolvePath(toFile);
    const outcome = await ctx.shell.download({ url: target.url, destfile }, ctx.signal);
    if (!outcome.ok) {
      const isIp = /^[\d.]+$|:/.test(target.host);
      if (outcome.stage === 'http') {
        if (flags.has('f') || flags.has('fail')) {
          if (showErrors) ctx.stderr(`curl: (22) The requested URL returned error: ${outcome.reason.replace(/^HTTP /, '').split(' ')[0]}\n`);
          return 22;
        }
        return 0;
      }
      if (outcome.stage === 'limit') {
        if (showErrors) ctx.stderr(`curl: (28) Operation timed out after 30001 milliseconds with 0 bytes received\n`);
        return 28;
      }
      if (isIp || outcome.stage === 'connect') {
        if (showErrors) ctx.stderr(`curl: (7) Failed to connect to ${target.host} port ${target.port} after 0 ms: Couldn't connect to server\n`);
        return 7;
      }
      if (showErrors) ctx.stderr(`curl: (6) Could not resolve host: ${target.host}\n`);
      return 6;
    }
    if (toFile === undefined) {
      if (outcome.data !== undefined) ctx.stdout(outcome.data);
      return 0;
    }
    if (!silent) {
      const size = String(outcome.size).padStart(5);
      ctx.stderr(
        '  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n' +
          '                                 Dload  Upload   Total   Spent    Left  Speed\n' +
          `100 ${size}  100 ${size}    0     0  10240      0 --:--:-- --:--:-- --:--:-- 10240\n`,
      );
    }
    return 0;
  },
};
