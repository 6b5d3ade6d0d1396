import type { EventId } from './event-ids.js';
import type { HoneyscopeEvent, SessionIdentity } from './event.js';
import type { EventDispatcher } from './dispatcher.js';

/**
 * The events of one connection, with its identity bound at creation. Events
 * emitted after `close()` carry `late: true`, as Cowrie's do.
 */
export class EventLog {
  readonly identity: SessionIdentity;
  readonly #dispatcher: EventDispatcher;
  #closed = false;

  constructor(identity: SessionIdentity, dispatcher: EventDispatcher) {
    this.identity = Object.freeze({ ...identity });
    this.#dispatcher = dispatcher;
  }

  emit(eventid: EventId, fields: Record<string, unknown>, message: string): Promise<HoneyscopeEvent> {
    const withLate = this.#closed ? { ...fields, late: true } : fields;
    return this.#dispatcher.dispatch({ eventid, fields: withLate, message, identity: this.identity });
  }

  close(): void {
    this.#closed = true;
  }
}
