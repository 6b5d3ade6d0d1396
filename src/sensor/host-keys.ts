import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { HoneyscopeError } from '../lib/errors.js';

export type HostKeyType = 'ed25519' | 'ecdsa' | 'rsa';

/**
 * Loads the host keys from DATA/keys/, making the missing ones on first start
 * (OpenSSH format, mode 0600), so the sensor keeps one identity across restarts.
 */
export async function loadHostKeys(dataDir: string, types: readonly HostKeyType[]): Promise<Buffer[]> {
  const dir = join(dataDir, 'keys');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const keys: Buffer[] = [];
  for (const type of types) {
    const path = join(dir, `ssh_host_${type}_key`);
    let key = await readFile(path).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      throw new HoneyscopeError('HS_IO', `Cannot read host key "${path}": ${err.code ?? err.message}`, { cause: err });
    });
    if (!key) {
      const pair = type === 'rsa'
        ? ssh2.utils.generateKeyPairSync('rsa', { bits: 3072 })
        : type === 'ecdsa'
          ? ssh2.utils.generateKeyPairSync('ecdsa', { bits: 256 })
          : ssh2.utils.generateKeyPairSync('ed25519');
      key = Buffer.from(pair.private);
      await writeFile(path, key, { mode: 0o600, flag: 'wx' });
      await writeFile(`${path}.pub`, `${pair.public}\n`, { mode: 0o644 });
    }
    const parsed = ssh2.utils.parseKey(key);
    if (parsed instanceof Error) throw new HoneyscopeError('HS_IO', `Cannot parse host key "${path}": ${parsed.message}`);
    keys.push(key);
  }
  return keys;
}
