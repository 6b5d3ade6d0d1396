import { createSocket } from 'node:dgram';
import { hostname } from 'node:os';
import { connect, type Socket } from 'node:net';
import { HoneyscopeError } from '../lib/errors.js';
import type { Alert } from './alert.js';
import type { AlertSink } from './alert-sink.js';
import { formatSyslog } from './format-syslog.js';

export interface SyslogSinkOptions {
  host: string;
  port: number;
  protocol: 'udp' | 'tcp';
  facility?: number;
  appName?: string;
  /** Milliseconds to connect (TCP). */
  timeoutMs?: number;
}

/**
 * RFC 5424 syslog over UDP (RFC 5426, one message a datagram) or TCP (RFC
 * 6587 octet counting: `LENGTH SP MESSAGE`). The TCP connection is opened on
 * first use and reopened after an error.
 */
export function createSyslogAlertSink(options: SyslogSinkOptions): AlertSink {
  const format = { facility: options.facility ?? 16, hostname: hostname(), appName: options.appName ?? 'honeyscope', procId: String(process.pid) };
  const where = `${options.protocol}://${options.host}:${options.port}`;
  if (options.protocol === 'udp') {
    const socket = createSocket(options.host.includes(':') ? 'udp6' : 'udp4');
    socket.unref();
    return {
      name: 'syslog',
      write(alert: Alert): Promise<void> {
        const message = Buffer.from(formatSyslog(alert, format));
        return new Promise((resolve, reject) => {
          socket.send(message, options.port, options.host, (err) => {
            if (err) reject(new HoneyscopeError('HS_IO', `Cannot send syslog to ${where}: ${err.message}`, { cause: err }));
            else resolve();
          });
        });
      },
      close(): Promise<void> {
        return new Promise((resolve) => socket.close(() => resolve()));
      },
    };
  }
  let socket: Promise<Socket> | undefined;
  const open = (): Promise<Socket> =>
    new Promise((resolve, reject) => {
      const s = connect({ host: options.host, port: options.port, timeout: options.timeoutMs ?? 5000 });
      const fail = (err: Error): void => {
        s.destroy();
        reject(new HoneyscopeError('HS_IO', `Cannot connect to syslog ${where}: ${err.message}`, { cause: err }));
      };
      s.once('error', fail);
      s.once('timeout', () => fail(new Error('timed out')));
      s.once('connect', () => {
        s.off('error', fail);
        s.setTimeout(0);
        s.on('error', () => {
          socket = undefined;
        });
        s.on('close', () => {
          socket = undefined;
        });
        resolve(s);
      });
    });
  return {
    name: 'syslog',
    async write(alert: Alert): Promise<void> {
      socket ??= open().catch((err: unknown) => {
        socket = undefined;
        throw err;
      });
      const s = await socket;
      const message = Buffer.from(formatSyslog(alert, format));
      await new Promise<void>((resolve, reject) => {
        s.write(Buffer.concat([Buffer.from(`${message.length} `), message]), (err) => {
          if (err) {
            socket = undefined;
            s.destroy();
            reject(new HoneyscopeError('HS_IO', `Cannot send syslog to ${where}: ${err.message}`, { cause: err }));
          } else resolve();
        });
      });
    },
    async close(): Promise<void> {
      const s = await socket?.catch(() => undefined);
      socket = undefined;
      if (s) await new Promise<void>((resolve) => s.end(() => resolve()));
    },
  };
}
