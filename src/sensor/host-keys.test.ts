import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { loadHostKeys } from './host-keys.js';

describe('loadHostKeys()', () => {
  it('makes the keys once, private ones mode 0600, and keeps them across starts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hs-keys-'));
    try {
      await loadHostKeys(dir, ['ed25519', 'ecdsa']);
      const first = readFileSync(join(dir, 'keys', 'ssh_host_ed25519_key'), 'utf8');
      expect(statSync(join(dir, 'keys', 'ssh_host_ed25519_key')).mode & 0o777).toBe(0o600);
      await loadHostKeys(dir, ['ed25519', 'ecdsa']);
      expect(readFileSync(join(dir, 'keys', 'ssh_host_ed25519_key'), 'utf8')).toBe(first);
      expect(readFileSync(join(dir, 'keys', 'ssh_host_ecdsa_key.pub'), 'utf8')).toMatch(/^ecdsa-sha2-nistp256 /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names a key file it cannot read and says how to replace it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hs-keys-'));
    try {
      mkdirSync(join(dir, 'keys'));
      const path = join(dir, 'keys', 'ssh_host_ed25519_key');
      writeFileSync(path, '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n');
      await expect(loadHostKeys(dir, ['ed25519'])).rejects.toThrow(`Cannot parse host key "${path}"`);
      await expect(loadHostKeys(dir, ['ed25519'])).rejects.toThrow('move it away and the sensor makes a new one');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('signs so that clients verify the key exchange with every key type', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hs-keys-'));
    const keys = await loadHostKeys(dir, ['ed25519', 'ecdsa', 'rsa']);
    const server = new ssh2.Server({ hostKeys: keys.map((key) => ({ key })) }, (client) => {
      client.on('authentication', (ctx) => ctx.accept());
      client.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      for (const algo of ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'rsa-sha2-512', 'rsa-sha2-256'] as const) {
        const seen = await new Promise<string>((resolve, reject) => {
          const c = new ssh2.Client();
          c.on('handshake', (negotiated) => {
            c.end();
            resolve(negotiated.serverHostKey);
          });
          c.on('error', reject);
          c.connect({ host: '127.0.0.1', port, username: 'u', password: 'p', algorithms: { serverHostKey: [algo] } });
        });
        expect(seen).toBe(algo);
      }
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
