// ssh2's server drops a connection (PROTOCOL_ERROR) when a client changes the user
// name between authentication attempts. RFC 4252 §5 allows that change, and
// brute-forcing bots do it all the time (root, then admin, then ubnt, ... on one
// connection), so a honeypot must accept it. This replaces that one condition,
// idempotently, and fails loudly if ssh2's code is not what it expects.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const file = join(dirname(require.resolve('ssh2/package.json')), 'lib', 'server.js');
const ORIGINAL = `              || (authCtx
                  && (authCtx.username !== username
                      || authCtx.service !== service))`;
const PATCHED = `              || (authCtx && authCtx.service !== service) /* honeyscope: user name may change (RFC 4252 §5) */`;

const source = readFileSync(file, 'utf8');
if (source.includes(PATCHED)) process.exit(0);
if (!source.includes(ORIGINAL)) {
  console.error(`patch-ssh2: cannot find the user-name check in ${file}; ssh2 changed, review scripts/patch-ssh2.mjs`);
  process.exit(1);
}
writeFileSync(file, source.replace(ORIGINAL, PATCHED));
console.error('patch-ssh2: ssh2 server accepts a changed user name between attempts');
