import { z } from 'zod';

const HOST_PORT = { message: 'expected HOST:PORT (for example 127.0.0.1:2222 or [::1]:2222)' };

/** "HOST:PORT", "[v6]:PORT" or ":PORT"; the port 0 picks a free one (tests). */
export const hostPort = z
  .string()
  .regex(/^(\[[0-9a-fA-F:.]+\]|[^:\s]*):\d{1,5}$/, HOST_PORT)
  .refine((v) => Number(v.slice(v.lastIndexOf(':') + 1)) <= 65535, { message: 'expected a port from 0 to 65535' })
  // A dotted quad that is no IPv4 address would otherwise go to DNS as a host name.
  .refine((v) => !/^\d+\.\d+\.\d+\.\d+:/.test(v) || v.split(':')[0]!.split('.').every((o) => Number(o) <= 255), {
    message: 'expected an IPv4 address with parts from 0 to 255',
  });

const PORT_RANGE = { message: 'expected a port from 1 to 65535' };
export const port = z.number().int().min(1, PORT_RANGE).max(65535, PORT_RANGE);

/** Splits "HOST:PORT" (validated by `hostPort`) into its parts. */
export function splitHostPort(value: string): { host: string; port: number } {
  const i = value.lastIndexOf(':');
  let host = value.slice(0, i);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return { host: host === '' ? '0.0.0.0' : host, port: Number(value.slice(i + 1)) };
}
