import { createHash } from 'node:crypto';

/** A TLS ClientHello as the client sent it. GREASE values are left out of every list. */
export interface ClientHello {
  /** The first host_name of the server_name extension. */
  sni?: string;
  /** ALPN protocol names in order. */
  alpn: string[];
  /** Offered versions, newest first as sent (`TLS 1.3`, `TLS 1.2`, ...); the legacy version when no supported_versions. */
  versions: string[];
  cipherSuites: number[];
  /** Extension types in wire order. */
  extensions: number[];
  signatureAlgorithms: number[];
  /** JA4 fingerprint (FoxIO), e.g. `t13d1516h2_8daaf6152771_e5627efa2ab1`. */
  ja4: string;
}

/** Where a buffer stands on the way to a whole ClientHello. */
export type ClientHelloProbe = 'complete' | 'incomplete' | 'invalid';

const RECORD_HANDSHAKE = 0x16;
const HANDSHAKE_CLIENT_HELLO = 0x01;
const EXT_SERVER_NAME = 0x0000;
const EXT_SIGNATURE_ALGORITHMS = 0x000d;
const EXT_ALPN = 0x0010;
const EXT_SUPPORTED_VERSIONS = 0x002b;
/** A ClientHello longer than this is not one a client sends. */
const MAX_HELLO_BYTES = 64 * 1024;

const VERSION_NAMES: ReadonlyMap<number, string> = new Map([
  [0x0304, 'TLS 1.3'],
  [0x0303, 'TLS 1.2'],
  [0x0302, 'TLS 1.1'],
  [0x0301, 'TLS 1.0'],
  [0x0300, 'SSL 3.0'],
  [0x0002, 'SSL 2.0'],
  [0xfeff, 'DTLS 1.0'],
  [0xfefd, 'DTLS 1.2'],
  [0xfefc, 'DTLS 1.3'],
]);

const JA4_VERSIONS: ReadonlyMap<number, string> = new Map([
  [0x0304, '13'],
  [0x0303, '12'],
  [0x0302, '11'],
  [0x0301, '10'],
  [0x0300, 's3'],
  [0x0002, 's2'],
  [0xfeff, 'd1'],
  [0xfefd, 'd2'],
  [0xfefc, 'd3'],
]);

/** GREASE values (RFC 8701): 0x0a0a, 0x1a1a, ... 0xfafa. */
export function isGrease(value: number): boolean {
  return (value & 0x0f0f) === 0x0a0a && value >> 8 === (value & 0xff);
}

/** Bounds-checked big-endian reads over a byte range; `undefined` past the end. */
class Reader {
  pos: number;
  readonly #data: Uint8Array;
  readonly #end: number;

  constructor(data: Uint8Array, start: number, end: number) {
    this.#data = data;
    this.pos = start;
    this.#end = end;
  }

  get remaining(): number {
    return this.#end - this.pos;
  }

  u8(): number | undefined {
    if (this.remaining < 1) return undefined;
    return this.#data[this.pos++];
  }

