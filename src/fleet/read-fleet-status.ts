import { setTimeout as sleep } from 'node:timers/promises';
import { connect } from 'nats';
import { HoneyscopeError, errorMessage } from '../lib/errors.js';
import { natsConnectOptions, redactNatsUrl, type FleetConfig } from './nats-connect-options.js';

export interface FleetStatus {
  stream: string;
  consumer: string;
  /** Messages (event batches) and bytes the stream holds. */
  streamMessages: number;
  streamBytes: number;
  lastSeq: number;
  /** Not yet delivered to any collector. */
  pending: number;
  /** Delivered, not yet acked (being stored). */
  ackPending: number;
  redelivered: number;
  /** Pull requests waiting: roughly, collectors idle and connected. */
  waitingPulls: number;
  /** Over the sampling interval. */
  ackedPerSecond: number;
  /** pending + ackPending, in messages. */
  lagMessages: number;
  /** lagMessages / ackedPerSecond; null when nothing is being acked. */
  lagSeconds: number | null;
}

/**
 * Lag and rate of the collectors' consumer: two samples of consumer info
 * `intervalMs` apart.
 *
 * @throws {HoneyscopeError} HS_FLEET when the broker, stream or consumer cannot be read
 */
export async function readFleetStatus(fleet: FleetConfig, options: { intervalMs?: number } = {}): Promise<FleetStatus> {
  const intervalMs = options.intervalMs ?? 1000;
  const connectOptions = { ...natsConnectOptions(fleet, 'honeyscope-status'), waitOnFirstConnect: false, maxReconnectAttempts: 0 };
  let nc;
  try {
    nc = await connect(connectOptions);
  } catch (err) {
    throw new HoneyscopeError('HS_FLEET', `Cannot connect to the fleet broker "${redactNatsUrl(fleet.url)}": ${errorMessage(err)}`, { cause: err });
  }
  try {
    const jsm = await nc.jetstreamManager();
    const first = await jsm.consumers.info(fleet.stream, fleet.consumer);
    await sleep(intervalMs);
    const [second, stream] = await Promise.all([jsm.consumers.info(fleet.stream, fleet.consumer), jsm.streams.info(fleet.stream)]);
    const ackedPerSecond = ((second.ack_floor.stream_seq - first.ack_floor.stream_seq) * 1000) / intervalMs;
    const lagMessages = second.num_pending + second.num_ack_pending;
    return {
      stream: fleet.stream,
      consumer: fleet.consumer,
      streamMessages: stream.state.messages,
      streamBytes: stream.state.bytes,
      lastSeq: stream.state.last_seq,
      pending: second.num_pending,
      ackPending: second.num_ack_pending,
      redelivered: second.num_redelivered,
      waitingPulls: second.num_waiting,
      ackedPerSecond,
      lagMessages,
      lagSeconds: ackedPerSecond > 0 ? lagMessages / ackedPerSecond : lagMessages === 0 ? 0 : null,
    };
  } catch (err) {
    throw new HoneyscopeError('HS_FLEET', `Cannot read consumer "${fleet.consumer}" of stream "${fleet.stream}": ${errorMessage(err)}`, { cause: err });
  } finally {
    await nc.close();
  }
}
