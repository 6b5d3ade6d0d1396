import { describe, it, expect } from 'vitest';
import { once } from 'node:events';
import { spawn } from 'node:child_process';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { connect } from 'node:tls';
import { isGrease, parseClientHello, probeClientHello } from './tls-client-hello.js';
import { seededRandom } from '../lib/seeded-random.js';

const GREASE_A = 0x0a0a;
const GREASE_B = 0x9a9a;

function u16(value: number): Buffer {
  return Buffer.from([value >> 8, value & 0xff]);
}

function vector(lengthBytes: 1 | 2, body: Buffer): Buffer {
  return Buffer.concat([lengthBytes === 1 ? Buffer.from([body.length]) : u16(body.length), body]);
}

function u16s(values: number[]): Buffer {
  return Buffer.concat(values.map(u16));
}

interface HelloSpec {
  ciphers: number[];
  extensions: number[];
  sni?: string;
  alpn?: string[];
  versions?: number[];
  sigalgs?: number[];
  /** Bytes per TLS record, to fragment the handshake. */
  recordSize?: number;
}

/** Builds a ClientHello the way a TLS stack lays it out, each extension in the order given. */
function buildClientHello(spec: HelloSpec): Buffer {
  const extBodies = spec.extensions.map((type) => {
    let body: Buffer = Buffer.alloc(0);
    if (type === 0x0000 && spec.sni !== undefined) body = vector(2, Buffer.concat([Buffer.from([0]), vector(2, Buffer.from(spec.sni))]));
    if (type === 0x0010) body = vector(2, Buffer.concat((spec.alpn ?? []).map((p) => vector(1, Buffer.from(p, 'latin1')))));
    if (type === 0x002b) body = vector(1, u16s(spec.versions ?? []));
    if (type === 0x000d) body = vector(2, u16s(spec.sigalgs ?? []));
    return Buffer.concat([u16(type), vector(2, body)]);
  });
  const hello = Buffer.concat([
    u16(0x0303),
    Buffer.alloc(32, 7),
    vector(1, Buffer.alloc(32, 9)),
    vector(2, u16s(spec.ciphers)),
    Buffer.from([1, 0]),
    vector(2, Buffer.concat(extBodies)),
  ]);
  const handshake = Buffer.concat([Buffer.from([1, 0, hello.length >> 8, hello.length & 0xff]), hello]);
  const size = spec.recordSize ?? handshake.length;
  const records: Buffer[] = [];
  for (let i = 0; i < handshake.length; i += size) {
    const part = handshake.subarray(i, i + size);
    records.push(Buffer.from([0x16, 0x03, 0x01]), u16(part.length), part);
  }
  return Buffer.concat(records);
}

const CHROME_CIPHERS = [GREASE_A, 4865, 4866, 4867, 49195, 49199, 49196, 49200, 52393, 52392, 49171, 49172, 156, 157, 47, 53];
const CHROME_SIGALGS = [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601];

/** A Chrome ClientHello as browserleaks.com reported it (ja3_text order plus GREASE). */
const BROWSERLEAKS: HelloSpec = {
  ciphers: CHROME_CIPHERS,
  extensions: [GREASE_A, 45, 51, 16, 65037, 23, 17613, 0, 11, 10, 43, 65281, 35, 18, 5, 13, 27, GREASE_B],
  sni: 'tls.browserleaks.com',
  alpn: ['h2', 'http/1.1'],
  versions: [GREASE_B, 0x0304, 0x0303],
  sigalgs: CHROME_SIGALGS,
};


