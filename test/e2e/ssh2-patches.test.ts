import { diffieHellman, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import ssh2 from 'ssh2';
import { describe, expect, it } from 'vitest';

const ssh2Root = dirname(createRequire(import.meta.url).resolve('ssh2/package.json'));

describe('ssh2 as scripts/patch-ssh2.mjs leaves it', () => {
  it('carries every patch', () => {
    const patched = ['lib/server.js', 'lib/protocol/kex.js', 'lib/protocol/crypto.js', 'lib/keygen.js'].map((f) => readFileSync(join(ssh2Root, f), 'utf8'));
    expect(patched.join('\n').match(/honeyscope:/g)).toHaveLength(6);
  });

  it('makes ed25519 keys it can read back, those whose public key starts with a zero byte included', () => {
    // One key in 256 starts with 0x00; unpatched, 3000 keys miss every one of them with odds of 1 in 100,000.
    for (let i = 0; i < 3000; i += 1) {
      const pair = ssh2.utils.generateKeyPairSync('ed25519');
      const key = ssh2.utils.parseKey(pair.private);
      if (key instanceof Error) throw key;
      // string "ssh-ed25519", then the key's length.
      expect(key.getPublicSSH().readUInt32BE(15)).toBe(32);
    }
  });

  it('X25519(private, 9) is the public key OpenSSL exports', () => {
    const basePoint = createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: Buffer.from([9, ...new Array(31).fill(0)]).toString('base64url') }, format: 'jwk' });
    for (let i = 0; i < 50; i += 1) {
      const { privateKey, publicKey } = generateKeyPairSync('x25519');
      expect(diffieHellman({ privateKey, publicKey: basePoint })).toEqual(publicKey.export({ type: 'spki', format: 'der' }).subarray(-32));
    }
  });

  it('completes a curve25519 key exchange and a user-name change between attempts', async () => {
    const hostKey = ssh2.utils.generateKeyPairSync('ed25519').private;
    const users: string[] = [];
    const server = new ssh2.Server({ hostKeys: [hostKey], algorithms: { kex: ['curve25519-sha256'] } }, (client) => {
      client.on('authentication', (ctx) => {
        users.push(ctx.username);
        if (ctx.method === 'password' && ctx.password === 'right') ctx.accept();
        else ctx.reject(['password']);
      });
      client.on('ready', () => client.end());
      client.on('error', () => undefined);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const client = new ssh2.Client();
      let tries = 0;
      const ready = new Promise<string>((resolve, reject) => {
        client.on('handshake', (n) => resolve(n.kex));
        client.on('error', reject);
      });
      client.connect({
        host: '127.0.0.1',
        port: (server.address() as AddressInfo).port,
        username: 'root',
        authHandler: (_methods, _partial, next) => {
          tries += 1;
          if (tries === 1) next({ type: 'password', username: 'root', password: 'wrong' });
          else next({ type: 'password', username: 'admin', password: 'right' });
        },
      });
      expect(await ready).toBe('curve25519-sha256');
      await once(client, 'ready');
      client.end();
      expect(users).toEqual(['root', 'admin']);
    } finally {
      server.close();
    }
  });
});
