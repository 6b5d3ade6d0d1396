import type { Command } from 'commander';
import { HoneyscopeError } from '../../lib/errors.js';
import { createClamdClients } from '../../scan/clamd-clients.js';
import { clamdscan, modsecInspect } from '../../scan/clamdscan.js';
import { resolveConfig } from '../common-options.js';

interface ScanOptions {
  configFile?: string;
  config: string[];
  clamd?: string;
  stream?: boolean;
  fdpass?: boolean;
  multiscan?: boolean;
  allmatch?: boolean;
  infected?: boolean;
  summary: boolean;
  move?: string;
  remove?: boolean;
  stdout?: boolean;
  json?: boolean;
  modsec?: string;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/**
 * `honeyscope scan`: clamdscan's flags, output and exit codes (0 clean,
 * 1 infected, 2 error), plus --json and --modsec for mod_security's @inspectFile.
 */
export function registerScan(program: Command): void {
  program
    .command('scan')
    .description('scan files and directories with clamd, as clamdscan does (exit 0 clean, 1 infected, 2 error)')
    .argument('[paths...]', 'files or directories (recursive; default: the current directory); - for standard input')
    .option('-c, --config-file <clamd.conf>', "clamd's config: LocalSocket, TCPSocket/TCPAddr, StreamMaxLength and MaxFileSize are read from it")
    .option('--config <file>', 'Honeyscope YAML config (repeatable) for scan.clamd and the timeouts', collect, [])
    .option('--clamd <address>', 'clamd socket path or HOST:PORT (overrides both configs)')
    .option('--stream', 'send file contents with INSTREAM instead of letting clamd open the paths')
    .option('--fdpass', 'accepted for clamdscan compatibility: same as --stream (the contents are read here)')
    .option('-m, --multiscan', 'scan in parallel (MULTISCAN, or parallel streams with --stream)')
    .option('-z, --allmatch', 'report every matching signature (ALLMATCHSCAN)')
    .option('-i, --infected', 'print only infected files')
    .option('--no-summary', 'do not print the SCAN SUMMARY block')
    .option('--move <dir>', 'move infected files into DIR')
    .option('--remove', 'remove infected files')
    .option('--stdout', 'write ERROR lines to standard output instead of standard error, as clamdscan does')
    .option('--json', 'print one JSON document instead of clamdscan lines')
    .option('--modsec <file>', "scan one uploaded file and print mod_security @inspectFile's answer: 1 only when clean, 0 otherwise")
    .action(async (paths: string[], opts: ScanOptions) => {
      const config = resolveConfig({ config: opts.config });
      const clients = await createClamdClients({
        scan: config.scan,
        ...(opts.clamd !== undefined ? { clamd: opts.clamd } : {}),
        ...(opts.configFile !== undefined ? { configFile: opts.configFile } : {}),
      });
      if (opts.modsec !== undefined) {
        process.stdout.write(`${await modsecInspect(opts.modsec, clients)}\n`);
        return;
      }
      if (opts.move !== undefined && opts.remove) throw new HoneyscopeError('HS_USAGE', 'Cannot use --move and --remove together');
      // As clamdscan: no paths means the current directory.
      const result = await clamdscan(paths.length > 0 ? paths : [process.cwd()], {
        clients,
        stream: opts.stream === true || opts.fdpass === true,
        multiscan: opts.multiscan === true,
        allmatch: opts.allmatch === true,
        infectedOnly: opts.infected === true,
        summary: opts.summary,
        remove: opts.remove === true,
        json: opts.json === true,
        ...(opts.move !== undefined ? { move: opts.move } : {}),
        stdout: process.stdout,
        stderr: opts.stdout ? process.stdout : process.stderr,
        stdin: process.stdin,
      });
      process.exitCode = result.exitCode;
    });
}
