import type { EventId } from '../../events/event-ids.js';
import type { TunnelIo } from './tunnel-emulator.js';

export interface RecordedEvent {
  eventid: EventId;
  fields: Record<string, unknown>;
  message: string;
}

/** A TunnelIo that records what an emulator does, for tests of emulators and their glue. */
export interface RecordingTunnelIo extends TunnelIo {
  readonly writes: Buffer[];
  readonly events: RecordedEvent[];
  readonly closed: boolean;
  /** Everything written so far, as Latin-1 text. */
  output(): string;
  /** Events with the given id. */
  eventsOf(eventid: EventId): RecordedEvent[];
}

/**
 * Records writes, events and close. Like the real glue, it ignores writes
 * after close and calls `onClose` (where a test calls the emulator's `end()`).
 */
export function createRecordingTunnelIo(options: { dstIp?: string; dstPort: number; channelId?: number; onClose?: () => void }): RecordingTunnelIo {
  const writes: Buffer[] = [];
  const events: RecordedEvent[] = [];
  let closed = false;
  return {
    dstIp: options.dstIp ?? '93.184.216.34',
    dstPort: options.dstPort,
    channelId: options.channelId ?? 0,
    writes,
    events,
    get closed(): boolean {
      return closed;
    },
    write(data: Buffer): void {
      if (!closed) writes.push(Buffer.from(data));
    },
    close(): void {
      if (closed) return;
      closed = true;
      options.onClose?.();
    },
    emit(eventid: EventId, fields: Record<string, unknown>, message: string): void {
      events.push({ eventid, fields, message });
    },
    output(): string {
      return Buffer.concat(writes).toString('latin1');
    },
    eventsOf(eventid: EventId): RecordedEvent[] {
      return events.filter((event) => event.eventid === eventid);
    },
  };
}
