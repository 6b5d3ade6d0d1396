import { AckPolicy, DeliverPolicy, type ConsumerInfo, type JetStreamManager } from 'nats';
import { isNotFound } from './ensure-stream.js';
import type { FleetConfig } from './nats-connect-options.js';

/**
 * Creates the collectors' durable pull consumer if missing. Every collector
 * pulls from this one consumer, so JetStream hands each message to one of
 * them (a work queue) and redelivers what a dead collector never acked.
 */
export async function ensureConsumer(jsm: JetStreamManager, fleet: FleetConfig): Promise<ConsumerInfo> {
  try {
    return await jsm.consumers.info(fleet.stream, fleet.consumer);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  try {
    return await jsm.consumers.add(fleet.stream, {
      durable_name: fleet.consumer,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: `${fleet.subjectPrefix}.>`,
      max_ack_pending: fleet.maxAckPending,
      ack_wait: fleet.ackWaitMs * 1_000_000,
    });
  } catch (err) {
    if (/already in use|already exists/i.test(String((err as Error).message))) return jsm.consumers.info(fleet.stream, fleet.consumer);
    throw err;
  }
}
