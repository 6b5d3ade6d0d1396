import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { hassh, parseSshPreamble } from './ssh-preamble.js';

function nameList(items: string[]): Buffer {
  const s = Buffer.from(items.join(','), 'latin1');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(s.length);
  return Buffer.concat([len, s]);
}

function kexinitPacket(lists: string[][]): Buffer {
  const payload = Buffer.concat([Buffer.from([20]), Buffer.alloc(16, 7), ...lists.map(nameList), Buffer.from([0, 0, 0, 0, 0])]);
  const padding = 8 - ((payload.length + 5) % 8) + 4;
  const head = Buffer.alloc(5);
  head.writeUInt32BE(payload.length + padding + 1);
  head[4] = padding;
  return Buffer.concat([head, payload, Buffer.alloc(padding)]);
}

const FIXTURE = '/work/shared/fixtures/cowrie/cowrie-3.0.12/capture.json';
const kexEvent = JSON.parse(readFileSync(FIXTURE, 'utf8').split('\n').find((l) => l.includes('"cowrie.client.kex"'))!);

describe('parseSshPreamble()', () => {
  const lists = [kexEvent.kexAlgs, kexEvent.keyAlgs, kexEvent.encCS, kexEvent.encCS, kexEvent.macCS, kexEvent.macCS, kexEvent.compCS, kexEvent.compCS, [''], ['']];
  const stream = Buffer.concat([Buffer.from('SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u6\r\n'), kexinitPacket(lists)]);

  it('reads the ident and KEXINIT and reproduces Cowrie\'s hassh', () => {
    const p = parseSshPreamble(stream);
    expect(p.ident).toBe('SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u6');
    expect(p.done).toBe(true);
    expect(p.kexinit?.kexAlgs).toEqual(kexEvent.kexAlgs);
    expect(p.kexinit?.langCS).toEqual(['']);
    expect(hassh(p.kexinit!)).toEqual({ hassh: kexEvent.hassh, hasshAlgorithms: kexEvent.hasshAlgorithms });
  });

  it('waits for more bytes at every cut of the stream', () => {
    for (let cut = 0; cut < stream.length; cut += 1) {
      const p = parseSshPreamble(stream.subarray(0, cut));
      expect(p.kexinit).toBeUndefined();
      expect(p.done).toBe(false);
    }
  });

  it('gives up on garbage without throwing', () => {
    expect(parseSshPreamble(Buffer.from('GET / HTTP/1.1\r\n\r\n'.repeat(1000))).done).toBe(true);
    expect(parseSshPreamble(Buffer.concat([Buffer.from('SSH-2.0-x\r\n'), Buffer.from([0xff, 0xff, 0xff, 0xff, 4, 1])])).done).toBe(true);
    for (let i = 0; i < 200; i += 1) {
      const junk = Buffer.concat([Buffer.from('SSH-2.0-x\r\n'), Buffer.from(Array.from({ length: i * 7 }, (_, j) => (j * 31 + i) & 0xff))]);
      expect(() => parseSshPreamble(junk)).not.toThrow();
    }
  });
});
