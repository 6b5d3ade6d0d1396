import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createPrivateKey, sign as cryptoSign } from 'node:crypto';
import ssh2, { type ParsedKey } from 'ssh2';
import { HoneyscopeError } from '../lib/errors.js';

export type HostKeyType = 'ed25519' | 'ecdsa' | 'rsa';

/**
 * Loads the host keys from DATA/keys/, making the missing ones on first start
 * (OpenSSH format, mode 0600), so the sensor keeps one identity across restarts.
 */
export async function loadHostKeys(dataDir: string, types: readonly HostKeyType[]): Promise<ParsedKey[]> {
  const dir = join(dataDir, 'keys');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const keys: ParsedKey[] = [];
  for (const type of types) {
    const path = join(dir, `ssh_host_${type}_key`);
    const key = await readFile(path).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      throw new HoneyscopeError('HS_IO', `Cannot read host key "${path}": ${err.code ?? err.message}`, { cause: err });
    });
    if (!key) {
      const pair = type === 'rsa'
        ? ssh2.utils.generateKeyPairSync('rsa', { bits: 3072 })
        : type === 'ecdsa'
          ? ssh2.utils.generateKeyPairSync('ecdsa', { bits: 256 })
          : ssh2.utils.generateKeyPairSync('ed25519');
      const made = ssh2.utils.parseKey(pair.private);
      // Checked before it is written: a key on disk that cannot be read would stop every later start.
      if (made instanceof Error) throw new HoneyscopeError('HS_IO', `Cannot make a ${type} host key: ssh2 made one it cannot read (${made.message})`);
      await writeFile(path, pair.private, { mode: 0o600, flag: 'wx' });
      await writeFile(`${path}.pub`, `${pair.public}\n`, { mode: 0o644 });
      keys.push(withCachedSigner(made, Buffer.from(pair.private)));
      continue;
    }
    const parsed = ssh2.utils.parseKey(key);
    if (parsed instanceof Error) {
      throw new HoneyscopeError(
        'HS_IO',
        `Cannot parse host key "${path}": ${parsed.message}; expected an unencrypted private key in OpenSSH or PEM form (move it away and the sensor makes a new one)`,
      );
    }
    keys.push(withCachedSigner(parsed, key));
  }
  return keys;
}

/**
 * ssh2 signs with the key's PEM text, so OpenSSL parses the key again for every
 * connection (about 18 times the cost of the signature itself for ed25519).
 * Signing with one KeyObject made at start-up gives the same signatures.
 */
function withCachedSigner(parsed: ParsedKey, pem: Buffer): ParsedKey {
  const keyObject = createPrivateKey(pem.toString().includes('OPENSSH PRIVATE KEY') ? parsed.getPrivatePEM() : pem);
  const defaultHash = hashFor(parsed.type);
  parsed.sign = function sign(data: Buffer, algo?: string): Buffer {
    const hash = algo ?? defaultHash;
    return cryptoSign(hash ?? null, data, keyObject);
  } as ParsedKey['sign'];
  return parsed;
}

function hashFor(type: string): string | undefined {
  if (type === 'ssh-ed25519') return undefined;
  if (type === 'ecdsa-sha2-nistp256') return 'sha256';
  if (type === 'ecdsa-sha2-nistp384') return 'sha384';
  if (type === 'ecdsa-sha2-nistp521') return 'sha512';
  return 'sha1';
}