/** Listens on loopback and resolves with the first bytes a client sends, once they form a whole ClientHello. */
async function captureHello(): Promise<{ port: number; bytes: Promise<Buffer>; server: Server }> {
  let resolveBytes: (b: Buffer) => void = () => undefined;
  const bytes = new Promise<Buffer>((resolve) => {
    resolveBytes = resolve;
  });
  const server = createServer((socket) => {
    let buf = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (probeClientHello(buf) !== 'incomplete') {
        resolveBytes(buf);
        socket.destroy();
      }
    });
    socket.on('error', () => socket.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { port: (server.address() as AddressInfo).port, bytes, server };
}

describe('parseClientHello()', () => {
  it('computes the JA4 browserleaks.com reported for a Chrome ClientHello', () => {
    const hello = parseClientHello(buildClientHello(BROWSERLEAKS));
    expect(hello).toEqual({
      sni: 'tls.browserleaks.com',
      alpn: ['h2', 'http/1.1'],
      versions: ['TLS 1.3', 'TLS 1.2'],
      cipherSuites: CHROME_CIPHERS.slice(1),
      extensions: [45, 51, 16, 65037, 23, 17613, 0, 11, 10, 43, 65281, 35, 18, 5, 13, 27],
      signatureAlgorithms: CHROME_SIGALGS,
      ja4: 't13d1516h2_8daaf6152771_d8a2da3f94cd',
    });
  });

  it('computes the JA4 of the FoxIO spec example', () => {
    const hello = parseClientHello(
      buildClientHello({
        ciphers: CHROME_CIPHERS,
        extensions: [GREASE_A, 0x0000, 0x0017, 0xff01, 0x000a, 0x000b, 0x0023, 0x0010, 0x0005, 0x000d, 0x0012, 0x0033, 0x002d, 0x002b, 0x001b, 0x4469, GREASE_B, 0x0015],
        sni: 'example.com',
        alpn: ['h2', 'http/1.1'],
        versions: [GREASE_B, 0x0304, 0x0303],
        sigalgs: CHROME_SIGALGS,
      }),
    );
    expect(hello?.ja4).toBe('t13d1516h2_8daaf6152771_e5627efa2ab1');
  });

  it('reassembles a ClientHello fragmented over many records', () => {
    const whole = parseClientHello(buildClientHello(BROWSERLEAKS));
    expect(parseClientHello(buildClientHello({ ...BROWSERLEAKS, recordSize: 7 }))).toEqual(whole);
  });

  it('uses the legacy version, i and 00 when there is no SNI, ALPN or supported_versions', () => {
    const hello = parseClientHello(buildClientHello({ ciphers: [0x002f, 0x0035], extensions: [0x000a] }));
    expect(hello).toMatchObject({ versions: ['TLS 1.2'], alpn: [], extensions: [10], signatureAlgorithms: [] });
    expect(hello?.sni).toBeUndefined();
    expect(hello?.ja4.slice(0, 10)).toBe('t12i020100');
  });

  it('writes a non-alphanumeric ALPN as hex and hashes an empty extension list as zeros', () => {
    const hello = parseClientHello(buildClientHello({ ciphers: [0x1301], extensions: [0x0010], alpn: ['\xab\x01'] }));
    expect(hello?.ja4).toBe('t12i0101a1_' + hello?.ja4.slice(11, 23) + '_000000000000');
    expect(parseClientHello(buildClientHello({ ciphers: [], extensions: [] }))?.ja4).toBe('t12i000000_000000000000_000000000000');
  });

  it('returns undefined for non-TLS bytes', () => {
    for (const text of ['', 'GET / HTTP/1.1\r\n\r\n', 'EHLO test.com\r\n', 'SSH-2.0-x\r\n']) {
      expect(parseClientHello(Buffer.from(text))).toBeUndefined();
      expect(probeClientHello(Buffer.from(text))).toBe(text === '' ? 'incomplete' : 'invalid');
    }
    expect(probeClientHello(Buffer.from([0x16, 0x03, 0x01, 0x00, 0x10, 0x02]))).toBe('invalid');
  });

  it('returns undefined for every truncation of a ClientHello, which probes as incomplete', () => {
    const data = buildClientHello({ ...BROWSERLEAKS, recordSize: 100 });
    for (let n = 0; n < data.length; n++) {
      const prefix = data.subarray(0, n);
      expect(parseClientHello(prefix)).toBeUndefined();
      expect(probeClientHello(prefix)).toBe('incomplete');
    }
    expect(probeClientHello(data)).toBe('complete');
  });

  it('never throws or hangs on random or mutated input', () => {
    const random = seededRandom(1);
    const base = buildClientHello(BROWSERLEAKS);
    const started = Date.now();
    for (let n = 0; n < 3000; n++) {
      let data: Buffer;
      if (n % 2 === 0) {
        data = Buffer.from(base);
        for (let k = 0; k < 1 + Math.floor(random() * 4); k++) data[Math.floor(random() * data.length)] = Math.floor(random() * 256);
      } else {
        data = Buffer.alloc(9 + Math.floor(random() * 600));
        for (let i = 0; i < data.length; i++) data[i] = Math.floor(random() * 256);
        // Often a valid record and handshake header, so the body parser is reached.
        if (n % 4 === 1) {
          data.set([0x16, 0x03, 0x01, (data.length - 5) >> 8, (data.length - 5) & 0xff, 0x01, 0, (data.length - 9) >> 8, (data.length - 9) & 0xff], 0);
        }
      }
      const hello = parseClientHello(data);
      if (hello !== undefined) expect(hello.ja4).toMatch(/^t[0-9sd0]{2}[di]\d{4}[0-9a-zA-Z]{2}_[0-9a-f]{12}_[0-9a-f]{12}$/);
      expect(['complete', 'incomplete', 'invalid']).toContain(probeClientHello(data));
    }
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('reads the SNI and ALPN of a real node:tls client', async () => {
    const { port, bytes, server } = await captureHello();
    try {
      const socket = connect({ host: '127.0.0.1', port, servername: 'check.example.com', ALPNProtocols: ['h2', 'http/1.1'] });
      socket.on('error', () => socket.destroy());
      const hello = parseClientHello(await bytes);
      socket.destroy();
      expect(hello).toMatchObject({ sni: 'check.example.com', alpn: ['h2', 'http/1.1'] });
      expect(hello?.versions).toContain('TLS 1.3');
      expect(hello?.ja4).toMatch(/^t13d\d{4}h2_[0-9a-f]{12}_[0-9a-f]{12}$/);
    } finally {
      server.close();
    }
  });

  it('reads the SNI and ALPN of a real openssl s_client', async () => {
    const { port, bytes, server } = await captureHello();
    const child = spawn('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'mail.example.org', '-alpn', 'smtp,x'], {
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    try {
      const hello = parseClientHello(await bytes);
      expect(hello).toMatchObject({ sni: 'mail.example.org', alpn: ['smtp', 'x'] });
      expect(hello?.ja4).toMatch(/^t13d\d{4}sp_[0-9a-f]{12}_[0-9a-f]{12}$/);
    } finally {
      child.kill();
      await once(child, 'exit');
      server.close();
    }
  });
});

describe('isGrease()', () => {
  it('recognises exactly the sixteen GREASE values', () => {
    const all = Array.from({ length: 65536 }, (_, i) => i).filter(isGrease);
    expect(all).toEqual(Array.from({ length: 16 }, (_, i) => i * 0x1010 + 0x0a0a));
  });
});
