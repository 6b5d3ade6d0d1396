import { posix } from 'node:path';
import type { Command, CommandContext } from '../command.js';
import { downloadTarget, wgetClock } from '../download-target.js';
import { parseFlags } from '../parse-flags.js';

const VALUED = ['O', 'o', 'P', 'U', 'T', 't', 'e', 'a', 'output-document', 'directory-prefix', 'user-agent', 'header', 'tries', 'timeout'];

export const wget: Command = {
  path: '/usr/bin/wget',
  async run(ctx) {
    const { flags, values, operands } = parseFlags(ctx.args, VALUED);
    const quiet = flags.has('q') || flags.has('quiet');
    if (operands.length === 0) {
      ctx.stderr("wget: missing URL\nUsage: wget [OPTION]... [URL]...\n\nTry `wget --help' for more options.\n");
      return 1;
    }
    const output = values.get('O') ?? values.get('output-document');
    const prefix = values.get('P') ?? values.get('directory-prefix');
    let status = 0;
    for (const operand of operands) {
      status = await fetchOne(ctx, operand, { output, prefix, quiet });
    }
    return status;
  },
};

async function fetchOne(ctx: CommandContext, operand: string, options: { output: string | undefined; prefix: string | undefined; quiet: boolean }): Promise<number> {
  const log = (text: string): void => {
    if (!options.quiet) ctx.stderr(text);
  };
  const target = downloadTarget(operand);
  if (target === undefined) {
    log(`${operand}: Invalid URL ${operand}: Invalid host name\n`);
    return 1;
  }
  const toStdout = options.output === '-';
  const name = options.output ?? target.fileName;
  const destfile = toStdout ? undefined : ctx.shell.resolvePath(options.prefix !== undefined ? posix.join(options.prefix, name) : name);
  log(`--${wgetClock(ctx.shell.now())}--  ${target.url}\n`);
  const outcome = await ctx.shell.download({ url: target.url, destfile }, ctx.signal);
  const isIp = /^[\d.]+$|:/.test(target.host);
  if (!outcome.ok) {
    if (outcome.stage === 'http') {
      log(`Connecting to ${target.host}:${target.port}... connected.\nHTTP request sent, awaiting response... ${outcome.reason.replace(/^HTTP /, '')}\n`);
      log(`${wgetClock(ctx.shell.now())} ERROR ${outcome.reason.replace(/^HTTP /, '')}.\n\n`);
      return 8;
    }
    if (isIp || outcome.stage === 'connect' || outcome.stage === 'limit') {
      log(`Connecting to ${target.host}:${target.port}... failed: Connection refused.\n`);
      return 4;
    }
    log(`Resolving ${target.host} (${target.host})... failed: Temporary failure in name resolution.\nwget: unable to resolve host address '${target.host}'\n`);
    return 4;
  }
  const shown = toStdout ? '-' : name;
  log(
    `${isIp ? '' : `Resolving ${target.host} (${target.host})... ${outcome.address}\n`}` +
      `Connecting to ${target.host}${isIp ? '' : ` (${target.host})|${outcome.address}|`}:${target.port}... connected.\n` +
      `HTTP request sent, awaiting response... 200 OK\nLength: ${outcome.size} [${outcome.contentType ?? 'application/octet-stream'}]\n` +
      `Saving to: '${shown}'\n\n` +
      `${shown.padEnd(18).slice(0, 18)}  100%[===================>] ${String(outcome.size).padStart(8)}  --.-KB/s    in 0s\n\n` +
      `${wgetClock(ctx.shell.now())} (1.00 MB/s) - '${shown}' saved [${outcome.size}/${outcome.size}]\n\n`,
  );
  if (toStdout && outcome.data !== undefined) ctx.stdout(outcome.data);
  return 0;
}
