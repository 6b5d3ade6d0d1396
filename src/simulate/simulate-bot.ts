import { connect as netConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { Duplex } from 'node:stream';
import ssh2 from 'ssh2';
import { pick } from './pick.js';
import { COMMANDS, PASSWORDS, TUNNEL_PAYLOADS, USERNAMES, type TunnelPayload } from './payloads.js';

export interface BotPlan {
  host: string;
  port: number;
  /** Loopback source address, so sensors see several "bots". */
  localAddress?: string;
  failures: number;
  login: boolean;
  commands: number;
  tunnels: number;
  timeoutMs: number;
  random: () => number;
}

export interface BotResult {
  loggedIn: boolean;
  commands: number;
  tunnels: number;
  error?: string;
}

/**
 * One bot as the seed saw them: a few wrong passwords, then a login, a couple
 * of commands, then outbound attempts through direct-tcpip channels.
 */
export function runBot(plan: BotPlan): Promise<BotResult> {
  const result: BotResult = { loggedIn: false, commands: 0, tunnels: 0 };
  return new Promise((resolve) => {
    const client = new ssh2.Client();
    const attempts: Array<{ username: string; password: string }> = [];
    for (let i = 0; i < plan.failures; i += 1) attempts.push({ username: 'root', password: i % 2 === 0 ? 'root' : '123456' });
    if (plan.login) attempts.push({ username: pick(plan.random, USERNAMES), password: `${pick(plan.random, PASSWORDS)}!${Math.floor(plan.random() * 1e6)}` });
    let done = false;
    const finish = (error?: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (error !== undefined) result.error = error;
      client.end();
      resolve(result);
    };
    const timer = setTimeout(() => finish('timeout'), plan.timeoutMs);
    const sock = netConnect({ host: plan.host, port: plan.port, ...(plan.localAddress ? { localAddress: plan.localAddress } : {}) });
    sock.on('error', (err) => finish(err.message));
    client.on('ready', () => {
      result.loggedIn = true;
      void afterLogin(client, plan, result).then(() => finish(), (err: unknown) => finish(String(err)));
    });
    client.on('error', (err) => finish(err.level === 'client-authentication' ? undefined : err.message));
    client.on('close', () => finish());
    client.connect({
      sock,
      username: attempts[0]?.username ?? 'root',
      readyTimeout: plan.timeoutMs,
      authHandler(_methods, _partial, next) {
        const attempt = attempts.shift();
        if (!attempt) return next(false as never);
        next({ type: 'password', username: attempt.username, password: attempt.password });
      },
    });
  });
}

async function afterLogin(client: ssh2.Client, plan: BotPlan, result: BotResult): Promise<void> {
  for (let i = 0; i < plan.commands; i += 1) {
    await exec(client, pick(plan.random, COMMANDS));
    result.commands += 1;
  }
  for (let i = 0; i < plan.tunnels; i += 1) {
    await tunnel(client, pick(plan.random, TUNNEL_PAYLOADS), plan.random);
    result.tunnels += 1;
  }
}

function exec(client: ssh2.Client, command: string): Promise<void> {
  return new Promise((resolve, reject) => {
    client.exec(command, (err, stream) => {
      if (err) return reject(err);
      stream.on('data', () => undefined);
      stream.stderr.on('data', () => undefined);
      stream.on('close', () => resolve());
    });
  });
}

function tunnel(client: ssh2.Client, target: TunnelPayload, random: () => number): Promise<void> {
  return new Promise((resolve) => {
    const origPort = 1024 + Math.floor(random() * 60000);
    client.forwardOut('127.0.0.1', origPort, target.ip, target.port, (err, stream) => {
      if (err) return resolve();
      const end = () => {
        stream.destroy();
        resolve();
      };
      stream.on('error', end);
      stream.on('close', end);
      talk(stream, target).then(end, end);
    });
  });
}

async function talk(stream: Duplex, target: TunnelPayload): Promise<void> {
  switch (target.kind) {
    case 'http':
      stream.write(target.payload);
      await readUntil(stream, /\r\n\r\n/, 5000);
      stream.end();
      return;
    case 'smtp': {
      await readUntil(stream, /^220 .*\r\n/m, 5000);
      stream.write(`EHLO ${target.payload}\r\n`);
      await readUntil(stream, /^250 .*\r\n/m, 5000);
      stream.write('MAIL FROM:<news@example.com>\r\nRCPT TO:<victim@example.org>\r\nDATA\r\n');
      await readUntil(stream, /^354 .*\r\n/m, 5000);
      stream.write('Subject: Hello\r\n\r\nBuy now.\r\n.\r\nQUIT\r\n');
      await readUntil(stream, /^221 .*\r\n/m, 5000);
      return;
    }
    case 'tls':
      await new Promise<void>((resolve) => {
        const socket = tlsConnect({ socket: stream, servername: target.payload, rejectUnauthorized: false });
        socket.on('error', () => resolve());
        socket.on('close', () => resolve());
        socket.on('secureConnect', () => {
          socket.end();
          resolve();
        });
      });
      return;
    case 'raw':
      stream.write(Buffer.from([0x13, 0x37, 0x00, 0xff]));
      stream.end();
      return;
  }
}

function readUntil(stream: Duplex, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const timer = setTimeout(done, timeoutMs);
    function onData(chunk: Buffer): void {
      text += chunk.toString('latin1');
      if (pattern.test(text)) done();
    }
    function done(): void {
      clearTimeout(timer);
      stream.off('data', onData);
      stream.off('end', done);
      resolve(text);
    }
    stream.on('data', onData);
    stream.on('end', done);
  });
}
