import { z } from 'zod';
import { port } from './host-port.js';

export const tunnelsSection = z
  .object({
    /** Accept `direct-tcpip` channels (and never connect out: the sensor plays the far side). */
    enabled: z.boolean().default(true),
    smtpPorts: z.array(port).default([25, 26, 587, 2525, 25000]),
    httpPorts: z.array(port).default([80, 81, 8000, 8008, 8080, 8081, 8888, 3128]),
    tlsPorts: z.array(port).default([443, 465, 636, 853, 993, 995, 8443]),
    /** The SMTP greeting host name the emulator announces. */
    smtpHostname: z.string().default('mx.example.net'),
    /** Bytes of DATA kept per message. */
    smtpMaxDataBytes: z.number().int().min(0).default(256 * 1024),
    /** Close a silent or finished channel after this long. */
    idleTimeoutMs: z.number().int().min(100).default(30_000),
  })
  .strict()
  .prefault({});
