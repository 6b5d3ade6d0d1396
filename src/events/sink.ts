import type { HoneyscopeEvent } from './event.js';

/**
 * Where events go. `write` resolves when the event is durable for this sink
 * (the JSONL log: written and flushed). A sink never changes the event.
 */
export interface Sink {
  readonly name: string;
  write(event: HoneyscopeEvent): void | Promise<void>;
  close?(): Promise<void>;
}
