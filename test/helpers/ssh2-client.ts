import ssh2 from 'ssh2';
import type { ClientChannel } from 'ssh2';

/** A logged-in ssh2 client (the library bots are often written with). */
export function connectClient(port: number, options: { username?: string; password?: string } = {}): Promise<ssh2.Client> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    client.once('ready', () => resolve(client));
    client.once('error', reject);
    client.connect({ host: '127.0.0.1', port, username: options.username ?? 'root', password: options.password ?? 'letmein', readyTimeout: 10_000 });
  });
}

export function forwardOut(client: ssh2.Client, host: string, port: number): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    client.forwardOut('127.0.0.1', 40000, host, port, (err, stream) => (err ? reject(err) : resolve(stream)));
  });
}

/** Writes `data`, then collects what comes back until the channel closes or `ms` pass. */
export function exchange(stream: ClientChannel, data: Buffer | string, ms = 1500): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const timer = setTimeout(done, ms);
    stream.on('data', (d: Buffer) => chunks.push(d));
    stream.on('close', done);
    stream.on('error', done);
    function done(): void {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    }
    if (data.length > 0) stream.write(data);
  });
}
