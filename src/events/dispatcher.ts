import { cowrieTimestamp, systemClock, type Clock } from '../lib/time.js';
import { errorMessage } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import type { EventDraft, HoneyscopeEvent } from './event.js';
import type { Sink } from './sink.js';

export interface DispatcherOptions {
  sensor: string;
  uuid: string;
  logger: Logger;
  now?: Clock;
}

interface SinkState {
  sink: Sink;
  failures: number;
}

const IDENTITY_KEYS = ['session', 'protocol', 'src_ip', 'src_port', 'dst_ip', 'dst_port'] as const;

/**
 * Adds sensor, uuid and timestamp once, in Cowrie's key order, and hands the
 * same frozen event to every sink. A failing sink is isolated: its failures are
 * counted and logged (the 1st and every 100th), the others carry on.
 */
export class EventDispatcher {
  readonly #sinks: SinkState[] = [];
  readonly #listeners = new Set<(event: HoneyscopeEvent) => void>();
  readonly #options: Required<DispatcherOptions>;

  constructor(options: DispatcherOptions) {
    this.#options = { now: systemClock, ...options };
  }

  addSink(sink: Sink): void {
    this.#sinks.push({ sink, failures: 0 });
  }

  /** Live subscribers (dashboard feed, scan queue); called synchronously, never awaited. */
  subscribe(listener: (event: HoneyscopeEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  failures(): Record<string, number> {
    return Object.fromEntries(this.#sinks.map((s) => [s.sink.name, s.failures]));
  }

  /** Builds the event and resolves once every sink has it (or has failed, which is counted). */
  async dispatch(draft: EventDraft): Promise<HoneyscopeEvent> {
    const event = this.build(draft);
    // The usual single sink is awaited directly, without Promise.all's extra promises.
    if (this.#sinks.length === 1) await this.#write(this.#sinks[0]!, event);
    else await Promise.all(this.#sinks.map((state) => this.#write(state, event)));
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (err) {
        this.#options.logger.error({ err: errorMessage(err) }, 'event listener failed');
      }
    }
    return event;
  }

  build(draft: EventDraft): HoneyscopeEvent {
    const out: Record<string, unknown> = {};
    const identity = draft.identity;
    if (identity) {
      for (const key of IDENTITY_KEYS) out[key] = identity[key];
    }
    const fields = draft.fields;
    for (const key in fields) {
      // Identity is authoritative: an attacker-influenced field never replaces it (dst_* may be overridden, as in Cowrie).
      if (key === 'session' || key === 'protocol' || key === 'src_ip' || !Object.hasOwn(fields, key)) continue;
      const value = fields[key];
      if (value !== undefined) out[key] = value;
    }
    out.eventid = draft.eventid;
    out.sensor = this.#options.sensor;
    out.uuid = this.#options.uuid;
    out.timestamp = cowrieTimestamp(this.#options.now());
    out.message = draft.message;
    return Object.freeze(out) as HoneyscopeEvent;
  }

  async #write(state: SinkState, event: HoneyscopeEvent): Promise<void> {
    try {
      await state.sink.write(event);
    } catch (err) {
      state.failures += 1;
      if (state.failures === 1 || state.failures % 100 === 0) {
        this.#options.logger.error({ sink: state.sink.name, failures: state.failures, err: errorMessage(err) }, 'event sink failed');
      }
    }
  }

  async close(): Promise<void> {
    for (const { sink } of this.#sinks) {
      try {
        await sink.close?.();
      } catch (err) {
        this.#options.logger.error({ sink: sink.name, err: errorMessage(err) }, 'event sink failed to close');
      }
    }
  }
}
