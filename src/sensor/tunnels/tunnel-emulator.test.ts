import { describe, it, expect } from 'vitest';
import { tunnelsSection } from '../../config/sections/tunnels.js';
import { createRecordingTunnelIo } from './recording-tunnel-io.js';
import { createTunnelEmulator } from './tunnel-emulator.js';
import { seededRandom } from '../../lib/seeded-random.js';

const CONFIG = tunnelsSection.parse({});


describe('createTunnelEmulator()', () => {
  it('picks the emulator by destination port from the config', () => {
    const kinds = [25, 587, 80, 3128, 443, 465, 22, 6667, 28125].map((dstPort) => createTunnelEmulator(createRecordingTunnelIo({ dstPort }), CONFIG).kind);
    expect(kinds).toEqual(['smtp', 'smtp', 'http', 'http', 'tls', 'tls', 'raw', 'raw', 'raw']);
  });

  it('follows ports moved in the config', () => {
    const config = tunnelsSection.parse({ smtpPorts: [2500], httpPorts: [25], tlsPorts: [] });
    expect(createTunnelEmulator(createRecordingTunnelIo({ dstPort: 25 }), config).kind).toBe('http');
    expect(createTunnelEmulator(createRecordingTunnelIo({ dstPort: 2500 }), config).kind).toBe('smtp');
    expect(createTunnelEmulator(createRecordingTunnelIo({ dstPort: 443 }), config).kind).toBe('raw');
  });

  it('gives a raw emulator that only listens', () => {
    const io = createRecordingTunnelIo({ dstIp: '127.0.0.1', dstPort: 19999 });
    const emulator = createTunnelEmulator(io, CONFIG);
    emulator.start();
    emulator.data(Buffer.from('hello\r\n'));
    emulator.end();
    expect(io.writes).toEqual([]);
    expect(io.events).toEqual([]);
    expect(io.closed).toBe(false);
  });

  it('has the SMTP emulator speak first with the configured host name', () => {
    const io = createRecordingTunnelIo({ dstPort: 587 });
    createTunnelEmulator(io, tunnelsSection.parse({ smtpHostname: 'smtp.victim.example' })).start();
    expect(io.output()).toBe('220 smtp.victim.example ESMTP Postfix (Debian/GNU)\r\n');
  });

  it('never throws on random bytes in random chunks, whatever the emulator', () => {
    const random = seededRandom(7);
    const seeds = ['GET / HTTP/1.1\r\n', 'EHLO test.com\r\nDATA\r\n', '\x16\x03\x01\x00\x40\x01', ''];
    for (const dstPort of [25, 80, 443, 9999]) {
      for (let round = 0; round < 40; round++) {
        const holder = { end: (): void => undefined };
        const io = createRecordingTunnelIo({ dstPort, onClose: () => holder.end() });
        const emulator = createTunnelEmulator(io, CONFIG);
        holder.end = () => emulator.end();
        emulator.start();
        emulator.data(Buffer.from(seeds[round % seeds.length] ?? '', 'latin1'));
        for (let k = 0; k < 20; k++) {
          const chunk = Buffer.alloc(Math.floor(random() * 300));
          for (let i = 0; i < chunk.length; i++) chunk[i] = random() < 0.1 ? 0x0a : Math.floor(random() * 256);
          emulator.data(chunk);
        }
        emulator.end();
        expect(Buffer.concat(io.writes).length).toBeLessThan(64 * 1024);
      }
    }
  });
});
