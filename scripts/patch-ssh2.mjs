// Small, justified changes to ssh2, applied at postinstall. Each one replaces an
// exact piece of ssh2's code, idempotently, and the script fails loudly if
// ssh2's code is not what it expects (review this file when ssh2 changes).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const root = dirname(require.resolve('ssh2/package.json'));

const patches = [
  {
    // ssh2's server drops a connection (PROTOCOL_ERROR) when a client changes the user
    // name between authentication attempts. RFC 4252 §5 allows that change, and
    // brute-forcing bots do it all the time (root, then admin, then ubnt, ... on one
    // connection), so a honeypot must accept it.
    file: 'lib/server.js',
    what: 'the user-name check',
    done: 'ssh2 server accepts a changed user name between attempts',
    original: `              || (authCtx
                  && (authCtx.username !== username
                      || authCtx.service !== service))`,
    patched: `              || (authCtx && authCtx.service !== service) /* honeyscope: user name may change (RFC 4252 §5) */`,
  },
  {
    // curve25519 key exchange: ssh2 wraps the peer's 32 raw public-key bytes in
    // SPKI DER to import them; with OpenSSL 3 the DER decoder costs about 100 µs,
    // more than the X25519 arithmetic itself, while the JWK form hands the same
    // bytes straight to EVP_PKEY_new_raw_public_key (about 10 µs). Same key, same
    // errors for malformed input (a wrong length is still rejected). Our own
    // ephemeral key stays exported as SPKI: exporting a generateKeyPairSync key as
    // JWK can deadlock Node 20 (the export holds the key's mutex while allocating,
    // and a GC then finalises the key-generation job, which takes the same mutex).
    file: 'lib/protocol/kex.js',
    what: 'the curve25519 peer key import',
    done: 'curve25519 imports the peer key raw',
    original: `      try {
        const asnWriter = new Ber.Writer();
        asnWriter.startSequence();
          // algorithm
          asnWriter.startSequence();
            asnWriter.writeOID('1.3.101.110'); // id-X25519
          asnWriter.endSequence();

          // PublicKey
          asnWriter.startSequence(Ber.BitString);
            asnWriter.writeByte(0x00);
            // XXX: hack to write a raw buffer without a tag -- yuck
            asnWriter._ensure(otherPublicKey.length);
            otherPublicKey.copy(asnWriter._buf,
                                asnWriter._offset,
                                0,
                                otherPublicKey.length);
            asnWriter._offset += otherPublicKey.length;
          asnWriter.endSequence();
        asnWriter.endSequence();

        return convertToMpint(diffieHellman({
          privateKey: this._keys.privateKey,
          publicKey: createPublicKey({
            key: asnWriter.buffer,
            type: 'spki',
            format: 'der',
          }),
        }));`,
    patched: `      try {
        // honeyscope: raw key through JWK, not SPKI DER (scripts/patch-ssh2.mjs)
        return convertToMpint(diffieHellman({
          privateKey: this._keys.privateKey,
          publicKey: createPublicKey({
            key: { kty: 'OKP', crv: 'X25519', x: otherPublicKey.toString('base64url') },
            format: 'jwk',
          }),
        }));`,
  },
  {
    // curve25519 key exchange, our side: ssh2 exports the ephemeral public key as
    // SPKI DER and keeps the last 32 bytes; OpenSSL 3's encoder costs about 100 µs
    // for that, the largest single item in a connection's CPU. X25519(private, 9)
    // is the public key by definition (RFC 7748 §6.1): one scalar multiplication,
    // about 40 µs, and the same 32 bytes (a test compares both). JWK export would
    // be cheaper still but can deadlock Node 20 (see the peer key patch).
    file: 'lib/protocol/kex.js',
    what: 'the curve25519 public key export',
    done: 'curve25519 computes its public key instead of exporting it',
    original: `      const key = this._keys.publicKey.export({ type: 'spki', format: 'der' });
      return key.slice(-32); // HACK: avoids parsing DER/BER header`,
    patched: `      // honeyscope: X25519(private, 9), not OpenSSL's SPKI encoder (scripts/patch-ssh2.mjs)
      const basePoint = Curve25519Exchange.basePoint || (Curve25519Exchange.basePoint = createPublicKey({
        key: { kty: 'OKP', crv: 'X25519', x: 'CQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
        format: 'jwk',
      }));
      return diffieHellman({ privateKey: this._keys.privateKey, publicKey: basePoint });`,
  },
  {
    // ssh2's ed25519 key generator drops every leading zero byte of the SPKI BIT
    // STRING, meant to drop only its "unused bits" byte; a public key that itself
    // starts with 0x00 (one in 256) loses it, and the key written is malformed:
    // ssh2 cannot parse it back, so a sensor that made such a host key on its
    // first start could never start again. The content is always that one byte
    // and the 32-byte key.
    file: 'lib/keygen.js',
    what: 'the ed25519 public key extraction',
    done: 'ed25519 key generation keeps a public key that starts with a zero byte',
    original: `      let pubBin = reader.readString(Ber.BitString, true);
      {
        // Remove leading zero bytes
        let i = 0;
        for (; i < pubBin.length && pubBin[i] === 0x00; ++i);
        if (i > 0)
          pubBin = pubBin.slice(i);
      }

      // Parse private key
      reader = new Ber.Reader(priv);
      reader.readSequence();

      // - Version
      if (reader.readInt() !== 0)
        throw new Error('Unsupported version in ED25519 private key');`,
    patched: `      // honeyscope: drop the unused-bits byte only; the key may start with 0x00 (scripts/patch-ssh2.mjs)
      const pubBin = reader.readString(Ber.BitString, true).slice(1);

      // Parse private key
      reader = new Ber.Reader(priv);
      reader.readSequence();

      // - Version
      if (reader.readInt() !== 0)
        throw new Error('Unsupported version in ED25519 private key');`,
  },
  {
    // ssh2 fills each packet's 4-19 bytes of padding with its own randomFillSync
    // call, a synchronous crypto job through OpenSSL's locked DRBG (and a getpid
    // for its fork check): about ten per connection before the login is refused.
    // One call fills a 4 KB pool that serves a few hundred packets; every byte
    // still comes from the CSPRNG and is used once.
    file: 'lib/protocol/crypto.js',
    what: 'the crypto imports',
    done: 'packet padding comes from a pooled CSPRNG buffer',
    original: `const {
  createCipheriv, createDecipheriv, createHmac, randomFillSync, timingSafeEqual
} = require('crypto');`,
    patched: `const {
  createCipheriv, createDecipheriv, createHmac, timingSafeEqual
} = require('crypto');
// honeyscope: padding from a pooled CSPRNG buffer (scripts/patch-ssh2.mjs)
const randomFillSync = (() => {
  const fill = require('crypto').randomFillSync;
  const pool = Buffer.allocUnsafe(4096);
  let used = pool.length;
  return (buf, offset, size) => {
    if (size > pool.length)
      return fill(buf, offset, size);
    if (used + size > pool.length) {
      fill(pool);
      used = 0;
    }
    pool.copy(buf, offset, used, used + size);
    used += size;
    return buf;
  };
})();`,
  },
  {
    // ssh2 drops a connection whose packet is over 35,000 bytes, the least RFC 4253
    // §6.1 requires. OpenSSH takes up to 256 KB, so a bot's exec request carrying a
    // large payload (echo <base64> | base64 -d > f) reaches a real server, and here it
    // killed the session before the command was logged: padding a command past
    // 35 KB hid it from the honeypot and told the bot this is not sshd. The shell
    // still keeps at most shell.maxInputBytes of it.
    file: 'lib/protocol/crypto.js',
    what: 'the packet size limit',
    done: 'packets up to 256 KB, as OpenSSH',
    original: `const MAX_PACKET_SIZE = 35000;`,
    patched: `const MAX_PACKET_SIZE = 256 * 1024; // honeyscope: as OpenSSH's PACKET_MAX_SIZE (scripts/patch-ssh2.mjs)`,
  },
];

const sources = new Map();
const changed = new Set();
for (const patch of patches) {
  const file = join(root, patch.file);
  const source = sources.get(file) ?? readFileSync(file, 'utf8');
  sources.set(file, source);
  if (source.includes(patch.patched)) continue;
  if (!source.includes(patch.original)) {
    console.error(`patch-ssh2: cannot find ${patch.what} in ${file}; ssh2 changed, review scripts/patch-ssh2.mjs`);
    process.exit(1);
  }
  sources.set(file, source.replace(patch.original, patch.patched));
  changed.add(file);
  console.error(`patch-ssh2: ${patch.done}`);
}
for (const file of changed) writeFileSync(file, sources.get(file));
