import type { EventId } from './event-ids.js';

/** Connection identity, bound once when the connection arrives (Cowrie's EventLog). */
export interface SessionIdentity {
  session: string;
  protocol: 'ssh';
  src_ip: string;
  src_port: number;
  dst_ip: string;
  dst_port: number;
}

/**
 * One event as written to the log: Cowrie's envelope plus the fields of its id.
 * Read-only: one object is shared by every sink.
 */
export interface HoneyscopeEvent {
  readonly eventid: EventId | (string & {});
  readonly session?: string;
  readonly src_ip?: string;
  readonly timestamp: string;
  readonly sensor: string;
  readonly uuid?: string;
  readonly message: string;
  readonly [field: string]: unknown;
}

/** What an emitter hands to the dispatcher: no sensor, uuid or timestamp yet. */
export interface EventDraft {
  eventid: EventId;
  message: string;
  fields: Record<string, unknown>;
  identity?: SessionIdentity;
}
