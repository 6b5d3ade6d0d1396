import { createServer } from 'node:http';
import type { Command } from 'commander';
import { splitHostPort } from '../../config/sections/host-port.js';
import { HoneyscopeError } from '../../lib/errors.js';
import { createLogger } from '../../lib/logger.js';
import { createClamdClients } from '../../scan/clamd-clients.js';
import { createUploadGuard } from '../../scan/guard/upload-guard.js';
import { resolveConfig } from '../common-options.js';
import { untilSignal } from '../sensor-runtime.js';
import { listenOn } from '../../lib/listen-on.js';

interface GuardOptions {
  upstream: string;
  listen: string;
  failOpen?: boolean;
  maxBody?: string;
  clamd?: string;
  configFile?: string;
  config: string[];
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `honeyscope guard`: a reverse proxy that scans every upload with clamd before passing it on. */
export function registerGuard(program: Command): void {
  program
    .command('guard')
    .description('reverse proxy that scans every multipart part and request body with clamd (403 infected, 503 scanner error, 413 too large)')
    .requiredOption('--upstream <url>', 'the web application to protect, e.g. http://127.0.0.1:8081')
    .requiredOption('--listen <host:port>', 'where the guard listens')
    .option('--fail-open', 'pass requests on when the scanner fails (default: 503)')
    .option('--max-body <bytes>', 'largest request body accepted (default: scan.guard.maxBodyBytes)')
    .option('--clamd <address>', 'clamd socket path or HOST:PORT')
    .option('-c, --config-file <clamd.conf>', "clamd's config, for its socket and limits")
    .option('--config <file>', 'Honeyscope YAML config (repeatable)', collect, [])
    .action(async (opts: GuardOptions) => {
      const config = resolveConfig({ config: opts.config });
      const logger = createLogger({ level: config.core.logLevel, name: 'guard' });
      let upstream: URL;
      try {
        upstream = new URL(opts.upstream);
      } catch (err) {
        throw new HoneyscopeError('HS_USAGE', `Invalid --upstream "${opts.upstream}": expected an http:// or https:// URL`, { cause: err });
      }
      if (upstream.protocol !== 'http:' && upstream.protocol !== 'https:') throw new HoneyscopeError('HS_USAGE', `Invalid --upstream "${opts.upstream}": expected an http:// or https:// URL`);
      const maxBodyBytes = opts.maxBody === undefined ? config.scan.guard.maxBodyBytes : Number(opts.maxBody);
      if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1) throw new HoneyscopeError('HS_USAGE', `Invalid --max-body "${opts.maxBody}": expected a positive number of bytes`);
      const { host, port } = splitHostPort(opts.listen);
      if (!Number.isInteger(port) || port < 0 || port > 65535 || !/:\d+$/.test(opts.listen)) throw new HoneyscopeError('HS_USAGE', `Invalid --listen "${opts.listen}": expected HOST:PORT`);
      const [scanner] = await createClamdClients({
        scan: config.scan,
        ...(opts.clamd !== undefined ? { clamd: opts.clamd } : {}),
        ...(opts.configFile !== undefined ? { configFile: opts.configFile } : {}),
      });
      const guard = await createUploadGuard({ upstream, scanner: scanner!, maxBodyBytes, failOpen: opts.failOpen === true || config.scan.guard.failOpen, logger });
      const server = createServer((req, res) => guard.handle(req, res));
      await listenOn(server, host, port, '--listen');
      const address = server.address();
      const shown = address && typeof address === 'object' ? `${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}` : opts.listen;
      process.stdout.write(`guard on http://${shown}/ -> ${upstream.href} (clamd ${scanner!.label})\n`);
      const signal = await untilSignal();
      logger.info({ signal }, 'shutting down');
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await guard.close();
    });
}