  u16(): number | undefined {
    if (this.remaining < 2) return undefined;
    const value = ((this.#data[this.pos] ?? 0) << 8) | (this.#data[this.pos + 1] ?? 0);
    this.pos += 2;
    return value;
  }

  u24(): number | undefined {
    if (this.remaining < 3) return undefined;
    const value = ((this.#data[this.pos] ?? 0) << 16) | ((this.#data[this.pos + 1] ?? 0) << 8) | (this.#data[this.pos + 2] ?? 0);
    this.pos += 3;
    return value;
  }

  /** A sub-reader over the next `length` bytes, or undefined if they are not all there. */
  take(length: number): Reader | undefined {
    if (this.remaining < length) return undefined;
    const sub = new Reader(this.#data, this.pos, this.pos + length);
    this.pos += length;
    return sub;
  }

  bytes(): Uint8Array {
    return this.#data.subarray(this.pos, this.#end);
  }
}

/**
 * Joins the payloads of the leading handshake records (a ClientHello may be
 * fragmented over several) until the handshake message is whole.
 */
function handshakeMessage(data: Uint8Array): { status: ClientHelloProbe; body?: Uint8Array } {
  if (data.length === 0) return { status: 'incomplete' };
  if (data[0] !== RECORD_HANDSHAKE) return { status: 'invalid' };
  if (data.length >= 2 && data[1] !== 0x03) return { status: 'invalid' };
  const parts: Uint8Array[] = [];
  let have = 0;
  let need: number | undefined;
  const reader = new Reader(data, 0, data.length);
  for (;;) {
    if (need !== undefined && have >= need) break;
    if (reader.remaining === 0) return { status: 'incomplete' };
    const type = reader.u8();
    if (type !== RECORD_HANDSHAKE) return { status: 'invalid' };
    const major = reader.u8();
    if (major === undefined) return { status: 'incomplete' };
    if (major !== 0x03) return { status: 'invalid' };
    if (reader.u8() === undefined) return { status: 'incomplete' };
    const length = reader.u16();
    if (length === undefined) return { status: 'incomplete' };
    if (length === 0 || length > 0x4000 + 2048) return { status: 'invalid' };
    const payload = reader.take(length);
    if (payload === undefined) {
      // Enough of a partial first record may already show it is no ClientHello.
      const partial = reader.bytes();
      if (have === 0 && partial.length > 0 && partial[0] !== HANDSHAKE_CLIENT_HELLO) return { status: 'invalid' };
      return { status: 'incomplete' };
    }
    parts.push(payload.bytes());
    have += length;
    if (need === undefined && have >= 4) {
      const head = Buffer.concat(parts, 4);
      if (head[0] !== HANDSHAKE_CLIENT_HELLO) return { status: 'invalid' };
      need = 4 + (((head[1] ?? 0) << 16) | ((head[2] ?? 0) << 8) | (head[3] ?? 0));
      if (need > MAX_HELLO_BYTES) return { status: 'invalid' };
    }
  }
  return { status: 'complete', body: Buffer.concat(parts, have).subarray(4, need) };
}

/** Whether `data` holds a whole ClientHello, the start of one, or something else. */
export function probeClientHello(data: Uint8Array): ClientHelloProbe {
  const { status, body } = handshakeMessage(data);
  if (status !== 'complete' || body === undefined) return status;
  return readHello(body) === undefined ? 'invalid' : 'complete';
}

interface HelloFields {
  legacyVersion: number;
  cipherSuites: number[];
  extensions: number[];
  sni?: string;
  alpn: string[];
  supportedVersions: number[];
  signatureAlgorithms: number[];
}

function readU16List(reader: Reader, lengthBytes: 1 | 2): number[] | undefined {
  const length = lengthBytes === 1 ? reader.u8() : reader.u16();
  if (length === undefined || length % 2 !== 0) return undefined;
  const list = reader.take(length);
  if (list === undefined) return undefined;
  const out: number[] = [];
  while (list.remaining >= 2) out.push(list.u16() ?? 0);
  return out;
}

function readServerName(ext: Reader): string | undefined {
  const listLength = ext.u16();
  if (listLength === undefined) return undefined;
  const list = ext.take(listLength);
  while (list !== undefined && list.remaining >= 3) {
    const type = list.u8();
    const length = list.u16() ?? 0;
    const name = list.take(length);
    if (name === undefined) return undefined;
    if (type === 0) return Buffer.from(name.bytes()).toString('latin1');
  }
  return undefined;
}

function readAlpn(ext: Reader): string[] {
  const listLength = ext.u16();
  const list = listLength === undefined ? undefined : ext.take(listLength);
  const out: string[] = [];
  while (list !== undefined && list.remaining >= 1) {
    const name = list.take(list.u8() ?? 0);
    if (name === undefined) break;
    out.push(Buffer.from(name.bytes()).toString('latin1'));
  }
  return out;
}

/** Reads the ClientHello body (after the 4-byte handshake header). */
function readHello(body: Uint8Array): HelloFields | undefined {
  const r = new Reader(body, 0, body.length);
  const legacyVersion = r.u16();
  if (legacyVersion === undefined || r.take(32) === undefined) return undefined;
  const sessionIdLength = r.u8();
  if (sessionIdLength === undefined || sessionIdLength > 32 || r.take(sessionIdLength) === undefined) return undefined;
  const ciphers = readU16List(r, 2);
  if (ciphers === undefined) return undefined;
  const compressionLength = r.u8();
  if (compressionLength === undefined || compressionLength === 0 || r.take(compressionLength) === undefined) return undefined;
  const fields: HelloFields = {
    legacyVersion,
    cipherSuites: ciphers,
    extensions: [],
    alpn: [],
    supportedVersions: [],
    signatureAlgorithms: [],
  };
  if (r.remaining === 0) return fields;
  const extLength = r.u16();
  const exts = extLength === undefined ? undefined : r.take(extLength);
  if (exts === undefined) return undefined;
  while (exts.remaining > 0) {
    const type = exts.u16();
    const length = exts.u16();
    if (type === undefined || length === undefined) return undefined;
    const ext = exts.take(length);
    if (ext === undefined) return undefined;
    fields.extensions.push(type);
    if (type === EXT_SERVER_NAME && fields.sni === undefined) {
      const sni = readServerName(ext);
      if (sni !== undefined) fields.sni = sni;
    } else if (type === EXT_ALPN) fields.alpn = readAlpn(ext);
    else if (type === EXT_SUPPORTED_VERSIONS) fields.supportedVersions = readU16List(ext, 1) ?? [];
    else if (type === EXT_SIGNATURE_ALGORITHMS) fields.signatureAlgorithms = readU16List(ext, 2) ?? [];
  }
  return fields;
}

function hex4(value: number): string {
  return value.toString(16).padStart(4, '0');
}

function hash12(text: string): string {
  return text === '' ? '000000000000' : createHash('sha256').update(text).digest('hex').slice(0, 12);
}

function isAlphanumeric(code: number | undefined): boolean {
  return code !== undefined && ((code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a));
}

function ja4Alpn(first: string | undefined): string {
  if (first === undefined || first === '') return '00';
  const bytes = Buffer.from(first, 'latin1');
  const head = bytes[0];
  const tail = bytes[bytes.length - 1];
  if (isAlphanumeric(head) && isAlphanumeric(tail)) return String.fromCharCode(head ?? 0, tail ?? 0);
  const hex = bytes.toString('hex');
  return `${hex[0]}${hex[hex.length - 1]}`;
}

function ja4(fields: HelloFields): string {
  const ciphers = fields.cipherSuites.filter((c) => !isGrease(c));
  const extensions = fields.extensions.filter((e) => !isGrease(e));
  const versions = fields.supportedVersions.filter((v) => !isGrease(v));
  const version = versions.length > 0 ? Math.max(...versions) : fields.legacyVersion;
  const a =
    't' +
    (JA4_VERSIONS.get(version) ?? '00') +
    (fields.extensions.includes(EXT_SERVER_NAME) ? 'd' : 'i') +
    String(Math.min(ciphers.length, 99)).padStart(2, '0') +
    String(Math.min(extensions.length, 99)).padStart(2, '0') +
    ja4Alpn(fields.alpn[0]);
  const b = hash12(ciphers.map(hex4).sort().join(','));
  const sortedExts = extensions.filter((e) => e !== EXT_SERVER_NAME && e !== EXT_ALPN).map(hex4).sort();
  const sigs = fields.signatureAlgorithms.filter((s) => !isGrease(s)).map(hex4);
  const c = extensions.length === 0 ? hash12('') : hash12(sigs.length > 0 ? `${sortedExts.join(',')}_${sigs.join(',')}` : sortedExts.join(','));
  return `${a}_${b}_${c}`;
}

function versionName(value: number): string {
  return VERSION_NAMES.get(value) ?? `0x${hex4(value)}`;
}

/**
 * Parses a TLS ClientHello from the start of a TCP stream (one or more
 * handshake records) and computes its JA4. Never throws: anything that is not
 * a whole, well-formed ClientHello gives undefined.
 */
export function parseClientHello(data: Uint8Array): ClientHello | undefined {
  const { body } = handshakeMessage(data);
  if (body === undefined) return undefined;
  const fields = readHello(body);
  if (fields === undefined) return undefined;
  const offered = fields.supportedVersions.filter((v) => !isGrease(v));
  const hello: ClientHello = {
    alpn: fields.alpn,
    versions: (offered.length > 0 ? offered : [fields.legacyVersion]).map(versionName),
    cipherSuites: fields.cipherSuites.filter((c) => !isGrease(c)),
    extensions: fields.extensions.filter((e) => !isGrease(e)),
    signatureAlgorithms: fields.signatureAlgorithms.filter((s) => !isGrease(s)),
    ja4: ja4(fields),
  };
  if (fields.sni !== undefined) hello.sni = fields.sni;
  return hello;
}
