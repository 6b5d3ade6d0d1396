import { z } from 'zod';

/** Cowrie's default userdb: any login except root/root, root/123456 and root/*honeypot*. */
export const DEFAULT_USERDB = ['root:x:!root', 'root:x:!123456', 'root:x:!/honeypot/i', '*:x:*'];

export const authSection = z
  .object({
    /** Cowrie userdb lines (`user:x:password`, `*` wildcard, `!` deny, `/re/i`), first match wins. */
    userdb: z.array(z.string()).default(DEFAULT_USERDB),
    /** A file of userdb lines; when set it replaces `userdb`. */
    userdbFile: z.string().default(''),
    /** Let a source IP in after this many failures whatever the userdb says (0: off), like Cowrie's AuthRandom. */
    acceptAfterFailures: z.number().int().min(0).default(0),
    /** Offer public-key auth (attempts are always logged, never accepted). */
    publickey: z.boolean().default(true),
    keyboardInteractive: z.boolean().default(true),
  })
  .strict()
  .prefault({});
