import { z } from 'zod';

const NAME = /^[A-Za-z0-9_-]+$/;
const SUBJECT = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/**
 * Fleet: sensors publish to NATS JetStream, collectors store into PostgreSQL.
 * Secrets (password, token) may come from HONEYSCOPE_FLEET_PASSWORD and
 * HONEYSCOPE_FLEET_TOKEN rather than a file; they are never logged.
 */
export const fleetSection = z
  .object({
    /** Empty: no fleet. Else nats://HOST:PORT (comma-separated for a cluster). */
    url: z
      .string()
      .refine((v) => v === '' || v.split(',').every((u) => /^(nats|tls):\/\/[^\s]+$/.test(u.trim())), { message: 'expected empty or nats://HOST:PORT (comma-separated)' })
      .default(''),
    stream: z.string().regex(NAME, 'expected a stream name of letters, digits, "_" and "-"').default('HONEYSCOPE'),
    /** Each sensor publishes to PREFIX.<sensor>. */
    subjectPrefix: z.string().regex(SUBJECT, 'expected dot-separated subject tokens').default('honeyscope.events'),
    user: z.string().default(''),
    password: z.string().default(''),
    token: z.string().default(''),
    /** Require TLS; the files below are PEM paths (empty: system CAs, no client certificate). */
    tls: z.boolean().default(false),
    tlsCa: z.string().default(''),
    tlsCert: z.string().default(''),
    tlsKey: z.string().default(''),
    /** Sensor: how long to wait for JetStream's ack before spooling the batch. */
    publishTimeoutMs: z.number().int().min(100).default(2000),
    /** Sensor: wait this long for more events before publishing a batch (fewer, larger messages from quiet sensors); 0: only what waits in one tick. */
    lingerMs: z.number().int().min(0).max(10_000).default(0),
    /** Sensor: events waiting together go out as one message of at most this size. */
    maxBatchBytes: z.number().int().min(4096).max(1_000_000).default(256 * 1024),
    /** Sensor: DATA/spool/ holds at most this much while the broker is away; beyond it events are refused (the JSONL log keeps them). */
    spoolMaxBytes: z.number().int().min(65_536).default(1024 ** 3),
    spoolSegmentBytes: z.number().int().min(4096).default(8 * 1024 ** 2),
    /** Stream retention (created by the first sensor or collector that finds it missing). */
    streamMaxAgeHours: z.number().min(0).default(168),
    /** -1: unlimited. */
    streamMaxBytes: z.number().int().min(-1).default(-1),
    /** Collector: the durable consumer every collector shares (a work queue). */
    consumer: z.string().regex(NAME, 'expected a consumer name of letters, digits, "_" and "-"').default('honeyscope-collector'),
    /** Collector: rows per PostgreSQL append, or fewer after batchWaitMs. */
    batchEvents: z.number().int().min(1).default(5000),
    batchWaitMs: z.number().int().min(1).default(50),
    /** Collector: unacknowledged messages the server lets out at once (backpressure). */
    maxAckPending: z.number().int().min(1).default(256),
    /** Collector: a message not acked in this time is redelivered (to another collector). */
    ackWaitMs: z.number().int().min(1000).default(30_000),
  })
  .strict()
  .prefault({});
