import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, relative } from 'node:path';

/**
 * The sensor never opens a real outbound connection for a tunnel (DESIGN.md,
 * invariant 1). At the source level: no shipped file of the tunnel emulators
 * or the protocol parsers may reach a network client API. Tests are exempt:
 * they start real TLS clients on loopback to produce real ClientHellos.
 */
const HERE = dirname(fileURLToPath(import.meta.url));
const ROOTS = [HERE, join(HERE, '..', '..', 'protocols')];
const FORBIDDEN_MODULES = ['net', 'tls', 'http', 'https', 'http2', 'dns', 'dgram', 'child_process', 'undici'];
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;
const GLOBAL_CLIENTS = /\b(?:fetch|WebSocket|EventSource|XMLHttpRequest)\s*\(/;

/** The forbidden network reaches in one source text. */
function networkReaches(source: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(SPECIFIER)) {
    const specifier = match[1] ?? '';
    const bare = specifier.replace(/^node:/, '').split('/')[0] ?? '';
    if (FORBIDDEN_MODULES.includes(bare)) found.push(specifier);
  }
  const global = GLOBAL_CLIENTS.exec(source);
  if (global !== null) found.push(global[0]);
  return found;
}

function shippedSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'testdata' ? [] : shippedSources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('tunnel emulators and protocol parsers', () => {
  it('import no network client module and call no global network client', () => {
    const files = ROOTS.flatMap(shippedSources);
    expect(files.length).toBeGreaterThanOrEqual(10);
    const offenders = files.flatMap((file) => networkReaches(readFileSync(file, 'utf8')).map((what) => `${relative(HERE, file)}: ${what}`));
    expect(offenders).toEqual([]);
  });

  it('networkReaches() spots every import form and global client', () => {
    expect(
      networkReaches(
        [
          "import { connect } from 'node:net';",
          'import * as tls from "tls";',
          "import 'node:dns/promises';",
          "const h = await import('node:https');",
          "const d = require('dgram');",
          "import { request } from 'undici';",
          "await fetch('http://x')",
        ].join('\n'),
      ),
    ).toEqual(['node:net', 'tls', 'node:dns/promises', 'node:https', 'dgram', 'undici', 'fetch(']);
    expect(networkReaches("import { createHash } from 'node:crypto';\nimport type { X } from './net-thing.js';")).toEqual([]);
  });
});
