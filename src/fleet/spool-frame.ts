import { crc32 } from 'node:zlib';

/** Bytes before each payload: its length and CRC-32, both u32 big-endian. */
export const SPOOL_FRAME_HEADER = 8;

/** One spool record: header then payload. */
export function encodeSpoolFrame(payload: Buffer): Buffer {
  const header = Buffer.allocUnsafe(SPOOL_FRAME_HEADER);
  header.writeUInt32BE(payload.length, 0);
  header.writeUInt32BE(crc32(payload), 4);
  return Buffer.concat([header, payload]);
}

export interface DecodedSpoolFrames {
  payloads: Buffer[];
  /** Bytes of whole, intact frames; anything after is a torn or corrupt tail. */
  validBytes: number;
}

/**
 * The payloads of a segment, in order. Decoding stops at the first frame that
 * is cut short or fails its checksum: a write torn by a crash was never
 * acknowledged, so nothing acknowledged is lost by ignoring it.
 */
export function decodeSpoolFrames(data: Buffer): DecodedSpoolFrames {
  const payloads: Buffer[] = [];
  let offset = 0;
  while (data.length - offset >= SPOOL_FRAME_HEADER) {
    const length = data.readUInt32BE(offset);
    const start = offset + SPOOL_FRAME_HEADER;
    if (data.length - start < length) break;
    const payload = data.subarray(start, start + length);
    if (crc32(payload) !== data.readUInt32BE(offset + 4)) break;
    payloads.push(payload);
    offset = start + length;
  }
  return { payloads, validBytes: offset };
}
