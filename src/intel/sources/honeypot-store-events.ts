import type { Store } from '../../store/store.js';
import type { HoneypotEvent, ReadHoneypotEvents } from './honeypot.js';

/** The honeypot source's events, read from the events store (what the sensor and ingest stored). */
export function honeypotEventsFromStore(store: Store): ReadHoneypotEvents {
  return async function* readHoneypotEvents(since: number): AsyncIterable<HoneypotEvent> {
    for await (const raw of store.rawEvents({ sinceUs: since * 1000 })) {
      const event = JSON.parse(raw) as Record<string, unknown>;
      yield {
        eventid: String(event.eventid),
        timestamp: String(event.timestamp),
        src_ip: typeof event.src_ip === 'string' ? event.src_ip : null,
        dst_ip: typeof event.dst_ip === 'string' ? event.dst_ip : null,
        url: typeof event.url === 'string' ? event.url : null,
        shasum: typeof event.shasum === 'string' ? event.shasum : null,
        verdict: typeof event.verdict === 'string' ? event.verdict : null,
        signatures: Array.isArray(event.signatures) ? event.signatures.map(String) : null,
      };
    }
  };
}
