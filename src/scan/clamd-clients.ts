import type { ResolvedConfig } from '../config/schema.js';
import { HoneyscopeError } from '../lib/errors.js';
import { parseClamdAddress, type ClamdAddress } from './clamd/clamd-address.js';
import { clamdAddressesFromConf, confSize, readClamdConf } from './clamd/clamd-conf.js';
import { ClamdClient, type ClamdConnect } from './clamd/client.js';

export interface ClamdClientsOptions {
  /** The `scan` section of the resolved config: address, timeouts and limits. */
  scan: ResolvedConfig['scan'];
  /** An address given on the command line; wins over everything else. */
  clamd?: string;
  /** A clamd.conf to take LocalSocket, TCPSocket/TCPAddr, StreamMaxLength and MaxFileSize from, as clamdscan does. */
  configFile?: string;
  connect?: ClamdConnect;
}

/**
 * The clients to try in order: the --clamd address, else every socket of the
 * clamd.conf (LocalSocket first, as clamdscan), else the config's `scan.clamd`.
 */
export async function createClamdClients(options: ClamdClientsOptions): Promise<ClamdClient[]> {
  const { scan } = options;
  let addresses: ClamdAddress[];
  let streamMaxLength = scan.streamMaxLength;
  let maxFileSize = scan.maxFileSize;
  if (options.clamd !== undefined) {
    addresses = [usageAddress(options.clamd)];
  } else if (options.configFile !== undefined) {
    const conf = await readClamdConf(options.configFile);
    try {
      addresses = clamdAddressesFromConf(conf, options.configFile);
      streamMaxLength = confSize(conf, 'StreamMaxLength', options.configFile) ?? 100 * 1024 * 1024;
      maxFileSize = confSize(conf, 'MaxFileSize', options.configFile) ?? 100 * 1024 * 1024;
    } catch (err) {
      throw new HoneyscopeError('HS_CONFIG_INVALID', (err as SyntaxError).message, { cause: err });
    }
  } else {
    addresses = [parseClamdAddress(scan.clamd)];
  }
  return addresses.map(
    (address) =>
      new ClamdClient({
        address,
        connectTimeoutMs: scan.connectTimeoutMs,
        idleTimeoutMs: scan.idleTimeoutMs,
        totalTimeoutMs: scan.totalTimeoutMs,
        chunkSize: scan.chunkSize,
        streamMaxLength,
        maxFileSize,
        ...(options.connect ? { connect: options.connect } : {}),
      }),
  );
}

function usageAddress(value: string): ClamdAddress {
  try {
    return parseClamdAddress(value);
  } catch (err) {
    throw new HoneyscopeError('HS_USAGE', `Invalid --clamd: ${(err as TypeError).message}`, { cause: err });
  }
}
