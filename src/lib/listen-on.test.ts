import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { listenOn } from './listen-on.js';

describe('listenOn', () => {
  it('names the setting, the address and the reason when the port is taken', async () => {
    const taken = createServer().listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const { port } = taken.address() as AddressInfo;
    const second = createServer();
    try {
      await expect(listenOn(second, '127.0.0.1', port, 'sensor.listen')).rejects.toMatchObject({
        code: 'HS_USAGE',
        message: `Cannot listen on 127.0.0.1:${port} (sensor.listen): the address is already in use (another program, or another honeyscope, listens there)`,
      });
      expect(second.listening).toBe(false);
    } finally {
      taken.close();
    }
  });

  it('listens, and writes an IPv6 address in brackets when it cannot', async () => {
    const server = createServer();
    await listenOn(server, '::1', 0, 'web.listen');
    const { port } = server.address() as AddressInfo;
    await expect(listenOn(createServer(), '::1', port, 'web.listen')).rejects.toThrow(`Cannot listen on [::1]:${port} (web.listen)`);
    server.close();
  });
});
