import { createHash } from 'node:crypto';

/** The client's KEXINIT name-lists, as Cowrie logs them in cowrie.client.kex. */
export interface ClientKexInit {
  kexAlgs: string[];
  keyAlgs: string[];
  encCS: string[];
  macCS: string[];
  compCS: string[];
  langCS: string[];
}

export interface SshPreamble {
  /** The identification line without CR LF, as sent (bounded to 255 bytes). */
  ident?: string;
  kexinit?: ClientKexInit;
  /** True once nothing more can be learnt from the stream (KEXINIT read, or it is not SSH). */
  done: boolean;
}

const MAX_IDENT_AREA = 8192;
const MAX_PACKET = 35_000;
const MSG_KEXINIT = 20;

/**
 * Reads the cleartext start of an SSH client stream: the identification line
 * and the first binary packet, which is the client's KEXINIT (RFC 4253 §4.2, §7.1).
 * Pure and total: any bytes give a result, never an exception.
 */
export function parseSshPreamble(data: Uint8Array): SshPreamble {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  // Lines before the ident are allowed by the RFC; find the line starting "SSH-".
  let pos = 0;
  let ident: string | undefined;
  while (pos < buf.length && pos < MAX_IDENT_AREA) {
    const nl = buf.indexOf(0x0a, pos);
    if (nl === -1) return { done: buf.length >= MAX_IDENT_AREA };
    const line = buf.subarray(pos, nl).toString('latin1').replace(/\r$/, '');
    pos = nl + 1;
    if (line.startsWith('SSH-')) {
      ident = line.slice(0, 255);
      break;
    }
  }
  if (ident === undefined) return { done: pos >= MAX_IDENT_AREA };
  if (buf.length - pos < 6) return { ident, done: false };
  const packetLength = buf.readUInt32BE(pos);
  if (packetLength < 2 || packetLength > MAX_PACKET) return { ident, done: true };
  if (buf.length - pos - 4 < packetLength) return { ident, done: false };
  const padding = buf[pos + 4]!;
  const payload = buf.subarray(pos + 5, pos + 4 + packetLength - padding);
  if (payload[0] !== MSG_KEXINIT) return { ident, done: true };
  const kexinit = readKexInit(payload);
  return kexinit ? { ident, kexinit, done: true } : { ident, done: true };
}

function readKexInit(payload: Buffer): ClientKexInit | undefined {
  let off = 17; // message id + 16-byte cookie
  const lists: string[][] = [];
  for (let i = 0; i < 10; i += 1) {
    if (off + 4 > payload.length) return undefined;
    const len = payload.readUInt32BE(off);
    off += 4;
    if (off + len > payload.length) return undefined;
    lists.push(payload.subarray(off, off + len).toString('latin1').split(','));
    off += len;
  }
  const [kex, key, encCS, , macCS, , compCS, , langCS] = lists as [string[], string[], string[], string[], string[], string[], string[], string[], string[]];
  return { kexAlgs: kex, keyAlgs: key, encCS, macCS, compCS, langCS };
}

/** HASSH (Salesforce): md5 of "kex;enc;mac;comp" client lists, and that string. */
export function hassh(kex: ClientKexInit): { hassh: string; hasshAlgorithms: string } {
  const hasshAlgorithms = [kex.kexAlgs, kex.encCS, kex.macCS, kex.compCS].map((l) => l.join(',')).join(';');
  return { hassh: createHash('md5').update(hasshAlgorithms).digest('hex'), hasshAlgorithms };
}
