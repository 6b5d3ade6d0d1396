import { z } from 'zod';
import { hostPort } from './host-port.js';

export const webSection = z
  .object({
    listen: hostPort.default('127.0.0.1:8080'),
    /** Bearer token; required (or `users`) to listen anywhere but loopback. */
    token: z.string().default(''),
    /** user -> scrypt hash as written by `honeyscope web hash-password`. */
    users: z.record(z.string(), z.string()).default({}),
  })
  .strict()
  .prefault({});
